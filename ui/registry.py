"""The list of pages: app.py turns it into navigation, the home page into one link per page.

Each page's nav title and one-line summary live in its own catalogue table: ``<key>.nav`` and
``<key>.summary``. Sections are titled by ``nav.<section>``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str  # file under pages/
    key: str  # catalogue table of the page
    url_path: str  # URL of the page: /<url_path>
    icon: str  # Material icon
    section: str  # nav.<section>


SECTIONS = ("start", "mechanism", "architecture", "real")

PAGES = (
    PageSpec("pages/intuition.py", "intuition", "intuition", ":material/center_focus_strong:", "start"),
    PageSpec("pages/scaled_dot_product.py", "sdp", "scaled-dot-product", ":material/grid_on:", "mechanism"),
    PageSpec("pages/why_scaling.py", "why_scaling", "why-scaling", ":material/straighten:", "mechanism"),
    PageSpec("pages/multi_head.py", "multihead", "multi-head", ":material/view_week:", "mechanism"),
    PageSpec("pages/positional_encoding.py", "positional", "positional-encoding", ":material/waves:", "mechanism"),
    PageSpec("pages/transformer_block.py", "block", "transformer-block", ":material/stacks:", "architecture"),
    PageSpec("pages/attention_vs_rnn_cnn.py", "rnn_cnn", "attention-vs-rnn-cnn", ":material/compare:", "architecture"),
    PageSpec("pages/vision.py", "vision", "vision", ":material/image_search:", "architecture"),
    PageSpec("pages/real_model.py", "real_model", "real-model", ":material/psychology:", "real"),
)


def find_page(*url_paths: str) -> PageSpec | None:
    """The first registered page whose url_path is one of ``url_paths`` (None if none is registered)."""
    return next((spec for spec in PAGES if spec.url_path in url_paths), None)
