"""Glossary (中英术语对照): every term the lab uses, its symbol, a one-line definition, and where it is shown."""

import streamlit as st

from ui.glossary import ENTRIES, by_page, rows
from ui.page import Page, PageContext, View
from ui.registry import find_key
from ui.text import md_escape


def markdown_table(ctx: PageContext, table: list[dict[str, str]]) -> str:
    """One wrapping table (term, the other language's term, symbol, definition); text escaped, symbols as code."""
    header = [ctx.t(f"col_{name}") for name in ("term", "other", "symbol", "definition")]
    lines = ["| " + " | ".join(header) + " |", "|---|---|---|---|"]
    for row in table:
        cells = [
            f"**{md_escape(row['term'])}**",
            md_escape(row["other"]),
            f"`{row['symbol']}`" if row["symbol"] else "",
        ]
        lines.append("| " + " | ".join([*cells, md_escape(row["definition"])]) + " |")
    return "\n".join(lines)


def table_view(ctx: PageContext, run) -> None:
    query = st.text_input(ctx.t("search"), key=ctx.key("search"), placeholder=ctx.t("search_placeholder"))
    table = rows(ctx.lang, query)
    if not table:
        st.info(ctx.t("no_match"))
        return
    st.caption(ctx.t("count", shown=len(table), total=len(ENTRIES)))
    for page, group in by_page(table):  # in the order of the guided path, each under a link to its page
        spec = find_key(page)
        st.page_link(spec.path, label=ctx.t("shown_on", page=group[0]["page"]), icon=spec.icon)
        st.markdown(markdown_table(ctx, group))


Page(key="glossary", uses_sentence=False, header=(View("table", table_view),)).run()
