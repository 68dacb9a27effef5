"""The one Streamlit workaround (ui/legacy_pages.py) rests on a private flag: fail loudly if it moves."""

from pathlib import Path

from streamlit.runtime import pages_manager
from streamlit.runtime.pages_manager import PagesManager

from tests.conftest import ROOT
from ui.legacy_pages import PAGES_DIR, page_file
from ui.registry import PAGES


def test_streamlit_still_has_the_legacy_pages_flag_we_clear():
    assert hasattr(PagesManager, "uses_pages_directory"), (
        "Streamlit no longer has PagesManager.uses_pages_directory: revisit ui/legacy_pages.py "
        "(is a fresh server's first request still run in the legacy pages/ mode?)"
    )


def test_the_flag_is_still_set_from_the_pages_folder_next_to_app_py():
    saved = PagesManager.uses_pages_directory
    try:
        PagesManager.uses_pages_directory = None
        PagesManager(str(ROOT / "app.py"), setup_watcher=False)
        assert PagesManager.uses_pages_directory is True, "Streamlit no longer sets the flag from pages/"
    finally:
        PagesManager.uses_pages_directory = saved
    assert "uses_pages_directory" in Path(pages_manager.__file__).read_text(encoding="utf-8")


def test_every_page_file_is_named_like_its_url():
    assert (ROOT / PAGES_DIR).is_dir()
    for spec in PAGES:
        assert spec.path == page_file(spec.url_path) == f"pages/{spec.url_path}.py"
        assert (ROOT / spec.path).is_file(), spec.path


def test_pure_helpers_import_without_streamlit():
    import subprocess
    import sys

    code = "import sys, ui.registry, ui.latex, ui.text, ui.legacy_pages; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
