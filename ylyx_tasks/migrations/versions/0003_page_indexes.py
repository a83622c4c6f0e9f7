"""indexes for the pages at scale (cockpit, task list, task page).

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


def downgrade() -> None:
    op.drop_index('ix_report_demo', table_name='progress_report')
