"""an index for the task list's choices at scale: each working group's first task in the plan by one seek.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_task_plan_group_position', 'task', ['plan_id', 'working_group_id', 'position'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_task_plan_group_position', table_name='task')
