"""deploy/nginx.conf on loopback, in front of app processes started here: for the load benchmark and tests.

    with nginx_proxy(["http://127.0.0.1:8601", "http://127.0.0.1:8602"]) as url:
        ...   # url = "http://127.0.0.1:<free port>"

The deployment's file is used as it is, with only the lines it marks "# rewritten" replaced (listening
address, replicas, pid file) and the log and temp paths moved into a temporary prefix, so that nginx runs
as an ordinary child process (``nginx -p <tmp> -c <conf> -g "daemon off;"``), on 127.0.0.1 only.

One line is added for the measurement: a response header naming the replica that answered
(``X-Attention-Lab-Replica``), so that a test can check that every request of a session reached the
same process. The deployment itself does not send it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from benchmarks.server import ROOT, ServerNotHealthy, free_port, stop, wait_healthy

TEMPLATE = ROOT / "deploy" / "nginx.conf"
HEADER_REPLICA = "X-Attention-Lab-Replica"


class NginxUnavailable(RuntimeError):
    """nginx is not installed (Debian: apt-get install nginx-light), or did not start."""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def render(template: str, port: int, upstreams: list[str], prefix: Path) -> str:
    """The deployment's nginx.conf for loopback: listen on 127.0.0.1:port, proxy to ``upstreams``."""
    lines, servers_done = [], False
    for line in template.splitlines():
        if "# rewritten" not in line:
            lines.append(line)
            if "add_header Set-Cookie" in line:  # add_header lines are inherited only all together: here
                indent = line[: len(line) - len(line.lstrip())]
                lines.append(
                    f"{indent}add_header {HEADER_REPLICA} $upstream_addr always;  # the benchmark's only addition"
                )
            continue
        indent = line[: len(line) - len(line.lstrip())]
        stripped = line.strip()
        if stripped.startswith("pid "):
            lines.append(f"{indent}pid {prefix / 'nginx.pid'};")
        elif stripped.startswith("listen "):
            lines.append(f"{indent}listen 127.0.0.1:{port};")
        elif stripped.startswith("server ") and not servers_done:
            lines += [f"{indent}server {u.removeprefix('http://')};" for u in upstreams]
            servers_done = True
        elif not stripped.startswith("server "):
            raise ValueError(f"deploy/nginx.conf: do not know how to rewrite {stripped!r}")
    text = "\n".join(lines) + "\n"
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / (kind + '_temp')};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return re.sub(r"^http \{\n", lambda m: m.group(0) + temp + "\n", text, count=1, flags=re.M)


@contextlib.contextmanager
def nginx_proxy(upstreams: list[str], timeout: float = 30) -> Iterator[str]:
    """Base URL of nginx (deploy/nginx.conf) on a free loopback port in front of ``upstreams``; stopped on exit."""
    binary = nginx_binary()
    if binary is None:
        raise NginxUnavailable("nginx is not installed (Debian: apt-get install nginx-light)")
    with tempfile.TemporaryDirectory(prefix="attention-lab-nginx-") as tmp:
        prefix = Path(tmp)
        prefix.chmod(0o755)  # run as root, nginx's workers are `nobody` and create their temp files here
        (prefix / "logs").mkdir()
        port = free_port()
        conf = prefix / "nginx.conf"
        conf.write_text(render(TEMPLATE.read_text(encoding="utf-8"), port, upstreams, prefix), encoding="utf-8")
        check = subprocess.run([binary, "-t", "-q", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t refuses the rendered deploy/nginx.conf:\n{check.stderr}")
        log = open(prefix / "logs" / "stderr.log", "w")
        proc = subprocess.Popen(
            [binary, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait(proc, url, timeout, prefix)
            yield url
        finally:
            stop(proc, grace=10)
            log.close()


def _wait(proc: subprocess.Popen, url: str, timeout: float, prefix: Path) -> None:
    """benchmarks.server.wait_healthy through nginx, with nginx's own error log when it fails."""
    try:
        wait_healthy(proc, url, timeout)
    except ServerNotHealthy as err:
        raise NginxUnavailable(f"nginx: {err}; {(prefix / 'logs' / 'stderr.log').read_text()}") from err
