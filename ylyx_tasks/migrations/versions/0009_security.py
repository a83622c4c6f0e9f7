"""security: signed-in browsers bound to a server-side session row (the cookie's secret, hashed), failed
sign-ins counted per account and source, and the text already stored passed through the input gate once (control
characters removed, NFC) — what the gate now does for every new write — so that old data exports too.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ylyx_tasks.domain.security.inputs import clean_text
from ylyx_tasks.models.types import TZDateTime

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('web_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', TZDateTime(), nullable=False),
    sa.Column('last_seen', TZDateTime(), nullable=False),
    sa.Column('claimed_at', TZDateTime(), nullable=True),
    sa.Column('revoked_at', TZDateTime(), nullable=True),
    sa.Column('revoked_why', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_web_session_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_web_session_token_hash'))
    )
    op.create_index(op.f('ix_web_session_user_id'), 'web_session', ['user_id'], unique=False)
    op.create_table('sign_in_throttle',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('blocked_until', TZDateTime(), nullable=True),
    sa.Column('updated_at', TZDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sign_in_throttle'))
    )
    op.create_index(op.f('ix_sign_in_throttle_updated_at'), 'sign_in_throttle', ['updated_at'], unique=False)
    clean_stored_text()


# the text people wrote, as it stood at this revision: (table, columns, one-line?)
STORED_TEXT = [
    ("progress_report", ("text", "evidence"), False),
    ("review_request", ("text", "links", "decision_note"), False),
    ("notice", ("reason", "answer_situation", "answer_reason", "close_note"), False),
    ("task", ("clause_text",), False), ("task", ("title",), True),
    ("milestone", ("commitment",), False),
    ("indicator_value", ("note",), False),
    ("contact", ("name",), True), ("app_user", ("display_name",), True), ("holiday", ("note",), True),
]
_PG_CONTROL = "[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\u202a-\\u202e]"


def clean_stored_text() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    for table, columns, one_line in STORED_TEXT:
        t = sa.table(table, sa.column("id"), *(sa.column(c) for c in columns))
        query = sa.select(t.c.id, *(t.c[c] for c in columns))
        if postgres:  # only the rows that need it (SQLite has no regular expressions: it reads them all)
            query = query.where(sa.or_(*(t.c[c].op("~")(_PG_CONTROL) for c in columns)))
        for row in bind.execute(query).all():
            values = {c: clean_text(v, one_line=one_line) for c, v in zip(columns, row[1:], strict=True)
                      if isinstance(v, str)}
            changed = {c: v for c, v in values.items() if v != getattr(row, c)}
            if changed:
                bind.execute(sa.update(t).where(t.c.id == row.id).values(**changed))


def downgrade() -> None:
    op.drop_index(op.f('ix_sign_in_throttle_updated_at'), table_name='sign_in_throttle')
    op.drop_table('sign_in_throttle')
    op.drop_index(op.f('ix_web_session_user_id'), table_name='web_session')
    op.drop_table('web_session')
