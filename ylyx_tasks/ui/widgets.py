"""Widgets the pages share: tables whose row leads to the task page, coloured lights, downloads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from ylyx_tasks.services.plan.tables import to_csv_bytes, to_xlsx_bytes
from ylyx_tasks.ui.fmt import LIGHT_COLOR, STATUS_COLOR

DETAIL_PAGE = "pages/task_detail.py"


def labels(options: dict, describe: Callable[[Any], str]) -> Callable[[object], str]:
    """A ``format_func`` for a selectbox over ``options``' keys. A value that is no longer among the options
    (the list changed since the last run: a milestone was claimed, a contact removed) reads "—" instead of
    failing."""
    return lambda key: describe(options[key]) if key in options else "—"


def option_key(base: str, options) -> str:
    """The key of a selectbox whose options change with the data (the milestones a user may claim): a new set
    of options is a new widget, so the browser never keeps showing an option, or a label, that has gone."""
    return f"{base}_{'_'.join(str(o) for o in options)}"


def open_task(code: str) -> None:
    """Go to the task page for ``code`` (the code is in the URL, so the page can be bookmarked)."""
    st.switch_page(DETAIL_PAGE, query_params={"task": code})


def _colour(value: object) -> str:
    colour = LIGHT_COLOR.get(str(value)) or STATUS_COLOR.get(str(value))
    return f"color: {colour}; font-weight: 600" if colour else ""


STYLE_LIMIT = 500


def styled(df: pd.DataFrame):
    """Lights and statuses in their colours; the data stay exactly as they are (and as they are exported)."""
    columns = [c for c in df.columns if c in ("灯号", "状态")]
    if df.empty or not columns or len(df) > STYLE_LIMIT:  # a Styler renders every cell: too slow for long tables
        return df
    # cell_ids=False: only the coloured cells carry an id, so Streamlit rewrites only their display values
    return Styler(df, cell_ids=False).map(_colour, subset=columns)


def task_table(df: pd.DataFrame, key: str, *, height: int | str = "auto") -> None:
    """A task table; choosing a row opens that task's page."""
    if df.empty:
        st.info("没有符合条件的任务。")
        return
    event = st.dataframe(styled(df), key=key, on_select="rerun", selection_mode="single-row", hide_index=True,
                         width="stretch", height=height,
                         column_config={"进度(%)": st.column_config.ProgressColumn("进度", min_value=0, max_value=100,
                                                                                 format="%d%%")})
    rows = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    if rows:
        code = str(df.iloc[rows[0]]["编号"])
        del st.session_state[key]  # else coming back to this page would open the task again at once
        open_task(code)
    st.caption("点击表格左侧选择一行，打开该任务的详情页。")


def plain_table(df: pd.DataFrame, key: str | None = None, *, empty: str = "暂无记录。", height: int | str = "auto"
                ) -> None:
    if df.empty:
        st.caption(empty)
        return
    st.dataframe(styled(df), key=key, hide_index=True, width="stretch", height=height)


def downloads(df: pd.DataFrame | Callable[[], pd.DataFrame], *, stem: str, key: str, unit: str, as_of: dt.date,
              sheet: str = "任务清单", title: str | None = None) -> None:
    """Excel and CSV of exactly ``df`` (the rows and columns on the screen), or of what ``df()`` returns (a long
    list shown a page at a time): made when the button is pressed, not on every run. The Excel prints as it is:
    ``title``, 制表单位 ``unit`` and 截至 ``as_of`` (the day its figures were counted to) above the table."""
    def frame() -> pd.DataFrame:
        return df() if callable(df) else df

    left, right, _ = st.columns([1, 1, 4])
    left.download_button("下载 Excel", data=lambda: to_xlsx_bytes(frame(), sheet, unit=unit, as_of=as_of, title=title),
                         file_name=f"{stem}.xlsx",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         key=f"{key}_xlsx", icon=":material/download:")
    right.download_button("下载 CSV", data=lambda: to_csv_bytes(frame()), file_name=f"{stem}.csv", mime="text/csv",
                          key=f"{key}_csv", icon=":material/download:")


def metric_row(items: list[tuple[str, object, str | None]]) -> None:
    columns = st.columns(len(items))
    for col, (label, value, help_text) in zip(columns, items):
        col.metric(label, value, help=help_text or None)
