"""indexes for the pages at scale: "is there demo data?" (asked on every page) and the open notices by level
and task (the cockpit's counts) from an index alone.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_report_demo', 'progress_report', ['is_demo'], unique=False)
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_status_level')
        batch_op.create_index('ix_notice_status_level_task', ['status', 'level', 'task_id', 'milestone_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_status_level_task')
        batch_op.create_index('ix_notice_status_level', ['status', 'level'], unique=False)
    op.drop_index('ix_report_demo', table_name='progress_report')
