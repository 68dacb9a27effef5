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
    PageSpec("pages/scaled_dot_product.py", "sdp", "scaled-dot-product", ":material/grid_on:", "mechanism"),
    PageSpec("pages/real_model.py", "real_model", "real-model", ":material/psychology:", "real"),
)
