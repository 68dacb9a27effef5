"""Every page on a classroom projector (1024 × 768, the sidebar open), in English and Chinese: no formula,
control label, chosen option or other text is cut off, and no tab of a tab bar is hidden.

One browser context per language visits home and every page of ``ui.registry.PAGES`` in a loop and opens
each tab of the page's main tab bar (tabs are lazy: a tab's formulas exist only while it is open). A
failure names the page, the language, the open tab and the element's text.
"""

from __future__ import annotations

import pytest

from tests.e2e import selectors as sel
from tests.e2e.conftest import open_page, rerun
from ui.registry import PAGES

pytestmark = pytest.mark.e2e

PROJECTOR = {"width": 1024, "height": 768}

# What does not fit, as [kind, hidden pixels, text]: a box whose content is wider than the box scrolls
# sideways (a formula) or ends in "…" (a label, an option shown in a select box), and on a projector the
# room sees neither the scroll bar nor the rest. A tab is hidden when it lies outside its tab list.
OVERFLOW_JS = f"""() => {{
  const out = [];
  const text = e => (e.innerText || e.value || e.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 80);
  const wider = (kind, e, shown) => {{
    if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1) out.push([kind, e.scrollWidth - e.clientWidth, shown]);
  }};
  document.querySelectorAll('{sel.MAIN} {sel.KATEX_DISPLAY}').forEach(e =>
    wider('formula', e, (e.querySelector('annotation') || e).textContent.slice(0, 80)));
  document.querySelectorAll('{sel.WIDGET_LABEL}, {sel.WIDGET_LABEL} *').forEach(e => wider('label', e, text(e)));
  document.querySelectorAll('{sel.SELECT_VALUE}').forEach(e => wider('option', e, e.value));
  // any other text Streamlit shortens with "…": a metric's label, a page's name in the sidebar
  document.querySelectorAll('{sel.MAIN} *, {sel.SIDEBAR} *').forEach(e => {{
    if (getComputedStyle(e).textOverflow === 'ellipsis' && !e.closest('{sel.WIDGET_LABEL}')) wider('text', e, text(e));
  }});
  document.querySelectorAll('{sel.MAIN} {sel.TAB_LIST}').forEach(list => {{
    const box = list.getBoundingClientRect();
    list.querySelectorAll('{sel.TAB}').forEach(tab => {{
      const r = tab.getBoundingClientRect();
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        out.push(['tab', Math.round(Math.max(r.right - box.right, box.left - r.left)), text(tab)]);
    }});
  }});
  return out;
}}"""

# a formula twice as wide as any column: the check must see it (a check that cannot fail is no check)
PLANTED_JS = f"""() => {{
  const d = document.createElement('div');
  d.className = 'katex-display';
  d.style.cssText = 'overflow-x: auto; width: 200px';
  d.innerHTML = '<span style="display: inline-block; width: 400px">planted</span>';
  document.querySelector('{sel.MAIN} h1').after(d);
}}"""


def problems(page) -> list[list]:
    return page.evaluate(OVERFLOW_JS)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_nothing_is_cut_off_on_a_projector(page, server, lang):
    page.set_viewport_size(PROJECTOR)
    found = []
    for url_path in ["", *(spec.url_path for spec in PAGES)]:
        name = url_path or "home"
        open_page(page, server, url_path, lang, timeout=180_000)
        found += [(name, lang, "first view", *p) for p in problems(page)]
        tabs = page.locator(f"{sel.MAIN} {sel.TAB_LIST}").first.locator(sel.TAB)
        for i in range(1, tabs.count() if page.locator(f"{sel.MAIN} {sel.TAB_LIST}").count() else 0):
            label = tabs.nth(i).inner_text()
            with rerun(page, timeout=120_000):
                tabs.nth(i).click()
            found += [(name, lang, f"tab “{label}”", *p) for p in problems(page) if p[0] != "tab"]
    page.evaluate(PLANTED_JS)
    assert any(p[0] == "formula" and p[2] == "planted" for p in problems(page)), "the check misses a wide formula"
    assert not found, "cut off at 1024 × 768:\n" + "\n".join(
        f"{name} [{lang}, {where}] {kind} hides {px} px: {text}" for name, lang, where, kind, px, text in found
    )
