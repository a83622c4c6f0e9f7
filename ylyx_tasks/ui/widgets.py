"""Widgets the pages share: tables whose row leads to the task page, coloured lights, downloads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

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


ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
ISO_DATE_MARKED = r"^(\d{4})-(\d{2})-(\d{2})(\*?)$"
DATE_FORMAT = "YYYY年M月D日"  # how a table shows a date (2026年11月30日), whatever the read model holds


def for_display(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
    """``df`` as a table shows it: columns of ISO dates as real dates written 2026年11月30日 (they still sort
    as dates); a date marked ``*`` (computed on the fallback calendar) written the same way, with its mark. The
    read models, downloads and exports keep their own values."""
    out, config = df, {}
    for column in df.columns:
        values = df[column]
        if values.empty or not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
            continue  # (pandas 3 reads text as its own string type, not as object)
        text = values.dropna().astype(str)
        text = text[text != ""]
        if text.empty:
            continue
        if text.str.match(ISO_DATE).all():
            out = out if out is not df else df.copy()
            out[column] = pd.to_datetime(values.replace("", None)).dt.date
            config[column] = st.column_config.DateColumn(column, format=DATE_FORMAT)
        elif text.str.match(ISO_DATE_MARKED).all():
            out = out if out is not df else df.copy()
            out[column] = values.astype(str).str.replace(
                ISO_DATE_MARKED, lambda m: f"{int(m[1])}年{int(m[2])}月{int(m[3])}日{m[4]}", regex=True)
    return out, config


COLOURED = {"灯号": LIGHT_COLOR, "状态": STATUS_COLOR}  # columns shown as coloured labels


def coloured(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Lights and statuses as coloured labels: each cell a one-label list in a read-only multiselect column, which
    the browser colours (a pandas Styler costs a third of a page's run: it renders every cell on the server). The
    data stay as they are in the read models, downloads and exports."""
    config: dict[str, Any] = {}
    out = df
    for column, colours in COLOURED.items():
        if column not in df.columns or df.empty:
            continue
        values = df[column]
        present = {str(v) for v in values.dropna() if str(v)}
        known = [v for v in colours if v in present] or list(colours)
        others = sorted(present - set(colours))
        out = out if out is not df else df.copy()
        out[column] = [[str(v)] if isinstance(v, str) and v else [] for v in values]
        config[column] = st.column_config.MultiselectColumn(
            column, options=known + others, color=[colours[v] for v in known] + ["#9e9e9e"] * len(others),
            disabled=True)
    return out, config


ROW_PX, HEAD_PX = 35, 38  # a data grid's row and header heights
FIT_ROWS = 60  # tables up to this many rows are shown whole, with no scroll box inside the page


def fit(rows: int) -> int | str:
    """A table's height: all its rows when they are few, else a scroll box of FIT_ROWS rows."""
    return HEAD_PX + ROW_PX * min(rows, FIT_ROWS) + 2


def task_table(df: pd.DataFrame, key: str, *, height: int | str | None = None, columns: list[str] | None = None
               ) -> None:
    """A task table; choosing a row opens that task's page. ``columns``: the columns shown, in order (a narrow
    list for the first screen of a phone); the rows keep every column."""
    if df.empty:
        st.info("没有符合条件的任务。")
        return
    shown, dates = for_display(df if columns is None else df[columns])  # only what is shown
    shown, labels_config = coloured(shown)
    event = st.dataframe(shown, key=key, on_select="rerun", selection_mode="single-row", hide_index=True,
                         width="stretch", height=fit(len(df)) if height is None else height,
                         column_order=columns,
                         column_config={**dates, **labels_config,
                                        "进度(%)": st.column_config.ProgressColumn("进度", min_value=0, max_value=100,
                                                                                 format="%d%%", color="green"),
                                        "编号": st.column_config.TextColumn("编号", pinned=True)})
    rows = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    if rows:
        code = str(df.iloc[rows[0]]["编号"])
        del st.session_state[key]  # else coming back to this page would open the task again at once
        open_task(code)
    st.caption("点击表格左侧选择一行，打开该任务的详情页。")


def plain_table(df: pd.DataFrame, key: str | None = None, *, empty: str = "暂无记录。", height: int | str | None = None
                ) -> None:
    if df.empty:
        st.caption(empty)
        return
    shown, dates = for_display(df)
    shown, labels_config = coloured(shown)
    st.dataframe(shown, key=key, hide_index=True, width="stretch", column_config={**dates, **labels_config},
                 height=fit(len(df)) if height is None else height)


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
    """Figures side by side, wrapping onto the next line on a narrow screen (never one per line on a phone)."""
    with st.container(horizontal=True, gap="medium"):
        for label, value, help_text in items:
            st.metric(label, value, help=help_text or None, width="content")
