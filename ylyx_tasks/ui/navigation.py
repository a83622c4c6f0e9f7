"""The pages of the app and who may open them. One list, used by the entry script (to build ``st.navigation``
for the signed-in role), by the sidebar (links) and by every page's guard (read access)."""

from __future__ import annotations

from dataclasses import dataclass

from ylyx_tasks.domain.roles import Role

EVERYONE = frozenset(Role)


@dataclass(frozen=True)
class PageSpec:
    key: str  # also the URL path, and the page file's stem: the same URL in Streamlit's legacy and v2 modes
    title: str
    icon: str
    roles: frozenset[Role]

    @property
    def file(self) -> str:
        return f"pages/{self.key}.py"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "总览", ":material/dashboard:", EVERYONE),
    PageSpec("tasks", "任务清单", ":material/checklist:", EVERYONE),
    PageSpec("task_detail", "任务详情", ":material/description:", EVERYONE),
    PageSpec("notices", "督办", ":material/campaign:", EVERYONE),
    PageSpec("meetings", "会商", ":material/groups:", EVERYONE),
    PageSpec("indicators", "指标", ":material/monitoring:", EVERYONE),
    PageSpec("units", "单位", ":material/apartment:", EVERYONE),
    PageSpec("admin", "管理", ":material/admin_panel_settings:", frozenset({Role.OFFICE})),
)
BY_KEY = {p.key: p for p in PAGES}
DEFAULT_PAGE = "overview"


def allowed(role: Role | str | None, key: str) -> bool:
    """Whether a signed-in user of ``role`` may open page ``key`` (nobody may without signing in)."""
    if role is None:
        return False
    return Role(role) in BY_KEY[key].roles


def pages_for(role: Role | str | None) -> list[PageSpec]:
    """The pages ``role`` sees; signed out, every page is registered so that a deep link reaches its guard,
    which asks for the sign-in and then shows the page."""
    if role is None:
        return list(PAGES)
    return [p for p in PAGES if allowed(role, p.key)]
