"""Errors a user can cause. Pages show their message as it is; the CLI prints it and exits non-zero."""

from __future__ import annotations


class WorkflowError(ValueError):
    """A request that does not make sense in the current state (missing reason, bad date…)."""


class StaleTask(WorkflowError):
    """Someone changed the task after this user loaded it: nothing was written; reload and decide again."""

    def __init__(self, code: str) -> None:
        super().__init__(f"任务 {code} 刚被其他人修改过，你的操作没有保存。请查看最新状态后再操作。")
        self.code = code


class NotFound(LookupError):
    pass
