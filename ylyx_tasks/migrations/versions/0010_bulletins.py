"""通报 as a periodic bulletin: tables ``bulletin`` and ``bulletin_matter``.

The per-milestone 通报 made so far stay as they are (readable, with their answers and audit trail; no new ones are
made). Their history is carried over: each month in which a plan had such 通报 becomes an issued, legacy bulletin
of that month, listing each milestone's due date once, so that the scores keep counting the listings (and the
repeated ones) they counted before.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from ylyx_tasks.models.types import TZDateTime

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bulletin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('issue_no', sa.Integer(), nullable=True),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('drafted_on', sa.Date(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('issued_at', TZDateTime(), nullable=True),
    sa.Column('issued_by', sa.Integer(), nullable=True),
    sa.Column('rectify_by', sa.Date(), nullable=True),
    sa.Column('legacy', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['issued_by'], ['app_user.id'], name=op.f('fk_bulletin_issued_by_app_user')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_bulletin_plan_id_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulletin')),
    sa.UniqueConstraint('number', name=op.f('uq_bulletin_number')),
    sa.UniqueConstraint('plan_id', 'period', name=op.f('uq_bulletin_plan_id_period'))
    )
    op.create_table('bulletin_matter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bulletin_id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('milestone_due', sa.Date(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('added_by_office', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['bulletin_id'], ['bulletin.id'], name=op.f('fk_bulletin_matter_bulletin_id_bulletin')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'],
                            name=op.f('fk_bulletin_matter_department_id_department')),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestone.id'], name=op.f('fk_bulletin_matter_milestone_id_milestone')),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_bulletin_matter_notice_id_notice')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_bulletin_matter_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulletin_matter')),
    sa.UniqueConstraint('bulletin_id', 'milestone_id', 'milestone_due',
                        name=op.f('uq_bulletin_matter_bulletin_id_milestone_id_milestone_due'))
    )
    op.create_index('ix_bulletin_matter_department_id', 'bulletin_matter', ['department_id', 'bulletin_id'],
                    unique=False)
    _carry_over_history()


def _carry_over_history() -> None:
    """One issued legacy bulletin per plan and month that had per-milestone 通报, numbered 第1期, 第2期… per plan
    and year in month order; each milestone due date listed once per month (the first 通报's reason). The issue
    counters continue from them; the 文号 sequence (运养托通〔年〕N号) is the one the 通报 already used."""
    bind = op.get_bind()
    notice, task = sa.table('notice', sa.column('id'), sa.column('level'), sa.column('task_id'),
                            sa.column('milestone_id'), sa.column('milestone_due'), sa.column('department_id'),
                            sa.column('parent_id'), sa.column('reason'), sa.column('created_on')), \
        sa.table('task', sa.column('id'), sa.column('plan_id'))
    rows = bind.execute(sa.select(notice.c.id, task.c.plan_id, notice.c.task_id, notice.c.milestone_id,
                                  notice.c.milestone_due, notice.c.department_id, notice.c.parent_id,
                                  notice.c.reason, notice.c.created_on)
                        .join(task, task.c.id == notice.c.task_id)
                        .where(notice.c.level == '通报', notice.c.milestone_id.is_not(None))
                        .order_by(notice.c.created_on, notice.c.id)).all()
    months: dict[tuple[int, str], dict[tuple[int, dt.date], tuple]] = defaultdict(dict)
    for r in rows:
        created = r.created_on if isinstance(r.created_on, dt.date) else dt.date.fromisoformat(str(r.created_on))
        due = r.milestone_due or created
        if isinstance(due, str):
            due = dt.date.fromisoformat(due)
        months[(r.plan_id, f"{created.year}-{created.month:02d}")].setdefault((r.milestone_id, due), (r, due))
    bulletin = sa.table('bulletin', sa.column('id'), sa.column('plan_id'), sa.column('period'), sa.column('months'),
                        sa.column('status'), sa.column('issue_no'), sa.column('number'), sa.column('as_of'),
                        sa.column('drafted_on'), sa.column('issued_on'), sa.column('legacy'), sa.column('version'))
    matter = sa.table('bulletin_matter', sa.column('bulletin_id'), sa.column('notice_id'), sa.column('task_id'),
                      sa.column('milestone_id'), sa.column('milestone_due'), sa.column('department_id'),
                      sa.column('reason'), sa.column('added_by_office'))
    counter = sa.table('counter', sa.column('name'), sa.column('value'))
    issue_no: dict[tuple[int, int], int] = defaultdict(int)
    for (plan_id, period), matters in sorted(months.items()):
        year, month = int(period[:4]), int(period[5:])
        issue_no[(plan_id, year)] += 1
        end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        bulletin_id = bind.execute(sa.insert(bulletin).values(
            plan_id=plan_id, period=period, months=1, status='已印发', issue_no=issue_no[(plan_id, year)],
            number=None, as_of=end, drafted_on=end, issued_on=end, legacy=True, version=1)
            .returning(bulletin.c.id)).scalar_one()
        bind.execute(sa.insert(matter), [dict(
            bulletin_id=bulletin_id, notice_id=r.parent_id or r.id, task_id=r.task_id, milestone_id=r.milestone_id,
            milestone_due=due, department_id=r.department_id, reason=r.reason or '', added_by_office=False)
            for r, due in matters.values()])
    # the next bulletin of the year continues the numbering (第N期: services.supervision.bulletins.issue)
    if issue_no:
        bind.execute(sa.insert(counter), [dict(name=f'期|{plan_id}:{year}', value=n)
                                          for (plan_id, year), n in sorted(issue_no.items())])


def downgrade() -> None:
    op.drop_index('ix_bulletin_matter_department_id', table_name='bulletin_matter')
    op.drop_table('bulletin_matter')
    op.drop_table('bulletin')
