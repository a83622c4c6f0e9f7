"""The password policy (pure): at least :data:`MIN_LENGTH` characters, not a common password, not built on one,
and not containing the user name. Returns the reason in the user's words, or None when the password will do.

"Common" is checked after taking the password apart the way people build weak ones: lower case, leading and
trailing digits and punctuation removed (``Password1!`` → ``password``, ``yuncheng2022`` → ``yuncheng``); what is
left must not be empty, a run of one key, a keyboard row or an alphabet/number sequence, nor a word in
:data:`COMMON` (the top of the public leaked-password lists, plus the place and office names people here use).
"""

from __future__ import annotations

import re

MIN_LENGTH = 12

COMMON = frozenset("""
password passwd pass word admin administrator root user login welcome letmein master secret test guest
qwerty qwertyuiop asdfgh asdfghjkl zxcvbn zxcvbnm qazwsx qweasd qweasdzxc abc abcd abcdef abcdefg abcdefgh
iloveyou love monkey dragon football baseball sunshine princess shadow superman batman trustno computer
internet service system manager office changeme default access hello freedom whatever starwars michael
jennifer jordan hunter ranger buster soccer harley charlie thomas george summer winter spring autumn
woaini aini woaiwojia wojia zhongguo china beijing shanghai shanxi taiyuan yuncheng yanhu yanhuqu linyi
wanrong wenxi jishan xinjiang jiangxian yuanqu xiaxian pinglu ruicheng yongji hejin guanyu hedong
yilaoyixiao ylyx yanglao tuoyu minzheng weijian zhengfu renmin gongzuo zhuanban ducha duban ducha duban
caiwu renshi bangong bangongshi xitong guanli guanliyuan mima zhanghao denglu huanying ceshi
""".split())

_KEYBOARD = ("1234567890", "0987654321", "qwertyuiop", "poiuytrewq", "asdfghjkl", "lkjhgfdsa", "zxcvbnm",
             "mnbvcxz", "abcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkjihgfedcba", "1qaz2wsx3edc4rfv",
             "qazwsxedcrfv", "!@#$%^&*()")
_EDGES = re.compile(r"^[\d\W_]+|[\d\W_]+$")


def _sequence(text: str) -> bool:
    return len(set(text)) <= 2 or any(text in row for row in _KEYBOARD)


def password_problem(password: str, username: str = "") -> str | None:
    """Why ``password`` is refused for ``username``, or None."""
    if len(password) < MIN_LENGTH:
        return f"密码至少 {MIN_LENGTH} 位"
    lower = password.lower()
    if username and username.lower() in lower:
        return "密码不能包含用户名"
    core = _EDGES.sub("", lower)
    if not core or _sequence(lower) or _sequence(core) or core in COMMON or lower in COMMON:
        return "密码过于常见或有规律（如 password1、qwertyuiop、地名加年份），请换一个"
    if len(set(password)) < 5:
        return "密码过于简单"
    return None
