"""indexes for the supervision engine at scale: the scan's "is there a 督办 for this milestone and due date?" is
answered from one index.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_milestone')
        batch_op.create_index('ix_notice_milestone_level_due', ['milestone_id', 'level', 'milestone_due'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_milestone_level_due')
        batch_op.create_index('ix_notice_milestone', ['milestone_id'], unique=False)
