"""The errors a user can cause, under one base class.

A :class:`UserError` carries a message written for the user (in Chinese): pages show it as it is and the CLI
prints it and exits non-zero. Every other exception is a bug: it is logged with its traceback under a reference
number, and the user sees only a generic message with that number (see ``ui/feedback.py`` and ``cli/common.py``).
This module imports nothing, so every layer (the pure domain included) may raise these.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the user asked for cannot be done as asked; the message says why (shown as it is)."""


class InvalidInput(UserError, ValueError):
    """Input that does not make sense: a missing reason, a bad date, an unknown unit, a malformed file."""


class WorkflowError(InvalidInput):
    """A request that does not make sense in the current state (missing reason, bad date…)."""


class StaleTask(WorkflowError):
    """Someone changed the task after this user loaded it: nothing was written; reload and decide again."""

    def __init__(self, code: str) -> None:
        super().__init__(f"任务 {code} 刚被其他人修改过，你的操作没有保存。请查看最新状态后再操作。")
        self.code = code


class StaleNotice(WorkflowError):
    """Someone acted on the notice after this user loaded it: nothing was written."""

    def __init__(self, number: str | None) -> None:
        super().__init__(f"通知 {number or ''} 刚被其他人处理过，你的操作没有保存。请查看最新状态。")


class NotFound(UserError, LookupError):
    """The thing asked for does not exist (or is not this user's to see)."""


class Forbidden(UserError, PermissionError):
    """The actor may not do this. (Raised as :class:`ylyx_tasks.domain.roles.PermissionDenied`.)"""
