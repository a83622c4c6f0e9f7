"""管理 → 节假日: the years whose official holiday calendar is not known yet (deadlines are then counted Monday
to Friday), and entering a year's 国务院办公厅 notice, day by day."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ylyx_tasks.db import read_session
from ylyx_tasks.reads.holidays import entered_days
from ylyx_tasks.services.holidays import enter_year
from ylyx_tasks.ui import actions, widgets
from ylyx_tasks.ui.cached import common as cached
from ylyx_tasks.ui.guard import Ctx

EXAMPLE = "2027-01-01 放假 元旦\n2027-02-05至2027-02-11 放假 春节\n2027-02-14 上班 春节调休"


def render(ctx: Ctx) -> None:
    missing = cached.unknown_calendar_years(ctx.today)
    if missing:
        st.warning(f"{'、'.join(map(str, missing))} 年的放假安排尚未录入：这些年份的督办反馈期限暂按周一至周五推算，"
                   "通知和页面上都会注明。")
    else:
        st.success("今年（及已公布的明年）的法定节假日都已知，反馈期限按国家法定工作日计算。")
    with st.form("ad_calendar"):
        st.markdown("**录入一年的放假安排**（国务院办公厅通知，整年一次录入，再次录入即替换该年）")
        c1, c2 = st.columns([1, 3])
        c1.number_input("年份", min_value=2000, max_value=2100, value=missing[0] if missing else ctx.today.year + 1,
                        step=1, key="ad_cal_year")
        c2.text_input("通知文号或标题", key="ad_cal_source", placeholder="如：国办发明电〔2026〕12号")
        st.text_area("放假和调休上班的日期（每行一段）", key="ad_cal_text", height=200, placeholder=EXAMPLE)
        actions.submit("保存", key="ad_cal_submit", type="primary",
                       fields=["ad_cal_year", "ad_cal_text", "ad_cal_source"], clear=["ad_cal_text"],
                       action=lambda s, f: enter_year(s, ctx.actor, year=int(f["ad_cal_year"]),
                                                      text=f["ad_cal_text"] or "", source=f["ad_cal_source"] or ""),
                       success=lambda n: f"已录入 {n} 天。")
    year = st.number_input("查看某年已录入的日期", min_value=2000, max_value=2100, value=ctx.today.year + 1,
                           step=1, key="ad_cal_show")
    with read_session() as s:
        days = entered_days(s, int(year))
    widgets.plain_table(pd.DataFrame([{"日期": d.day, "安排": "上班" if d.workday else "放假", "说明": d.note}
                                      for d in days]), key="ad_cal_days", empty=f"{year} 年尚未录入。")
