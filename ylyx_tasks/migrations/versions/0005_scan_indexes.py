"""indexes for the daily scan at scale, each answering one of its questions from the index alone: "has this task
been chased for this period?" (replaces the plain task index, its prefix) and "which of this milestone's notices
are still open?" (the status joins the milestone index); "how many 通报 has this 督办 had?" (by parent).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_notice_task_level_period', 'notice', ['task_id', 'level', 'period'], unique=False)
    op.create_index('ix_notice_parent_level', 'notice', ['parent_id', 'level'], unique=False)
    op.drop_index('ix_notice_task_id', table_name='notice')
    op.drop_index('ix_notice_milestone_level_due', table_name='notice')
    op.create_index('ix_notice_milestone_level_due', 'notice', ['milestone_id', 'level', 'milestone_due', 'status'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_notice_milestone_level_due', table_name='notice')
    op.create_index('ix_notice_milestone_level_due', 'notice', ['milestone_id', 'level', 'milestone_due'],
                    unique=False)
    op.create_index('ix_notice_task_id', 'notice', ['task_id'], unique=False)
    op.drop_index('ix_notice_parent_level', table_name='notice')
    op.drop_index('ix_notice_task_level_period', table_name='notice')
