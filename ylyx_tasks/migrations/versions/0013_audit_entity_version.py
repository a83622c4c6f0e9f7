"""an index for the indicators' own cache version: the newest audit event of a few entities by one seek each.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_audit_entity_newest', 'audit_event', ['entity', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_audit_entity_newest', table_name='audit_event')
