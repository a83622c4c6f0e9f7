"""plans, not the plan: each plan's own wording, units and groups; carried-over tasks; indicator years, interim
and county targets; the office's holiday calendar; deadlines flagged when counted on the fallback calendar.

Existing databases keep everything: the one plan gets its 文号, prefix and units from what it already has
(its notices' numbers, the units its tasks name, the counties), its indicators the years the first release
assumed (2020 → 2025), and the counters of its notice numbers move under its prefix so numbering continues.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

from ylyx_tasks.models.types import TZDateTime

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

MARKS = {"提醒": "提", "催报": "催", "督办": "督", "通报": "通"}


def upgrade() -> None:
    op.create_table('plan_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_plan_unit_department_id_department')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_unit_plan_id_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_unit')),
    sa.UniqueConstraint('plan_id', 'department_id', name=op.f('uq_plan_unit_plan_id_department_id'))
    )
    op.create_index(op.f('ix_plan_unit_department_id'), 'plan_unit', ['department_id'], unique=False)
    op.create_index(op.f('ix_plan_unit_plan_id'), 'plan_unit', ['plan_id'], unique=False)
    op.create_table('plan_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('working_group_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_group_plan_id_plan')),
    sa.ForeignKeyConstraint(['working_group_id'], ['working_group.id'],
                            name=op.f('fk_plan_group_working_group_id_working_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_group')),
    sa.UniqueConstraint('plan_id', 'working_group_id', name=op.f('uq_plan_group_plan_id_working_group_id'))
    )
    op.create_index(op.f('ix_plan_group_plan_id'), 'plan_group', ['plan_id'], unique=False)
    op.create_table('calendar_year',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.Column('entered_by', sa.Integer(), nullable=True),
    sa.Column('entered_at', TZDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['entered_by'], ['app_user.id'], name=op.f('fk_calendar_year_entered_by_app_user')),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_calendar_year'))
    )
    op.create_table('holiday',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('workday', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=100), nullable=False),
    sa.Column('entered_by', sa.Integer(), nullable=True),
    sa.Column('entered_at', TZDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['entered_by'], ['app_user.id'], name=op.f('fk_holiday_entered_by_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holiday')),
    sa.UniqueConstraint('day', name=op.f('uq_holiday_day'))
    )
    op.create_table('indicator_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('unit_key', sa.String(length=16), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'],
                            name=op.f('fk_indicator_target_department_id_department')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_indicator_target_indicator_id_indicator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_target')),
    sa.UniqueConstraint('indicator_id', 'year', 'unit_key', name=op.f('uq_indicator_target_indicator_id_year_unit_key'))
    )
    op.create_index(op.f('ix_indicator_target_indicator_id'), 'indicator_target', ['indicator_id'], unique=False)

    # New columns with a server default: SQLite adds them in place (no table copy), existing rows get the default.
    for name, length, default in (('short_name', 32, ''), ('doc_number', 64, ''), ('issuing_office', 100, ''),
                                  ('notice_prefix', 16, ''), ('territorial_phrase', 100, ''),
                                  ('status', 8, '在实施')):
        op.add_column('plan', sa.Column(name, sa.String(length=length), nullable=False,
                                        server_default=sa.text(f"'{default}'")))
    op.add_column('plan', sa.Column('closed_on', sa.Date(), nullable=True))
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite adds a column with its reference in place (Alembic would copy the table, which every other
        # table references)
        op.execute("ALTER TABLE task ADD COLUMN carried_from_id INTEGER "
                   "CONSTRAINT fk_task_carried_from_id_task REFERENCES task (id)")
    else:
        op.add_column('task', sa.Column('carried_from_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_task_carried_from_id_task'), 'task', 'task', ['carried_from_id'], ['id'])
    op.add_column('indicator', sa.Column('baseline_year', sa.Integer(), nullable=True))
    op.add_column('indicator', sa.Column('target_year', sa.Integer(), nullable=True))
    op.add_column('notice', sa.Column('calendar_fallback', sa.Boolean(), nullable=False, server_default=sa.false()))
    if op.get_bind().dialect.name == 'postgresql':
        # a plan's section headings are longer than 主要任务; SQLite does not enforce VARCHAR lengths
        op.alter_column('task', 'section', existing_type=sa.String(length=8), type_=sa.String(length=32),
                        existing_nullable=False)
    _carry_data()


def _carry_data() -> None:
    """What the first release knew implicitly, written down for the plan(s) already in the database."""
    conn = op.get_bind()
    plans = conn.execute(sa.text("SELECT id, code FROM plan ORDER BY id")).all()
    numbers = [n for (n,) in conn.execute(sa.text("SELECT number FROM notice WHERE number IS NOT NULL LIMIT 200"))]
    prefixes = {m.group(1) for n in numbers if (m := re.match(r"^(.+?)[提催督通]〔\d{4}〕", n))}
    prefix = prefixes.pop() if len(prefixes) == 1 else ''
    for plan_id, code in plans:
        conn.execute(sa.text("UPDATE plan SET doc_number = :code, notice_prefix = :prefix WHERE id = :id"),
                     {"code": code, "prefix": prefix, "id": plan_id})
        conn.execute(sa.text(
            "INSERT INTO plan_unit (plan_id, department_id, position) "
            "SELECT :p, d.id, d.id FROM department d"), {"p": plan_id})
        conn.execute(sa.text(
            "INSERT INTO plan_group (plan_id, working_group_id, position) "
            "SELECT :p, g.id, g.id FROM working_group g"), {"p": plan_id})
        conn.execute(sa.text("UPDATE indicator SET baseline_year = 2020, target_year = 2025 WHERE plan_id = :p"),
                     {"p": plan_id})
    if prefix:
        # "督办:2026" → "运养托|督办:2026": numbers continue under the plan's prefix
        for name, value in conn.execute(sa.text("SELECT name, value FROM counter")).all():
            level, _, year = name.partition(":")
            if level in MARKS and year.isdigit():
                conn.execute(sa.text("UPDATE counter SET name = :new WHERE name = :old"),
                             {"new": f"{prefix}|{name}", "old": name})


def downgrade() -> None:
    conn = op.get_bind()
    for name, _value in conn.execute(sa.text("SELECT name, value FROM counter")).all():
        if "|" in name:
            conn.execute(sa.text("UPDATE counter SET name = :new WHERE name = :old"),
                         {"new": name.split("|", 1)[1], "old": name})
    if conn.dialect.name == 'postgresql':
        op.alter_column('task', 'section', existing_type=sa.String(length=32), type_=sa.String(length=8),
                        existing_nullable=False)
    with op.batch_alter_table('notice') as batch_op:
        batch_op.drop_column('calendar_fallback')
    with op.batch_alter_table('indicator') as batch_op:
        batch_op.drop_column('target_year')
        batch_op.drop_column('baseline_year')
    with op.batch_alter_table('task') as batch_op:
        batch_op.drop_column('carried_from_id')
    with op.batch_alter_table('plan') as batch_op:
        for name in ('closed_on', 'status', 'territorial_phrase', 'notice_prefix', 'issuing_office', 'doc_number',
                     'short_name'):
            batch_op.drop_column(name)
    op.drop_index(op.f('ix_indicator_target_indicator_id'), table_name='indicator_target')
    op.drop_table('indicator_target')
    op.drop_table('holiday')
    op.drop_table('calendar_year')
    op.drop_index(op.f('ix_plan_group_plan_id'), table_name='plan_group')
    op.drop_table('plan_group')
    op.drop_index(op.f('ix_plan_unit_plan_id'), table_name='plan_unit')
    op.drop_index(op.f('ix_plan_unit_department_id'), table_name='plan_unit')
    op.drop_table('plan_unit')
