"""Services: every read the pages need and every write, with its permission check and audit record.

Services take a session (keyword ``session``) and, for writes, an :class:`~ylyx_tasks.domain.roles.Actor`.
"""
