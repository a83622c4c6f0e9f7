"""``user add``, ``user list``, ``user set-password``."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.table import Table

from ylyx_tasks.cli.common import console, operator
from ylyx_tasks.db import migrate, read_session, write_session
from ylyx_tasks.domain.roles import parse_role
from ylyx_tasks.reads.admin import list_users
from ylyx_tasks.services import users


@click.group("user")
def user_group() -> None:
    """管理登录账号。"""


def _password_option(f):
    return click.option("--password", envvar="YLYX_NEW_PASSWORD", default=None,
                        help="不给则交互输入；也可用环境变量 YLYX_NEW_PASSWORD；--random 生成随机密码")(f)


@user_group.command("add")
@click.argument("username")
@click.option("--role", "role_text", required=True,
              help="领导 / 专班办公室 / 专班成员 / 单位联络员（或 leader / office / member / liaison）")
@click.option("--department", default=None, help="单位联络员所属单位或县（市、区），如 市民政局、盐湖区")
@click.option("--group", default=None, help="专班成员所属专班：养老专班 / 托育专班 / 综合专班")
@click.option("--name", "display_name", default="", help="姓名（显示用）")
@_password_option
@click.option("--random", "random_password", is_flag=True, help="生成随机密码并显示一次")
def user_add(username: str, role_text: str, department: str | None, group: str | None, display_name: str,
             password: str | None, random_password: bool) -> None:
    """新增用户。"""
    role = parse_role(role_text)
    if random_password:
        password = users.generate_password()
    elif password is None:
        password = click.prompt("密码", hide_input=True, confirmation_prompt="再输入一次")
    migrate()
    with write_session() as session:
        users.create_user(session, operator(), username=username, role=role, password=password,
                          department=department, group=group, display_name=display_name, temporary=True)
    console.print(f"已创建用户 {username}（{role.value}；本人首次登录时须改为自己的密码）")
    if random_password:
        console.print(f"初始密码（只显示这一次）：[bold]{password}[/bold]")


@user_group.command("list")
def user_list() -> None:
    """列出用户。"""
    migrate()
    with read_session() as session:
        rows = list_users(session)
    table = Table(title=f"用户（{len(rows)}）")
    for column in ("用户名", "姓名", "角色", "单位", "专班", "状态", "最近登录"):
        table.add_column(column)
    for user, department, group in rows:
        state = "正常" if user.active else "停用"
        last = user.last_login_at.astimezone().strftime("%Y-%m-%d %H:%M") if user.last_login_at else ""
        table.add_row(*map(escape, (user.username, user.display_name, user.role, department, group, state, last)))
    console.print(table)


@user_group.command("set-password")
@click.argument("username")
@_password_option
@click.option("--random", "random_password", is_flag=True, help="生成随机密码并显示一次")
def user_set_password(username: str, password: str | None, random_password: bool) -> None:
    """设置（重置）用户密码，并解除锁定。"""
    if random_password:
        password = users.generate_password()
    elif password is None:
        password = click.prompt("新密码", hide_input=True, confirmation_prompt="再输入一次")
    migrate()
    with write_session() as session:
        users.set_password(session, operator(), username, password, temporary=True)
    console.print(f"已设置 {username} 的密码（本人下次登录时须改为自己的密码）")
    if random_password:
        console.print(f"新密码（只显示这一次）：[bold]{password}[/bold]")
