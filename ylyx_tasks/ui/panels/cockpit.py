"""The leadership cockpit's panels (总览): filters, headline figures with the list behind each, charts, the
overdue list and the user's own to-do list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ylyx_tasks.domain.departments import is_territorial
from ylyx_tasks.domain.lights import Light
from ylyx_tasks.domain.roles import Role
from ylyx_tasks.reads import notices as notice_reads
from ylyx_tasks.reads.cockpit import figures as cockpit_reads
from ylyx_tasks.reads.cockpit import todo as todo_reads
from ylyx_tasks.reads.plans import PlanInfo
from ylyx_tasks.ui import widgets
from ylyx_tasks.ui.cached import common as cached
from ylyx_tasks.ui.cached import tasks as cached_tasks
from ylyx_tasks.ui.charts import specs as chart_specs
from ylyx_tasks.ui.guard import Ctx

ALL = "全部"
NOTICES_PAGE = "pages/notices.py"
RED = Light.RED.value  # a task is overdue exactly when its light is red


FILTER_KEYS = {"ov_group": "工作专班", "ov_dept": "责任单位", "ov_county": "属地单位"}


def filters(plan: PlanInfo) -> cockpit_reads.CockpitFilter:
    """The filters, folded away under one line that says what is chosen (a phone shows the figures first)."""
    departments = cached.departments(plan.id)
    groups = cached_tasks.filter_options(plan).groups
    city = [(i, n) for i, n, k in departments if not is_territorial(k)]
    counties = [(i, n) for i, n, k in departments if is_territorial(k)]
    chosen = [str(st.session_state[k]) for k in FILTER_KEYS if st.session_state.get(k, ALL) != ALL]
    label = f"筛选：{'、'.join(chosen)}" if chosen else "筛选（工作专班、责任单位、属地单位）"
    with st.expander(label, expanded=False, icon=":material/filter_list:"):
        c1, c2, c3 = st.columns(3)
        group = c1.selectbox("工作专班", [ALL, *groups], key="ov_group")
        dept = c2.selectbox("责任单位", [ALL, *[n for _, n in city]], key="ov_dept")
        county = c3.selectbox("属地单位", [ALL, *[n for _, n in counties]], key="ov_county")
    ids = {n: i for i, n, _ in departments}
    return cockpit_reads.CockpitFilter(group=None if group == ALL else group, department_id=ids.get(dept),
                                   county_id=ids.get(county))


def todo(ctx: Ctx) -> None:
    if ctx.user.role == Role.LEADER:
        return
    notices, notices_total = cached_tasks.todo_notices(ctx.plan, ctx.actor)
    requests = cached.pending_requests(ctx.plan.id)
    # only the tasks the list can be about: the unit's duties that are on it (found in SQL: the first of them,
    # and how many), those of its notices and of pending requests
    duties = cached_tasks.duty_candidates(ctx.today, ctx.plan, ctx.user.department_id) \
        if ctx.user.role == Role.LIAISON and ctx.user.department_id is not None else None
    reviews = ctx.user.role in (Role.MEMBER, Role.OFFICE)  # only they have requests on their list
    ids = {r.task_id for r in requests if reviews} | {n.task_id for n in notices} | set(duties.first if duties else ())
    views = cached_tasks.views_of(ctx.today, sorted(ids))
    items = todo_reads.todo_for(ctx.actor, views, notices, requests, ctx.today,
                                duties.reported_shares if duties else None,
                                duty_ids=set(duties.first) if duties else None)
    # the notices and duties not read are on the list too
    total = len(items) + notices_total - len(notices) + (duties.total - len(duties.first) if duties else 0)
    title = f"我的待办（{total}）" if items else "我的待办"
    with st.expander(title, expanded=bool(items), icon=":material/task_alt:"):
        if not items:
            st.caption("目前没有需要你处理的事项。")
            return
        shown = items[:cached_tasks.TODO_ROWS]
        df = pd.DataFrame([{"事项": i.what, "内容": i.detail} for i in shown])
        event = st.dataframe(df, key="ov_todo", on_select="rerun", selection_mode="single-row", hide_index=True,
                             width="stretch", height=widgets.fit(len(df)))
        rows = list(getattr(getattr(event, "selection", None), "rows", []) or [])
        if rows:
            del st.session_state["ov_todo"]  # else coming back to the cockpit would open it again at once
            _open(shown[rows[0]], views)
        st.caption("点击一行左侧的选择框，打开要办理的通知或任务。")
        if total > len(shown):
            st.caption(f"共 {total} 项，这里列出前 {len(shown)} 项；全部请到“督办”页（通知）和“任务清单”页（报送）查看。")


def _open(item: todo_reads.TodoItem, views) -> None:
    if item.notice_id is not None:
        st.switch_page(NOTICES_PAGE, query_params={"notice": str(item.notice_id)})
    code = next((v.code for v in views if v.id == item.task_id), None)
    if code is not None:
        widgets.open_task(code)


FIRST_SCREEN = ["overdue", "notices"]  # what a leader sees first, on a phone too
OVERDUE_COLUMNS = ["逾期天数", "编号", "任务", "牵头单位", "未结督办"]  # the first screen's list: narrow enough for a phone


def notice_scope(role: Role) -> str:
    """What a notice figure is limited to for ``role`` (the rule of reads.notices.visible_notice_filter)."""
    return {Role.LIAISON: "（本单位）", Role.MEMBER: "（本专班）"}.get(role, "")


def _figures(by_key: dict[str, cockpit_reads.Headline], keys: list[str], scope: str) -> list[tuple]:
    return [(by_key[k].label + (scope if by_key[k].kind == cockpit_reads.NOTICES else ""), by_key[k].value,
             by_key[k].help) for k in keys]


def first_screen(model: cached_tasks.Cockpit, role: Role) -> None:
    """What is overdue: the figures and the list of overdue milestones, longest overdue first."""
    by_key = {f.key: f for f in model.figures}
    widgets.metric_row(_figures(by_key, FIRST_SCREEN, notice_scope(role))
                       + [("逾期节点", model.overdue_total, "已过期限仍未完成的时间节点")])
    if model.overdue.empty:
        st.success("没有逾期未完成的节点。")
        return
    widgets.task_table(model.overdue.head(LIST_ROWS), key="ov_overdue", columns=OVERDUE_COLUMNS)
    _more(model.overdue_total, "任务清单")


def headline(figures: list[cockpit_reads.Headline], role: Role, plan_id: int) -> None:
    by_key = {f.key: f for f in figures}
    widgets.metric_row(_figures(by_key, ["all", "done", "in_progress", "pending", "not_started"], notice_scope(role)))
    latest = cached.latest_bulletin(plan_id)  # the periodic 通报: what it listed, not a count of old notices
    bulletin = [("最近一期通报列入", f"{len(latest.matters)} 项", latest.label)] if latest else \
        [("最近一期通报列入", "—", "本方案尚未印发通报（第N期）")]
    widgets.metric_row(_figures(by_key, ["red", "yellow", "green"], "") + bulletin)


def figure_list(ctx: Ctx, figures: list[cockpit_reads.Headline], f: cockpit_reads.CockpitFilter) -> None:
    """Choosing a figure shows exactly the tasks or notices it counts (the first :data:`LIST_ROWS` of them)."""
    by_key = {x.key: x for x in figures}
    # none chosen at first: the overdue list is already on the first screen
    choice = st.pills("查看明细", options=[x.key for x in figures], default=None, key="ov_figure",
                      format_func=widgets.labels(by_key, lambda x: f"{x.label} {x.value}"))
    if not choice:
        st.caption("点选一项，列出它所统计的任务或通知。")
        return
    fig = by_key[choice]
    if fig.kind == cockpit_reads.TASKS:
        widgets.task_table(cached_tasks.cockpit_list(ctx.today, ctx.plan, f, cockpit_reads.FIGURE_QUERIES[choice]), key="ov_figure_table")
    else:
        widgets.plain_table(notice_reads.notices_frame(cached_tasks.cockpit_notices(ctx.plan, ctx.actor, f, choice), ctx.today),
                            key="ov_figure_notices", empty="没有未办结的通知。")
    _more(fig.value, "任务清单" if fig.kind == cockpit_reads.TASKS else "督办")


LIST_ROWS = cached_tasks.LIST_ROWS  # rows of a list inside the cockpit; the full lists are on the task list and 督办 pages


def _first(items: list) -> list:
    return items[:LIST_ROWS]


def _more(total: int, page: str) -> None:
    if total > LIST_ROWS:
        st.caption(f"共 {total} 项，这里列出前 {LIST_ROWS} 项；全部请到“{page}”页筛选查看和下载。")


def chart_panels(ctx: Ctx, model: cached_tasks.Cockpit, f: cockpit_reads.CockpitFilter) -> None:
    tally = model.tally
    left, right = st.columns(2)
    with left:
        st.markdown("**各专班任务状态**")
        event = st.vega_lite_chart(chart_specs.status_by_group(ctx.plan.id, ctx.today, f, tally), on_select="rerun",
                                   key="ov_chart_status", width="stretch")
        picked = _picked(event)
        if picked:
            group, status = picked.get("工作专班"), picked.get("状态")
            total = int(tally.loc[(tally["工作专班"] == group) & (tally["状态"] == status), "任务数"].sum())
            st.caption(f"{group} · {status}：{total} 项")
            widgets.task_table(cached_tasks.cockpit_list(ctx.today, ctx.plan, f, cockpit_reads.TaskQuery(status=status, group=group)),
                               key="ov_status_tasks")
            _more(total, "任务清单")
    with right:
        st.markdown("**各牵头单位逾期节点**")
        spec = chart_specs.overdue_by_lead(ctx.plan.id, ctx.today, f, tally)
        if spec is None:
            st.caption("没有逾期节点。")
        else:
            event = st.vega_lite_chart(spec, on_select="rerun", key="ov_chart_overdue", width="stretch")
            picked = _picked(event)
            if picked:
                lead = picked.get("牵头单位")
                total = int(tally.loc[(tally["牵头单位"] == lead) & (tally["灯号"] == RED), "任务数"].sum())
                widgets.task_table(cached_tasks.cockpit_list(ctx.today, ctx.plan, f, cockpit_reads.TaskQuery(lead=lead, overdue=True)),
                                   key="ov_lead_tasks")
                _more(total, "任务清单")
    many = model.months is not None
    st.markdown("**时间节点**（红虚线为今天；" + ("按期限月份统计节点数）" if many else "空心点为延期前的原定期限）"))
    spec = chart_specs.milestone_timeline(ctx.plan.id, ctx.today, f, model)
    if spec is not None:
        st.vega_lite_chart(spec, width="stretch")


def _picked(event) -> dict:
    selection = getattr(event, "selection", None) or {}
    points = selection.get("pick") if isinstance(selection, dict) else None
    if isinstance(points, list) and points:
        return points[0]
    return {}


def indicator_panel(ctx: Ctx) -> None:
    st.markdown("**主要指标：基期 → 最新值 → 目标**")
    df = chart_specs.indicator_progress(ctx.plan.id)
    spec = chart_specs.indicators(ctx.plan.id)
    if spec is None:
        st.caption("暂无指标。")
        return
    if df["最新值"].isna().all():
        st.caption("尚未录入指标年度数值；图中为基期值相对目标的位置。")
    st.vega_lite_chart(spec, width="stretch")
    counts = df["达标"].value_counts()
    st.caption(f"已达标 {counts.get('已达标', 0)} 项，未达标 {counts.get('未达标', 0)} 项，无数据 {counts.get('无数据', 0)} 项。"
               "详见“指标”页。")


def overdue_panel(model: cached_tasks.Cockpit) -> None:
    """Every overdue milestone with its commitment and due date (the first screen lists the first of them)."""
    if model.overdue.empty:
        return
    panel = st.expander(f"逾期节点明细（{model.overdue_total}）", icon=":material/event_busy:", key="ov_overdue_panel",
                        on_change="rerun")
    if panel.open:  # the whole list is drawn only when asked for (the first screen shows its head)
        with panel:
            widgets.task_table(model.overdue, key="ov_overdue_all")
            _more(model.overdue_total, "任务清单")
