"""会商协调, 领导批示, 回头看 and forecasts: meetings, instructions and their events (both append-only, like the
audit log), rechecks, the lead units' forecasts, evidence files identical to another matter's; and the task's
source (方案条款 / 会议议定 / 领导批示) with its links. Existing tasks are the plans' clauses.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ylyx_tasks.models.types import TZDateTime

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

APPEND_ONLY = ("instruction", "instruction_event")


def upgrade() -> None:
    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('venue', sa.String(length=100), nullable=False),
    sa.Column('chair', sa.String(length=64), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('participant_units', sa.Text(), nullable=False),
    sa.Column('participant_people', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('issue_no', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', TZDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], name=op.f('fk_meeting_created_by_app_user')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_meeting_plan_id_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting'))
    )
    op.create_index(op.f('ix_meeting_plan_id'), 'meeting', ['plan_id'], unique=False)
    op.create_table('instruction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=False),
    sa.Column('leader_name', sa.String(length=64), nullable=False),
    sa.Column('target_kind', sa.String(length=8), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('target_label', sa.String(length=200), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', TZDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['leader_id'], ['app_user.id'], name=op.f('fk_instruction_leader_id_app_user')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_instruction_plan_id_plan')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_instruction_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instruction'))
    )
    op.create_index(op.f('ix_instruction_leader_id'), 'instruction', ['leader_id'], unique=False)
    op.create_index(op.f('ix_instruction_plan_id'), 'instruction', ['plan_id'], unique=False)
    op.create_index('ix_instruction_target', 'instruction', ['target_kind', 'target_id'], unique=False)
    op.create_table('instruction_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instruction_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=64), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('matter_id', sa.Integer(), nullable=True),
    sa.Column('created_at', TZDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['app_user.id'], name=op.f('fk_instruction_event_actor_id_app_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'],
                            name=op.f('fk_instruction_event_department_id_department')),
    sa.ForeignKeyConstraint(['instruction_id'], ['instruction.id'],
                            name=op.f('fk_instruction_event_instruction_id_instruction')),
    sa.ForeignKeyConstraint(['matter_id'], ['task.id'], name=op.f('fk_instruction_event_matter_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instruction_event'))
    )
    op.create_index(op.f('ix_instruction_event_instruction_id'), 'instruction_event', ['instruction_id'], unique=False)
    op.create_table('recheck',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('confirmed_by', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', TZDateTime(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', TZDateTime(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('reopened', sa.Boolean(), nullable=False),
    sa.Column('created_at', TZDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['confirmed_by'], ['app_user.id'], name=op.f('fk_recheck_confirmed_by_app_user')),
    sa.ForeignKeyConstraint(['decided_by'], ['app_user.id'], name=op.f('fk_recheck_decided_by_app_user')),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestone.id'], name=op.f('fk_recheck_milestone_id_milestone')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_recheck_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recheck')),
    sa.UniqueConstraint('milestone_id', 'completed_on', name=op.f('uq_recheck_milestone_id_completed_on'))
    )
    op.create_index(op.f('ix_recheck_task_id'), 'recheck', ['task_id'], unique=False)
    op.create_index('ix_recheck_status_due', 'recheck', ['status', 'due_on'], unique=False)
    op.create_table('forecast',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=True),
    sa.Column('milestone_due', sa.Date(), nullable=True),
    sa.Column('forecast', sa.String(length=8), nullable=False),
    sa.Column('light', sa.String(length=4), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', TZDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], name=op.f('fk_forecast_created_by_app_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_forecast_department_id_department')),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestone.id'], name=op.f('fk_forecast_milestone_id_milestone')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_forecast_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forecast')),
    sa.UniqueConstraint('task_id', 'period', name=op.f('uq_forecast_task_id_period'))
    )
    op.create_index(op.f('ix_forecast_task_id'), 'forecast', ['task_id'], unique=False)
    op.create_table('evidence_match',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('other_task_id', sa.Integer(), nullable=False),
    sa.Column('other_filename', sa.String(length=200), nullable=False),
    sa.Column('created_at', TZDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['other_task_id'], ['task.id'], name=op.f('fk_evidence_match_other_task_id_task')),
    sa.ForeignKeyConstraint(['request_id'], ['review_request.id'],
                            name=op.f('fk_evidence_match_request_id_review_request')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_evidence_match_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_match'))
    )
    op.create_index(op.f('ix_evidence_match_request_id'), 'evidence_match', ['request_id'], unique=False)
    _task_columns()
    _append_only()


def _task_columns() -> None:
    links = (('meeting_id', 'meeting'), ('related_task_id', 'task'))
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite adds a column with its reference in place (Alembic would copy the table, which every other
        # table references)
        op.execute("ALTER TABLE task ADD COLUMN source VARCHAR(4) DEFAULT '方案条款' NOT NULL")
        op.execute("ALTER TABLE task ADD COLUMN instruction_id INTEGER")
        for column, table in links:
            op.execute(f"ALTER TABLE task ADD COLUMN {column} INTEGER "
                       f"CONSTRAINT fk_task_{column}_{table} REFERENCES {table} (id)")
    else:
        op.add_column('task', sa.Column('source', sa.String(length=4), nullable=False, server_default='方案条款'))
        op.add_column('task', sa.Column('instruction_id', sa.Integer(), nullable=True))
        for column, table in links:
            op.add_column('task', sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(op.f(f'fk_task_{column}_{table}'), 'task', table, [column], ['id'])
    op.create_index(op.f('ix_task_meeting_id'), 'task', ['meeting_id'], unique=False)


def _append_only() -> None:
    """A 批示 and its events are never changed or removed: the database refuses UPDATE and DELETE."""
    for table in APPEND_ONLY:
        if op.get_bind().dialect.name == "sqlite":
            for verb in ("UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                           f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")
        else:
            op.execute(f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
                       f"BEGIN RAISE EXCEPTION '{table} is append-only'; END $$")
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in APPEND_ONLY:
        if sqlite:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
    op.drop_index(op.f('ix_task_meeting_id'), table_name='task')
    with op.batch_alter_table('task') as batch_op:
        for column in ('related_task_id', 'instruction_id', 'meeting_id', 'source'):
            batch_op.drop_column(column)
    op.drop_index(op.f('ix_evidence_match_request_id'), table_name='evidence_match')
    op.drop_table('evidence_match')
    op.drop_index(op.f('ix_forecast_task_id'), table_name='forecast')
    op.drop_table('forecast')
    op.drop_index('ix_recheck_status_due', table_name='recheck')
    op.drop_index(op.f('ix_recheck_task_id'), table_name='recheck')
    op.drop_table('recheck')
    op.drop_index(op.f('ix_instruction_event_instruction_id'), table_name='instruction_event')
    op.drop_table('instruction_event')
    op.drop_index('ix_instruction_target', table_name='instruction')
    op.drop_index(op.f('ix_instruction_plan_id'), table_name='instruction')
    op.drop_index(op.f('ix_instruction_leader_id'), table_name='instruction')
    op.drop_table('instruction')
    op.drop_index(op.f('ix_meeting_plan_id'), table_name='meeting')
    op.drop_table('meeting')
