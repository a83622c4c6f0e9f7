"""A database made by the previous release (schema 0007: one plan, its wording in the settings, milestones keyed
2022/2025, notice counters per level and year) migrates to several plans with nothing lost, and numbering
continues where it was."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import command
from sqlmodel import select

from ylyx_tasks import db
from ylyx_tasks.domain.notices import NoticeLevel
from ylyx_tasks.models import Counter, Indicator, Notice, PlanGroup, PlanUnit
from ylyx_tasks.reads.plans import all_plans, territorial_units
from ylyx_tasks.services.supervision.issue import NewNotice, create_notices

NOW = "2023-01-10 00:00:00"


def _old_release_database() -> None:
    """Schema 0007 with the rows the previous release wrote (its own SQL: the models have moved on)."""
    cfg = db.alembic_config()
    with db.get_engine().begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0007")
        run = conn.execute
        run(sa.text("INSERT INTO plan (id, code, title, issuer, issued_on, period_start, period_end) VALUES "
                    "(1, '运政办发〔2022〕29号', '关于运城市“十四五”时期养老托育整体解决方案', '运城市人民政府办公室', "
                    "'2022-11-17', '2021-01-01', '2025-12-31')"))
        run(sa.text("INSERT INTO department (id, name, short_name, kind, active) VALUES "
                    "(1, '市民政局', '民政局', '市直部门', true), (2, '盐湖区人民政府', '盐湖区', '县级政府', true)"))
        run(sa.text("INSERT INTO working_group (id, name, description) VALUES (1, '综合专班', '')"))
        run(sa.text("INSERT INTO task (id, plan_id, code, position, section, title, clause_text, working_group_id, "
                    "county_responsible, status, progress, version, created_at, updated_at) VALUES "
                    f"(1, 1, '3.1', 0, '主要任务', '加力整体推进增供给', '……', 1, true, '推进中', 30, 3, '{NOW}', '{NOW}')"))
        run(sa.text("INSERT INTO responsibility (task_id, department_id, duty, position) VALUES "
                    "(1, 1, '牵头', 0), (1, 2, '属地', 1)"))
        run(sa.text("INSERT INTO milestone (id, task_id, key, commitment, start_date, original_due, due_date, status, "
                    f"created_at, updated_at) VALUES (1, 1, '2022', '2022 年底…', '2022-11-17', '2022-12-31', "
                    f"'2022-12-31', '推进中', '{NOW}', '{NOW}'), (2, 1, '2025', '', '2022-11-17', '2025-12-31', "
                    f"'2025-12-31', '未启动', '{NOW}', '{NOW}')"))
        run(sa.text("INSERT INTO notice (id, dedup_key, level, number, task_id, milestone_id, department_id, "
                    "milestone_due, reason, created_on, created_at, response_due, status, answer_situation, "
                    "answer_reason, close_note, version) VALUES (1, '督办:m1:2022-12-31', '督办', "
                    f"'运养托督〔2023〕1号', 1, 1, 1, '2022-12-31', '节点逾期未完成', '2023-01-03', '{NOW}', "
                    "'2023-01-10', '待签收', '', '', '', 1)"))
        run(sa.text("INSERT INTO counter (name, value) VALUES ('督办:2023', 1)"))
        run(sa.text("INSERT INTO indicator (id, plan_id, \"group\", no, position, name, unit, baseline_text, "
                    "target_text, baseline_value, target_value, comparator, nature, source, note) VALUES "
                    "(1, 1, '养老服务指标', '1', 0, '基本养老保险参保率', '%', '95', '≥95', 95, 95, '≥', '预期性', "
                    "'主要指标表', '')"))
        if conn.dialect.name == "postgresql":  # rows written with their ids: the sequences move past them
            for table in ("plan", "department", "working_group", "task", "milestone", "notice", "indicator"):
                run(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))


def test_a_database_of_the_previous_release_migrates_with_nothing_lost(any_db):
    _old_release_database()

    before = db.migrate()

    assert before == "0007"
    with db.read_session() as s:
        [plan] = all_plans(s)
        assert (plan.code, plan.doc_number, plan.notice_prefix, plan.status) == (
            "运政办发〔2022〕29号", "运政办发〔2022〕29号", "运养托", "在实施")
        assert {u.department_id for u in s.exec(select(PlanUnit))} == {1, 2}
        assert [g.working_group_id for g in s.exec(select(PlanGroup))] == [1]
        assert [d.name for d in territorial_units(s, plan.id)] == ["盐湖区人民政府"]
        indicator = s.get(Indicator, 1)
        assert (indicator.baseline_year, indicator.target_year) == (2020, 2025)
        assert s.get(Notice, 1).number == "运养托督〔2023〕1号" and not s.get(Notice, 1).calendar_fallback
        assert [c.name for c in s.exec(select(Counter))] == ["运养托|督办:2023"]
    with db.write_session() as s:  # numbering continues where the previous release left it
        [made] = create_notices(s, [NewNotice("督办:m2:2025-12-31", NoticeLevel.SUPERVISE, 1, 1, milestone_id=2,
                                              milestone_due=dt.date(2025, 12, 31))], today=dt.date(2023, 3, 1))
        assert made.number == "运养托督〔2023〕2号"
