"""A password the office gave is changed by its owner at the first sign-in: app_user.must_change_password.

Accounts that exist keep working as they are (false).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN (SQLite too): rebuilding app_user would trip the foreign keys that point at it
    op.add_column('app_user', sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                        server_default=sa.false()))


def downgrade() -> None:
    op.drop_column('app_user', 'must_change_password')
