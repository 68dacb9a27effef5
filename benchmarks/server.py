"""Start a Streamlit script on a free loopback port and wait until it is healthy.

One helper for everything that needs a real server: the end-to-end tests (tests/e2e/conftest.py),
the latency probe and the model benchmark. It lives here, not under tests/, so that the benchmarks
import nothing from the test suite.

    with streamlit_server(ROOT / "app.py") as server:
        page.goto(server.url)   # "http://127.0.0.1:<port>"; server.pid for /proc/<pid>/status
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"


@dataclass(frozen=True)
class Server:
    url: str  # "http://127.0.0.1:<port>", no trailing slash
    pid: int


class ServerNotHealthy(RuntimeError):
    """The server exited, or /_stcore/health did not answer 200 in time."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen, grace: float) -> None:
    """SIGTERM, then SIGKILL if ``proc`` has not exited within ``grace`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def wait_healthy(proc: subprocess.Popen, url: str, timeout: float) -> None:
    """Return once ``url``/_stcore/health answers 200; ServerNotHealthy if ``proc`` exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerNotHealthy(f"the server process exited with code {proc.returncode} before {url} was healthy")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise ServerNotHealthy(f"{url}/_stcore/health did not answer 200 within {timeout:.0f} s")


@contextlib.contextmanager
def streamlit_server(
    script: Path = APP, *, log: Path | None = None, cwd: Path | None = None, timeout: float = 90
) -> Iterator[Server]:
    """A healthy `streamlit run script` on a free port of 127.0.0.1; stopped on exit.

    ``log``: file for the server's output (default: discarded). ``cwd``: working directory, where
    Streamlit reads ``.streamlit/config.toml`` (default: the script's folder).
    """
    script = Path(script).resolve()
    port = free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script), "--server.headless=true",
        f"--server.port={port}", "--server.address=127.0.0.1", "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
    ]  # fmt: skip
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(open(log, "w")) if log else subprocess.DEVNULL
        proc = subprocess.Popen(cmd, cwd=cwd or script.parent, stdout=out, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(proc, url, timeout)
            yield Server(url, proc.pid)
        finally:
            stop(proc, grace=20)
