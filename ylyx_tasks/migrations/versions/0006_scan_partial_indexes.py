"""partial indexes for the daily scan at scale: each of its questions is answered from a small index that holds
just the rows it is about — the open notices by milestone, the 督办 by milestone and due date, the unfinished
and the done milestones — and the tasks' report periods without reading the wide task rows.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# the values as they were when this migration was written (a migration does not follow later code)
OPEN = "status IN ('待报送', '待签收', '已签收', '已反馈')"
UNFINISHED = "status IN ('未启动', '推进中')"
DONE = "status = '已完成'"
SUPERVISE = "level = '督办'"


def _where(sql: str) -> dict:
    return {"postgresql_where": sa.text(sql), "sqlite_where": sa.text(sql)}


def upgrade() -> None:
    op.create_index('ix_notice_open_milestone', 'notice', ['milestone_id', 'id'], unique=False, **_where(OPEN))
    op.create_index('ix_notice_supervise_milestone_due', 'notice', ['milestone_id', 'milestone_due'], unique=False,
                    **_where(SUPERVISE))
    op.create_index('ix_milestone_unfinished', 'milestone', ['id', 'due_date', 'task_id'], unique=False,
                    **_where(UNFINISHED))
    op.create_index('ix_milestone_done', 'milestone', ['id'], unique=False, **_where(DONE))
    op.create_index('ix_task_report', 'task', ['plan_id', 'last_report_period', 'status', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_task_report', table_name='task')
    op.drop_index('ix_milestone_done', table_name='milestone')
    op.drop_index('ix_milestone_unfinished', table_name='milestone')
    op.drop_index('ix_notice_supervise_milestone_due', table_name='notice')
    op.drop_index('ix_notice_open_milestone', table_name='notice')
