"""A lecture hall: nginx (deploy/nginx.conf) in front of two app processes, each session pinned to one.

Runs nginx as a child process on loopback (benchmarks/proxy.py). Installs Debian's nginx-light with
apt-get when it is missing and we are root; otherwise skips, loudly.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from benchmarks import load, proxy

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _nginx() -> None:
    if proxy.nginx_binary() is None and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False, timeout=300)
        subprocess.run(["apt-get", "install", "-y", "-qq", "nginx-light"], env=env, check=False, timeout=600)
    if proxy.nginx_binary() is None:
        pytest.skip("NGINX IS NOT INSTALLED and we cannot install it (not root): sudo apt-get install nginx-light")


def test_the_proxy_config_upgrades_websockets_and_pins_by_cookie_not_by_address(tmp_path):
    conf = (DEPLOY / "nginx.conf").read_text()
    code = "\n".join(line.split("#")[0] for line in conf.splitlines())
    assert "ip_hash" not in code  # a classroom behind one NAT address would all land on one replica
    assert re.search(r"hash \$lab_replica consistent;", code)
    assert "proxy_http_version 1.1;" in code and "Upgrade $http_upgrade" in code
    assert "Host $http_host" in code  # Streamlit compares the socket's Origin with Host, port included
    rendered = proxy.render(conf, 8080, ["http://127.0.0.1:1", "http://127.0.0.1:2"], tmp_path)
    assert "server 127.0.0.1:1;" in rendered and "server 127.0.0.1:2;" in rendered and "app1" not in rendered
    assert "listen 127.0.0.1:8080;" in rendered


def test_compose_runs_two_replicas_of_the_image_behind_the_same_nginx_config():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    apps = [name for name, s in services.items() if s.get("image") == "attention-lab"]
    assert len(apps) >= 2
    upstream = re.findall(r"^\s*server (\S+):8501;", (DEPLOY / "nginx.conf").read_text(), flags=re.M)
    assert sorted(upstream) == sorted(apps)
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in services["nginx"]["volumes"]


def test_ten_sessions_through_nginx_each_stay_on_one_replica_and_see_only_their_own_words():
    _nginx()
    with load.serve(replicas=2) as stack:  # checks the rendered config with `nginx -t` first
        report = load.run(load.classroom(stack, n=10, duration=15, paces=[1.0]))
    print(load.brief(report), report["sessions_per_replica"])
    phase = report["pace_1s"]
    for part in (report["first_open"], phase):
        assert part["errors"] == 0, part["error_samples"]
        assert part["leaks"] == 0, part["leak_samples"]
    assert phase["interactions"] >= 10 * 5, phase
    assert report["replicas_per_session"] == [1], report  # page, websocket and later HTTP requests: one replica
    assert len(report["sessions_per_replica"]) == 2, report  # 10 random cookies: both replicas have sessions
