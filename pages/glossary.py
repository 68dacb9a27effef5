"""Glossary (中英术语对照): every term the lab uses, its symbol, a one-line definition, and where it is shown."""

import streamlit as st

from ui.glossary import ENTRIES, rows
from ui.page import Page, PageContext, View


def table_view(ctx: PageContext, run) -> None:
    query = st.text_input(ctx.t("search"), key=ctx.key("search"), placeholder=ctx.t("search_placeholder"))
    table = rows(ctx.lang, query)
    if not table:
        st.info(ctx.t("no_match"))
        return
    columns = {
        "term": st.column_config.TextColumn(ctx.t("col_term")),
        "other": st.column_config.TextColumn(ctx.t("col_other")),
        "symbol": st.column_config.TextColumn(ctx.t("col_symbol")),
        "definition": st.column_config.TextColumn(ctx.t("col_definition"), width="large"),
        "page": st.column_config.TextColumn(ctx.t("col_page")),
        "link": st.column_config.LinkColumn(ctx.t("col_link"), display_text=ctx.t("open")),
    }
    st.dataframe(table, column_config=columns, hide_index=True, width="stretch", height=36 * (len(table) + 1) + 3)
    st.caption(ctx.t("count", shown=len(table), total=len(ENTRIES)))


Page(key="glossary", uses_sentence=False, header=(View("table", table_view),)).run()
