"""The write side: every change, with its permission check and audit record, in the caller's transaction.

Services take a session (keyword ``session``) and, for writes, an :class:`~ylyx_tasks.domain.roles.Actor`; they
may read through :mod:`ylyx_tasks.reads`, never the other way round.
"""
