"""The guard every page calls first, before it reads anything.

Streamlit runs a page file directly — without the entry script — when a ``pages/`` folder sits next to the
entry script and a page's URL is the first request a freshly started server receives (its legacy multipage
mode; AppTest's ``switch_page`` does the same). So the entry script cannot be the only gate: this guard makes
sure the database is ready, asks for the sign-in, checks that the role may read the page, and draws the
sidebar. It ends the run with ``st.stop()`` whenever the page must not be shown.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ylyx_tasks import clock
from ylyx_tasks.config import get_settings
from ylyx_tasks.domain.roles import Actor, Permission, Role, TaskScope, can
from ylyx_tasks.reads.plans import PlanInfo, default_plan
from ylyx_tasks.services.setup import ensure_ready
from ylyx_tasks.services.users import LoginFailed
from ylyx_tasks.ui import account, auth, feedback
from ylyx_tasks.ui.cached import common as cached
from ylyx_tasks.ui.charts import templates as charts
from ylyx_tasks.ui.fmt import iso, md_escape
from ylyx_tasks.ui.navigation import BY_KEY, allowed, pages_for

APP_TITLE = "养老托育方案 · 任务清单与督查督办"


@dataclass(frozen=True)
class Ctx:
    """What a page knows about the request: who, which day it is, and which plan the user is looking at."""

    user: auth.SessionUser
    today: dt.date
    plan: PlanInfo | None = None

    @property
    def actor(self) -> Actor:
        return self.user.actor

    def can(self, permission: Permission, scope: TaskScope | None = None) -> bool:
        return can(self.actor, permission, scope)


@st.cache_resource(show_spinner="正在准备数据库……")
def _ready(database_url: str) -> bool:
    ensure_ready()  # migrate, and load the plan into a new database
    for kind in ("status_by_group", "overdue_by_lead", "milestone_timeline", "milestone_months", "indicators",
                 "indicator_trend"):
        charts.template(kind)  # built once, here, rather than by the first visitor of the cockpit
    return True


FAVICON = Path(__file__).parent / "static" / "favicon.png"  # served by the app itself: no font host on an intranet
# Streamlit's own widget strings that have no setting, in Chinese (the upload button and its hint), and the
# English hints and the table's own CSV download hidden (each page offers its own Excel/CSV downloads).
CHINESE_WIDGETS = """<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: "选择文件"; font-size: 0.875rem; }
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after { content: "或将文件拖放到此处"; font-size: 0.8rem; }
[data-testid="InputInstructions"] { display: none; }
button[aria-label="Download as CSV"] { display: none; }
</style>"""


def setup_page(title: str) -> None:
    st.set_page_config(page_title=f"{title} · 养老托育督查督办", page_icon=str(FAVICON), layout="wide")
    st.html(CHINESE_WIDGETS)
    try:
        _ready(get_settings().effective_database_url)
    except Exception as exc:  # noqa: BLE001 — no database, no app: say so plainly
        feedback.unexpected(exc)
        st.stop()


def login_form() -> None:
    st.title(APP_TITLE)
    reason = auth.signed_out_reason()
    if reason:
        st.info(reason)
    left, _ = st.columns([2, 3])
    with left, st.form("login", clear_on_submit=False):
        st.subheader("登录")
        username = st.text_input("用户名", key="login_username", autocomplete="username")
        password = st.text_input("密码", type="password", key="login_password", autocomplete="current-password")
        submitted = st.form_submit_button("登录", type="primary", key="login_submit")
    if submitted:
        try:
            auth.sign_in(username, password)
        except LoginFailed as exc:
            left.error(str(exc))
            return
        st.rerun()
    st.caption("账号由专班办公室统一分配。连续输错密码后，须稍等片刻才能再试。")


PLAN_KEY = "plan"  # the chosen plan's code: in the session, and in the URL (?plan=…) so a link keeps it


def _picked() -> None:
    code = st.session_state["plan_pick"]
    st.session_state[PLAN_KEY] = code
    st.query_params[PLAN_KEY] = code


def choose_plan(user: auth.SessionUser, today: dt.date) -> PlanInfo | None:
    """The plan the pages show, chosen in the sidebar: the plans in force today (and those being closed out)
    for everyone, every plan for the office. Starts on ``?plan=`` or the newest plan in force."""
    plans = cached.visible_plans(today, see_all=user.role == Role.OFFICE)
    if not plans:
        return None
    by_code = {p.code: p for p in plans}
    wanted = st.query_params.get(PLAN_KEY) or st.session_state.get(PLAN_KEY)
    if wanted not in by_code:
        fallback = default_plan(plans, today)
        wanted = fallback.code if fallback else plans[0].code
    if len(plans) > 1:
        # Set before the widget on every run: a widget's own state does not survive a change of page, and the
        # URL or the session is the truth; a pick by the user is stored by the callback before the next run.
        st.session_state["plan_pick"] = wanted
        wanted = st.selectbox("方案", list(by_code), key="plan_pick", on_change=_picked,
                                      format_func=lambda c: by_code[c].label if c in by_code else "—")
    else:
        st.caption(f"方案：{by_code[wanted].label}")
    st.session_state[PLAN_KEY] = wanted
    if st.query_params.get(PLAN_KEY) != wanted:
        st.query_params[PLAN_KEY] = wanted
    return by_code[wanted]


def sidebar(user: auth.SessionUser) -> DeltaGenerator:
    """The sidebar: the title, a place for the plan chooser (returned), the role's pages, who is signed in."""
    with st.sidebar:
        st.markdown("### :material/assignment: 养老托育督查督办")
        chooser = st.container()
        for spec in pages_for(user.role):
            st.page_link(spec.file, label=spec.title, icon=spec.icon)
        st.divider()
        st.markdown(f"**{md_escape(feedback_name(user))}**")
        st.caption(f"{user.role.value}" + (f" · {md_escape(user.unit)}" if user.unit else ""))
        st.caption(f"今天：{iso(clock.today())}")
        password = st.expander("修改密码", icon=":material/key:", key="acct_expander", on_change="rerun")
        if password.open:  # drawn only when opened: not on every run of every page
            with password:
                account.password_form(user, first=False)
        if st.button("退出登录", key="logout", icon=":material/logout:"):
            auth.sign_out("已退出登录。")
            st.rerun()
    return chooser


