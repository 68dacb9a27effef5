"""The i18n contract: every key the code uses exists in both catalogues, no key is unused, and each key
has the same {placeholders} in English and Chinese and formats with any values.

Keys are found statically (ast) in app.py, pages/, ui/ and core/:
- ``t("a.b")`` and ``ctx.t("b")`` (a page's own text: ``<Page key>.b``), literal or f-string: an
  f-string becomes a pattern (``ctx.t(f"fig_{name}")`` -> ``<page>.fig_.+``) that must match a key;
- a string literal that names a key (``"a.b"``) or, in a page file, a key of that page (``"trace_dot"``
  passed on to ``ctx.t`` through a variable) counts as a use.
"""

from __future__ import annotations

import ast
import re
from string import Formatter

import pytest

from tests.conftest import ROOT
from ui.i18n import LANGUAGES, catalog

SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
SOURCES += [*sorted((ROOT / "ui").glob("*.py")), *sorted((ROOT / "core").rglob("*.py"))]


def page_key(tree: ast.AST) -> str | None:
    """The ``key=`` of the ``Page(...)`` a page file declares."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Page":
            for kw in node.keywords:
                if kw.arg == "key" and isinstance(kw.value, ast.Constant):
                    return kw.value.value
    return None


def pattern(node: ast.expr) -> str | None:
    """A regex for the key a literal or f-string argument names (None for anything else)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.escape(node.value)
    if isinstance(node, ast.JoinedStr):
        return "".join(re.escape(v.value) if isinstance(v, ast.Constant) else ".+" for v in node.values)
    return None


def uses(path) -> tuple[set[str], set[str]]:
    """(patterns of keys looked up with t / ctx.t, string literals) of one source file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    page = page_key(tree)
    patterns, literals = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            literals.add(node.value)
            if page:
                literals.add(f"{page}.{node.value}")
        if not (isinstance(node, ast.Call) and node.args):
            continue
        func, p = node.func, pattern(node.args[0])
        if p is None or not p.replace(".+", "").replace("\\.", ""):
            continue  # a key built wholly from variables (``PageContext.t`` itself) names nothing
        if isinstance(func, ast.Name) and func.id == "t":
            patterns.add(p)
        elif isinstance(func, ast.Attribute) and func.attr == "t" and getattr(func.value, "id", None) == "ctx":
            patterns.add(f"{re.escape(page)}\\.{p}" if page else f"[a-z_]+\\.{p}")
    return patterns, literals


@pytest.fixture(scope="module")
def code_uses() -> tuple[set[str], set[str]]:
    patterns, literals = set(), set()
    for path in SOURCES:
        p, lit = uses(path)
        patterns |= p
        literals |= lit
    return patterns, literals


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def test_the_scan_sees_the_pages():
    """Guard the scan itself: it finds page keys and both kinds of lookup."""
    tree = ast.parse((ROOT / "pages" / "scaled-dot-product.py").read_text(encoding="utf-8"))
    assert page_key(tree) == "sdp"
    patterns, _ = uses(ROOT / "pages" / "scaled-dot-product.py")
    assert r"sdp\.trace_query" in patterns and r"common\.seed" in patterns
    assert any(p.startswith(r"sdp\.mask_") and p.endswith(".+") for p in patterns)


def test_every_key_used_in_code_exists_in_both_catalogues(code_uses):
    patterns, _ = code_uses
    for lang in LANGUAGES:
        keys = list(catalog(lang))
        missing = sorted(p for p in patterns if not any(re.fullmatch(p, k) for k in keys))
        assert not missing, (lang, missing)


def test_no_catalogue_key_is_unused(code_uses):
    patterns, literals = code_uses
    compiled = [re.compile(p) for p in patterns]
    unused = sorted(k for k in catalog("en") if k not in literals and not any(c.fullmatch(k) for c in compiled))
    assert not unused, unused


def test_both_catalogues_have_the_same_keys():
    en, zh = catalog("en"), catalog("zh")
    assert set(en) == set(zh), sorted(set(en) ^ set(zh))


def test_placeholders_are_the_same_in_both_languages():
    en, zh = catalog("en"), catalog("zh")
    differ = {k: (fields(en[k]), fields(zh[k])) for k in en if fields(en[k]) != fields(zh.get(k, ""))}
    assert not differ, differ


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_formats_with_dummy_values(lang):
    class Anything(float):
        """A value every format spec accepts: {n}, {w:.0%}, {error:.1e}, {name!s}."""

        def __format__(self, spec: str) -> str:
            if spec and spec[-1] in "eEfFgG%":
                return format(1.5, spec)
            return format(1, spec) if spec and spec[-1] in "dn," else format("x", spec)

    for text in catalog(lang).values():
        text.format(**{name.split(".")[0].split("[")[0]: Anything() for name in fields(text)})
