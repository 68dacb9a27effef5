"""The list of pages: app.py turns it into navigation, the home page into one link per page.

Each page's nav title and one-line summary live in its own catalogue table: ``<key>.nav`` and
``<key>.summary``. Sections are titled by ``nav.<section>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ui.legacy_pages import page_file


@dataclass(frozen=True)
class PageSpec:
    key: str  # catalogue table of the page
    url_path: str  # URL of the page: /<url_path>
    icon: str  # Material icon
    section: str  # nav.<section>
    on_path: bool = True  # a step of the guided path (ui.path); reference pages are not

    @property
    def path(self) -> str:
        """The page's file, named exactly like its URL (why: ``ui.legacy_pages``)."""
        return page_file(self.url_path)


SECTIONS = ("start", "mechanism", "architecture", "real", "review")

PAGES = (
    PageSpec("intuition", "intuition", ":material/center_focus_strong:", "start"),
    PageSpec("sdp", "scaled-dot-product", ":material/grid_on:", "mechanism"),
    PageSpec("why_scaling", "why-scaling", ":material/straighten:", "mechanism"),
    PageSpec("multihead", "multi-head", ":material/view_week:", "mechanism"),
    PageSpec("positional", "positional-encoding", ":material/waves:", "mechanism"),
    PageSpec("block", "transformer-block", ":material/stacks:", "architecture"),
    PageSpec("rnn_cnn", "attention-vs-rnn-cnn", ":material/compare:", "architecture"),
    PageSpec("vision", "vision", ":material/image_search:", "architecture"),
    PageSpec("real_model", "real-model", ":material/psychology:", "real"),
    PageSpec("language_model", "language-model", ":material/auto_awesome:", "real"),
    PageSpec("learn", "learn", ":material/model_training:", "real"),
    PageSpec("summary", "summary", ":material/summarize:", "review"),
    PageSpec("glossary", "glossary", ":material/translate:", "review", on_path=False),
)


def find_page(*url_paths: str) -> PageSpec | None:
    """The first registered page whose url_path is one of ``url_paths`` (None if none is registered)."""
    return next((spec for spec in PAGES if spec.url_path in url_paths), None)


def find_key(key: str) -> PageSpec | None:
    """The registered page whose catalogue key is ``key`` (None if none is registered)."""
    return next((spec for spec in PAGES if spec.key == key), None)