# On a phone the sidebar covers the page: once a page is opened from it, fold it away (a desktop keeps it).
# Streamlit has no setting for this; the script runs in the page's own origin (nothing leaves the machine).
FOLD_SIDEBAR = """<script>
  const w = window.parent, d = w.document, bar = d.querySelector('[data-testid="stSidebar"]');
  if (w.innerWidth < 640 && bar && bar.getBoundingClientRect().right > 0) {
    const fold = bar.querySelector('[data-testid="stSidebarCollapseButton"] button, button[aria-label="Collapse sidebar"]');
    if (fold) fold.click();
  }
</script><!-- %s -->"""


def fold_sidebar_on_phone(page_key: str) -> None:
    if auth.served():
        st.iframe(FOLD_SIDEBAR % page_key, height=1)  # one per page: a new page runs it once


def feedback_name(user: auth.SessionUser) -> str:
    return user.display_name if user.display_name == user.username else f"{user.display_name}（{user.username}）"


def page(key: str) -> Ctx:
    """Call at the very top of a page file. Returns only when a signed-in user may read the page."""
    spec = BY_KEY[key]
    st.session_state[feedback.START_KEY] = time.perf_counter()
    setup_page(spec.title)
    user = auth.current_user()
    if user is None:
        if not auth.claim_pending():
            login_form()
        st.stop()
    account.first_sign_in(user)  # a password the office gave: set one's own before anything else
    chooser = sidebar(user)
    fold_sidebar_on_phone(key)
    if not allowed(user.role, key):
        st.error(f"“{user.role.value}”账号无权查看“{spec.title}”页面。")
        st.stop()
    today = clock.today()
    with chooser:
        plan = choose_plan(user, today)
    feedback.show_flashes()
    if cached.demo_present():
        st.caption(":material/science: 演示环境：进展、申请、督办答复和指标数值均为虚构的演示数据，标有“【演示数据】”。")
    if user.role == Role.OFFICE:
        missing = cached.unknown_calendar_years(today)
        if missing:
            st.warning(f"{'、'.join(map(str, missing))} 年的法定节假日安排尚未录入：这些年份的反馈期限暂按周一至周五推算。"
                       "请在“管理 → 节假日”录入国务院办公厅的放假通知。", icon=":material/event_busy:")
    return Ctx(user=user, today=today, plan=plan)
