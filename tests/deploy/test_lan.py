"""The README's classroom-network command serves the app on every interface.

It listens on 0.0.0.0, so the test runs it in a network namespace of its own (``unshare --net``, only
a loopback inside): the server is reachable there on 127.0.0.1 (which 0.0.0.0 includes) and never on
this machine's real network.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.server import ROOT

PROBE = """
import sys, time, urllib.request
deadline = time.monotonic() + 90
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen("http://127.0.0.1:8501/_stcore/health", timeout=2) as r:
            sys.exit(0 if r.status == 200 else 1)
    except OSError:
        time.sleep(0.3)
sys.exit(2)
"""


def readme_lan_command(readme: Path = ROOT / "README.md") -> str:
    """The first ```bash block of the README's "## Deploy" section."""
    section = readme.read_text(encoding="utf-8").split("\n## Deploy", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.*?)```", section, flags=re.S)[0].strip()


def test_lan_command_listens_on_every_interface():
    command = readme_lan_command()
    assert command.endswith("--server.address=0.0.0.0")
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("LAN TEST SKIPPED: needs root and unshare to keep a 0.0.0.0 server off the real network")
    script = f"""
ip link set lo up
{command} >/dev/null 2>&1 &
server=$!
{sys.executable} -c '{PROBE}'
status=$?
ss -ltn | grep -q '0.0.0.0:8501' || status=3
kill $server
exit $status
"""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["unshare", "--net", "bash", "-c", script], cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, {1: "health not 200", 2: "no answer in 90 s", 3: "not on 0.0.0.0"}.get(
        done.returncode, done.returncode
    )
