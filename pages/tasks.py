"""任务清单：the task list, filtered by group, unit and duty, status, light, due year and free text; the table
on the screen is exactly what the Excel and CSV downloads contain."""

from __future__ import annotations

import streamlit as st

from ylyx_tasks.domain.meetings import TaskSource
from ylyx_tasks.domain.roles import Role
from ylyx_tasks.reads import tasklist
from ylyx_tasks.ui import guard, widgets
from ylyx_tasks.ui.cached import tasks as cached_tasks
from ylyx_tasks.ui.feedback import safely

ctx = guard.page("tasks")  # first: stops here unless signed in and allowed to read this page

ALL = "全部"
SOURCES = [s.value for s in TaskSource]

with safely():
    st.title("任务清单")
    if ctx.plan is None:
        st.warning("还没有载入方案。")
        st.stop()
    total = cached_tasks.task_count(ctx.plan)
    options = cached_tasks.filter_options(ctx.plan)
    names = dict(options.departments)
    # A liaison starts with its own unit's tasks; everyone may widen the list.
    ids = {name: i for i, name in names.items()}
    if "tl_dept" not in st.session_state and ctx.user.role == Role.LIAISON and ctx.user.department_id in names:
        st.session_state["tl_dept"] = names[ctx.user.department_id]
    c1, c2, c3, c4 = st.columns([1, 2, 1, 1])
    group = c1.selectbox("工作专班", [ALL, *options.groups], key="tl_group")
    dept = c2.selectbox("责任单位", [ALL, *ids], key="tl_dept")
    duty = c3.selectbox("责任", [ALL, *options.duties], key="tl_duty")
    year = c4.selectbox("到期年份", [ALL, *[f"{y} 年" for y in options.years]], key="tl_year")
    c5, c6, c8, c7 = st.columns([1, 1, 1, 2])
    status = c5.selectbox("状态", [ALL, *options.statuses], key="tl_status")
    light = c6.selectbox("灯号", [ALL, *options.lights], key="tl_light")
    # the plan's own clauses by default; a meeting's decisions and a 批示's 交办 on demand
    source = c8.selectbox("来源", [*SOURCES, ALL], key="tl_source")
    text = c7.text_input("关键词", key="tl_text", placeholder="编号、任务名称、条文、单位或节点内容")
    chosen = tasklist.TaskFilter(
        group=None if group == ALL else group, department_id=ids.get(dept), duty=None if duty == ALL else duty,
        status=None if status == ALL else status, light=None if light == ALL else light,
        due_year=None if year == ALL else int(year.split()[0]),
        text=text or "", source=None if source == ALL else source)
    if st.session_state.get("tl_filter") != chosen:  # a new filter starts on its first page
        st.session_state["tl_filter"] = chosen
        st.session_state["tl_page"] = 1
    page = st.session_state.get("tl_page", 1)
    result = cached_tasks.task_list(ctx.today, ctx.plan, chosen, page - 1)
    if page > result.pages:  # the list shrank since the page was chosen
        st.session_state["tl_page"] = page = 1
        result = cached_tasks.task_list(ctx.today, ctx.plan, chosen, 0)
    if result.pages > 1:
        st.number_input(f"页（共 {result.pages} 页，每页 {cached_tasks.PAGE_ROWS} 项）", min_value=1,
                        max_value=result.pages, step=1, key="tl_page")
    st.caption(f"共 {total} 项任务，符合条件 {result.matching} 项。"
               + (f"本页显示第 {(page - 1) * cached_tasks.PAGE_ROWS + 1}–{(page - 1) * cached_tasks.PAGE_ROWS + len(result.frame)} 项；"
                  "下载包含全部符合条件的任务。" if result.pages > 1 else ""))
    widgets.task_table(result.frame, key="tl_table")
    if result.matching:
        widgets.downloads(lambda: cached_tasks.task_list_all(ctx.today, ctx.plan, chosen), stem=f"任务清单-{ctx.today.isoformat()}",
                          key="tl_download", unit=ctx.plan.issuing_office, as_of=ctx.today,
                          title=f"{ctx.plan.short_name or ctx.plan.title}任务清单")
