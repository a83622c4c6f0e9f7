"""The input gate (pure): what every text a person writes becomes before it is stored.

- Unicode NFC (a character typed or pasted in two ways is stored one way);
- control characters removed — C0 except newline and tab (``\\x0b``, Word's soft line break, becomes a newline),
  DEL, C1, the bidirectional overrides that can make text read backwards, and the code points XML forbids
  (``\\ufffe``, ``\\uffff``, lone surrogates) — so that stored text is always valid in Excel, Word, XML and on
  PostgreSQL (which refuses NUL);
- ``\\r\\n`` and ``\\r`` become ``\\n``; a one-line field (a name, a title) gets a space for each newline and tab;
- a length limit per field, in characters after cleaning: too long is refused, naming the field, never cut.

The limits of each stored field are in :mod:`ylyx_tasks.models.gate` and listed in the README (安全).
"""

from __future__ import annotations

import re
import unicodedata

from ylyx_tasks.errors import InvalidInput

# C0 but \t \n, DEL, C1; bidi embeddings/overrides/isolates; non-characters XML refuses; lone surrogates
_CONTROL = re.compile("[\x00-\x08\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")
_LINE_BREAKS = re.compile("\r\n?|[\x0b\u2028\u2029\x85]")


class TooLong(InvalidInput):
    """A text longer than its field allows (nothing was stored)."""


def clean_text(value: str, *, label: str = "", limit: int | None = None, one_line: bool = False) -> str:
    """``value`` through the gate; raises :class:`TooLong` (naming ``label``) when over ``limit`` characters."""
    text = _LINE_BREAKS.sub("\n", value)
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
    if one_line:
        text = text.replace("\n", " ").replace("\t", " ")
    if limit is not None and len(text) > limit:
        raise TooLong(f"“{label or '文本'}”不能超过 {limit} 字（现为 {len(text)} 字）")
    return text


def strip_controls(value: str) -> str:
    """For a terminal: stored text printed without ESC, NUL or any other control character but newline/tab."""
    return _CONTROL.sub("", _LINE_BREAKS.sub("\n", value))
