"""管理 (the office only): users, contacts and digests, importing tasks (validate → preview → commit), the
workbook of everything, the digest preview, a test mail, the scheduler's runs — and every one of these
refused by its service to anyone else."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from sqlmodel import select

from tests.test_app_support import (  # noqa: F401
    REPO,
    TODAY,
    cast,
    errors,
    frame,
    go,
    keys,
    login,
    new_app,
    ok,
    open_page,
    successes,
    text_of,
)
from ylyx_tasks import clock
from ylyx_tasks.config import get_settings
from ylyx_tasks.db import read_session, write_session
from ylyx_tasks.domain.roles import PermissionDenied, Role
from ylyx_tasks.models import Contact, JobRun, Task
from ylyx_tasks.reads import plans
from ylyx_tasks.services import users
from ylyx_tasks.services.mail import recipients
from ylyx_tasks.services.mail.queue import send_test_mail
from ylyx_tasks.services.plan import task_import, workbook


def admin(tab: str = "用户"):
    """The administration page on one of its tabs (only the open tab is drawn)."""
    at = ok(open_page("office"))
    at.session_state["ad_tabs"] = tab
    return ok(go(at, "admin"))


def password_in(message: str) -> str:
    return re.search(r"(?:初始密码|新密码)：(\w+)", message).group(1)


def test_the_office_adds_a_liaison_with_a_random_password_shown_once(cast):
    at = admin()
    at.text_input(key="ad_user_name").input("jiaoyu")
    at.text_input(key="ad_user_display").input("教育局联络员")
    at.selectbox(key="ad_user_role").set_value(Role.LIAISON.value)
    at.selectbox(key="ad_user_dept").set_value("市教育局")
    ok(at.button(key="ad_user_add_submit").click().run())
    message = successes(at)[0]
    assert message.startswith("已新增用户 jiaoyu，初始密码：")
    assert "jiaoyu" in set(frame(at, 0)["用户名"])
    newcomer = ok(login(new_app().run(), "jiaoyu", password_in(message)))
    assert "单位联络员 · 市教育局" in text_of(newcomer)


def test_a_liaison_without_a_unit_is_refused_with_a_message(cast):
    at = admin()
    at.text_input(key="ad_user_name").input("nounit")
    at.selectbox(key="ad_user_role").set_value(Role.LIAISON.value)
    ok(at.button(key="ad_user_add_submit").click().run())
    assert errors(at) == ["单位联络员须指定所属单位"]
    assert at.text_input(key="ad_user_name").value == "nounit"  # the form keeps what was typed


def test_a_password_reset_gives_a_new_password_and_ends_the_users_session(cast):
    victim = ok(open_page("weijian", "tasks"))
    at = admin()
    at.selectbox(key="ad_reset_user").set_value("weijian")
    ok(at.button(key="ad_reset_submit").click().run())
    new = password_in(successes(at)[0])
    ok(victim.run())
    assert not victim.dataframe and "请重新登录" in text_of(victim)
    assert errors(ok(login(new_app().run(), "weijian"))) == [users.FAILED]
    assert ok(login(new_app().run(), "weijian", new)).title[0].value == "总览"


def test_deactivating_a_user_signs_them_out(cast):
    victim = ok(open_page("tongji", "overview"))
    at = admin()
    at.selectbox(key="ad_active_user").set_value("tongji")
    ok(at.button(key="ad_deactivate").click().run())
    assert successes(at) == ["已停用 tongji。"]
    ok(victim.run())
    assert not victim.metric


def csv_file(text: str) -> tuple[str, bytes, str]:
    return ("contacts.csv", text.encode("utf-8"), "text/csv")


def test_a_contacts_file_with_bad_rows_imports_nothing_and_names_every_row(cast):
    at = admin("联系人与简报")
    at.file_uploader(key="ad_contacts_file_0").set_value(csv_file(
        "unit,name,email\n市民政局,张三,zhang@example.cn\n市外星局,李四,li@example.cn\n领导小组,王五,not-an-address\n"))
    ok(at.button(key="ad_contacts_submit").click().run())
    assert errors(at) == ["文件有 2 处错误，未导入任何联系人（见导入表单下方的错误清单）"]
    bad = frame(at, len(at.dataframe) - 1)
    assert list(bad["行"]) == [3, 4] and list(bad["列"]) == ["unit", "email"]
    with read_session() as s:
        assert s.exec(select(Contact)).first() is None


def test_contacts_are_imported_added_and_removed_with_what_each_receives(cast):
    at = admin("联系人与简报")
    at.file_uploader(key="ad_contacts_file_0").set_value(csv_file(
        "unit,name,email\n市民政局,张三,zhang@example.cn\n养老专班,李四,li@example.cn\n领导小组,王五,wang@example.cn\n"))
    ok(at.button(key="ad_contacts_submit").click().run())
    assert successes(at) == ["已导入联系人：新增 3，更新 0，未变 0，删除 0。"]
    table = frame(at, 0).set_index("邮箱")
    assert table.loc["wang@example.cn", "接收内容"] == "领导小组每周简报；全部通报"
    assert table.loc["li@example.cn", "单位"] == "养老专班"
    at.selectbox(key="ad_contact_unit").set_value("盐湖区人民政府")
    at.text_input(key="ad_contact_email").input("yanhu@example.cn")
    ok(at.button(key="ad_contact_add_submit").click().run())
    assert successes(at) == ["已新增联系人 yanhu@example.cn。"]
    with read_session() as s:
        contact_id = s.exec(select(Contact.id).where(Contact.email == "zhang@example.cn")).one()
    at.selectbox(key="ad_contact_pick").set_value(contact_id)
    ok(at.button(key="ad_contact_remove_submit").click().run())
    with read_session() as s:
        assert sorted(s.exec(select(Contact.email))) == ["li@example.cn", "wang@example.cn", "yanhu@example.cn"]


def seed_csv() -> str:
    return (REPO / "data" / "tasks_seed.csv").read_text(encoding="utf-8")


def test_a_tasks_file_is_validated_previewed_and_then_committed(cast):
    at = admin("导入任务")
    changed = seed_csv().replace("3.1,主要任务,加力整体推进增供给", "3.1,主要任务,加力整体推进增加供给")
    at.file_uploader(key="ad_tasks_file_0").set_value(("tasks.csv", changed.encode(), "text/csv"))
    ok(at.run())
    preview = frame(at, len(at.dataframe) - 1).set_index("编号")
    assert preview.loc["3.1", "变更"] == "更新" and preview.loc["3.1", "变更内容"] == "标题"
    assert preview.loc["4.5", "变更"] == "不变"
    with read_session() as s:  # nothing written by the preview
        assert s.exec(select(Task.title).where(Task.code == "3.1")).one() == "加力整体推进增供给"
    ok(at.button(key="ad_tasks_commit").click().run())
    assert successes(at) == ["已导入 tasks.csv：20 行。"]
    with read_session() as s:
        assert s.exec(select(Task.title).where(Task.code == "3.1")).one() == "加力整体推进增加供给"


def test_a_tasks_file_with_errors_shows_them_and_offers_no_commit(cast):
    at = admin("导入任务")
    bad = seed_csv().replace("3.2.1,主要任务", "3..1,主要任务").replace(",市统计局,", ",市外星局,")
    at.file_uploader(key="ad_tasks_file_0").set_value(("bad.csv", bad.encode(), "text/csv"))
    ok(at.run())
    assert errors(at) == ["校验未通过：2 处错误，不能导入。"]
    problems = frame(at, len(at.dataframe) - 1)
    assert set(problems["列"]) == {"code", "lead_departments"}
    assert "ad_tasks_commit" not in keys(at)


def test_everything_exports_as_one_workbook(cast):
    at = admin("导出")
    assert "ad_export" in keys(at, "download_button")
    with read_session() as s:
        data = workbook.export_everything(s, TODAY, plans.all_plans(s)[0])
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
    assert list(sheets) == ["任务清单", "时间节点", "责任分工", "进展报送", "办结与延期申请", "督办通知", "主要指标", "指标数值",
                            "单位评分", "县区进展矩阵"]
    assert len(sheets["任务清单"]) == 20 and len(sheets["时间节点"]) == 25 and len(sheets["主要指标"]) == 32


def test_the_digest_preview_shows_what_a_recipient_would_read(cast):
    at = admin("简报预览")
    at.selectbox(key="ad_digest_unit").set_value("leadership")
    ok(at.run())
    body = text_of(at)
    assert "每周督办简报" in body or "没有需要阅读的内容" in body


def test_a_test_mail_goes_to_the_outbox(cast):
    at = admin("测试邮件")
    at.text_input(key="ad_test_email").input("office@example.cn")
    ok(at.button(key="ad_test_submit").click().run())
    assert successes(at) == ["测试邮件已发送到 office@example.cn。"]
    assert list(Path(get_settings().outbox_dir).glob("*.eml"))


def test_the_schedulers_last_runs_are_listed(cast):
    with write_session() as s:
        now = clock.utcnow()
        s.add(JobRun(job="scan", started_at=now, finished_at=now + dt.timedelta(seconds=2), ok=True,
                     summary="2025-06-16 扫描：督办 5"))
    at = admin("运行记录")
    runs = frame(at, len(at.dataframe) - 1)
    assert list(runs["任务"]) == ["scan"] and list(runs["结果"]) == ["成功"]


@pytest.mark.parametrize("who", ["leader", "zonghe", "minzheng"])
def test_the_administration_services_refuse_everyone_but_the_office(cast, who):
    actor = cast[who]
    with write_session() as s, pytest.raises(PermissionDenied):
        users.create_user(s, actor, username="intruder", role=Role.OFFICE, password="Intruder-Pass-1")
    with write_session() as s, pytest.raises(PermissionDenied):
        users.set_password(s, actor, "office", "Taken-Over-Pass-1")
    with write_session() as s, pytest.raises(PermissionDenied):
        recipients.import_contacts(s, actor, b"unit,name,email\n")
    with write_session() as s, pytest.raises(PermissionDenied):
        recipients.add_contact(s, actor, unit="领导小组", name="x", email="x@example.cn")
    with write_session() as s, pytest.raises(PermissionDenied):
        task_import.preview_tasks_csv(s, actor, seed_csv().encode())
    with write_session() as s, pytest.raises(PermissionDenied):
        task_import.commit_tasks_csv(s, actor, seed_csv().encode())
    with pytest.raises(PermissionDenied):
        send_test_mail(actor, "x@example.cn")
