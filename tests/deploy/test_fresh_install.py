"""Install and run the app the way a newcomer does: the README's run command, word for word, in a new folder.

The command is read from README.md (the first ``bash`` block under "## Set-up"), so the README and this
test cannot drift apart. It runs from a clean copy of the tree (the files git knows), with the system's
``python3`` and no virtual environment active; the command makes its own ``.venv``. Then the server must
answer ``/_stcore/health`` and ``/`` with 200 and every page must open in Chromium without an exception,
the real model's chart included: the runtime set alone (PyTorch's CPU build, requirements-app.txt, and
the model packages without their declared dependencies) is enough to run every page.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from benchmarks.server import ROOT, free_port, wait_healthy
from tests.deploy.browse import check_pages

pytestmark = pytest.mark.slow

INSTALL_TIMEOUT = 30 * 60  # s: PyPI downloads for streamlit, plotly, … on a slow line
NEVER_IMPORTED = (
    "sentence-transformers",
    "transformers",
    "scikit-learn",
    "scipy",
    "llm",
    "llama-cpp-python",
)  # the model packages' declared deps
REPORT = Path(__file__).with_name("fresh_install_report.txt")


def readme_run_command(readme: Path = ROOT / "README.md") -> str:
    """The first ```bash block of the README's "## Set-up" section: the command that installs and runs the app."""
    text = readme.read_text(encoding="utf-8")
    section = text.split("\n## Set-up", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 2, "the Set-up section gives exactly two commands: run the app, run the tests"
    return blocks[0].strip()


def clean_copy(dest: Path) -> Path:
    """The files git tracks (with their working-tree content), copied to ``dest``: no venvs, caches or logs."""
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


def newcomer_env(port: int) -> dict[str, str]:
    """This machine's environment without an active virtual environment, serving on ``port`` of loopback."""
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}}
    venv_bin = os.environ.get("VIRTUAL_ENV") and str(Path(os.environ["VIRTUAL_ENV"]) / "bin")
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    # Streamlit reads STREAMLIT_* over .streamlit/config.toml: a free port, so the test never meets a
    # server already on 8501
    env.update(STREAMLIT_SERVER_PORT=str(port), STREAMLIT_SERVER_ADDRESS="127.0.0.1")
    return env


def installed(venv: Path) -> dict[str, str]:
    out = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"],
        check=True, capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    return {line.split("==")[0].lower(): line.split("==")[1] for line in out.splitlines() if "==" in line}


def size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def test_readme_command_installs_and_runs_the_app(tmp_path, browser):
    if shutil.which("python3") is None:
        pytest.skip("FRESH-INSTALL TEST SKIPPED: no python3 on PATH")
    command = readme_run_command()
    app = clean_copy(tmp_path / "attention-lab")
    port = free_port()
    log = tmp_path / "install.log"
    started = time.monotonic()
    with open(log, "w") as out:
        proc = subprocess.Popen(
            ["bash", "-c", command], cwd=app, env=newcomer_env(port), stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}"
            try:
                wait_healthy(proc, url, INSTALL_TIMEOUT)
            except Exception as err:
                raise AssertionError(
                    f"{err}\n--- last lines of the command's output ---\n{log.read_text()[-4000:]}"
                ) from err
            ready_s = time.monotonic() - started
            with urllib.request.urlopen(f"{url}/", timeout=30) as r:
                assert r.status == 200
            check_pages(browser, url)

            venv = app / ".venv"
            packages = installed(venv)
            assert not [p for p in NEVER_IMPORTED if p in packages], "installed a dependency the app never imports"
            assert not [p for p in packages if p.startswith("nvidia-") or p == "triton"], "CUDA packages"
            assert packages["torch"].endswith("+cpu"), f"torch {packages['torch']}: not PyTorch's CPU build"
            report = (
                f"fresh install: README command to healthy server in {ready_s:.0f} s; "
                f"{len(packages)} packages, .venv {size_mb(venv):.0f} MB"
            )
            REPORT.write_text(report + "\n")
            print(report)
        finally:
            with_group = os.getpgid(proc.pid) if proc.poll() is None else None
            if with_group:
                os.killpg(with_group, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(with_group, signal.SIGKILL)
                    proc.wait()
