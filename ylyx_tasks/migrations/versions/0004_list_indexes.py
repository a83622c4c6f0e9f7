"""indexes for the lists at scale: a task's lead unit from an index alone; the plan's tasks in document order;
the newest notices in a status (the office's to-do list); the years in which milestones are due (the due-year
filter) and the overdue milestones longest overdue first.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_resp_task_duty_position', 'responsibility', ['task_id', 'duty', 'position', 'department_id'],
                    unique=False)
    op.create_index('ix_task_plan_position', 'task', ['plan_id', 'position', 'code', 'working_group_id', 'status'],
                    unique=False)
    op.create_index('ix_notice_status_created', 'notice', ['status', 'created_on', 'id'], unique=False)
    op.create_index('ix_milestone_due', 'milestone', ['due_date'], unique=False)
    op.create_index('ix_milestone_original_due', 'milestone', ['original_due'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_milestone_original_due', table_name='milestone')
    op.drop_index('ix_milestone_due', table_name='milestone')
    op.drop_index('ix_notice_status_created', table_name='notice')
    op.drop_index('ix_task_plan_position', table_name='task')
    op.drop_index('ix_resp_task_duty_position', table_name='responsibility')
