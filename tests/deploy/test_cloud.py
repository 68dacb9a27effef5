"""What Streamlit Community Cloud reads from the repository: app.py at the root, .streamlit/config.toml."""

import tomllib
from pathlib import Path

from streamlit import config

ROOT = Path(__file__).resolve().parents[2]
# Community Cloud sets these itself and ignores the file's values (its "Status and limitations" page)
CLOUD_SETS = {"server.port", "server.address", "server.runOnSave", "server.enableXsrfProtection", "runner.fastReruns"}


def options() -> dict[str, object]:
    """The file's options by their dotted names; a nested table ([theme.dark]) adds its own part."""

    def flat(prefix: str, table: dict) -> dict[str, object]:
        out = {}
        for name, value in table.items():
            out.update(flat(f"{prefix}{name}.", value) if isinstance(value, dict) else {f"{prefix}{name}": value})
        return out

    return flat("", tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text()))


def test_every_option_is_one_streamlit_knows():
    unknown = sorted(set(options()) - set(config._config_options_template))
    assert unknown == [], f"not Streamlit options (a typo is silently ignored): {unknown}"


def test_no_option_that_cloud_overrides_or_that_would_pin_a_deployment():
    assert set(options()) & CLOUD_SETS == set()


def test_serving_limits():
    from core.images import MAX_BYTES

    opts = options()
    assert opts["server.maxUploadSize"] * 2**20 == MAX_BYTES  # Streamlit counts upload MB as MiB
    assert opts["server.maxMessageSize"] <= 16
    assert opts["server.fileWatcherType"] == "none"
    assert opts.get("server.enableXsrfProtection", True) is True and opts.get("server.enableCORS", True) is True


def test_the_entry_point_is_at_the_repository_root():
    assert (ROOT / "app.py").is_file() and (ROOT / "requirements.txt").is_file()
