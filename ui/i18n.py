"""Every visible string comes from assets/i18n/<lang>.toml through ``t``."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import streamlit as st

CATALOG_DIR = Path(__file__).resolve().parent.parent / "assets" / "i18n"
LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}  # the language switch's labels


@cache
def catalog(lang: str) -> dict[str, str]:
    """The flattened catalogue of one language: {"section.key": "text"}."""
    with open(CATALOG_DIR / f"{lang}.toml", "rb") as f:
        data = tomllib.load(f)
    flat: dict[str, str] = {}

    def walk(prefix: str, node: dict) -> None:
        for key, value in node.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict):
                walk(name + ".", value)
            else:
                flat[name] = value

    walk("", data)
    return flat


def current_language() -> str:
    lang = st.session_state.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str | None = None, **values) -> str:
    """The text for ``key`` in the current language, with ``{name}`` fields filled from ``values``."""
    text = catalog(lang or current_language())[key]
    return text.format(**values) if values else text


def browser_language(locale) -> str:
    """The app's language for the browser's locale (``st.context.locale``, e.g. "zh-CN", "zh-Hant-TW",
    "en-GB"; None when unknown): Chinese for any "zh" locale, else the default."""
    return "zh" if str(locale or "").lower().replace("_", "-").split("-")[0] == "zh" else DEFAULT_LANGUAGE


def language_named(value) -> str | None:
    """The language code a ``?lang=`` value names ("zh" or "中文" -> "zh"); None if it names none."""
    by_name = {name: code for code, name in LANGUAGE_NAMES.items()}
    value = str(value or "")
    return value if value in LANGUAGES else by_name.get(value)
