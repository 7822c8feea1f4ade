"""A text's shape, the cheap first look of personal-data and secret: one C-speed pass turns the
text into bytes where every digit is 0, every letter A or a, the separators of numbers but the dot
(space - ( ) /) a -, and non-ASCII bytes u; punctuation stays. Substring and regex tests on it
(a literal first byte makes the regex engine skip ahead at C speed) say whether a record could
hold what the rules look for before any real pattern runs: `0-000-0000` stands for 415-555-2671
and (415) 555 2671 alike, `0(?<=[aA0]{5})(?=[aA0]{4})` for a digit inside a long token.

Offsets in the shape are offsets in the text when the text is ASCII (`len(shape) == len(text)`).
"""
from __future__ import annotations

_TABLE = bytearray(range(256))
_TABLE[ord("0"):ord("9") + 1] = b"0" * 10
_TABLE[ord("A"):ord("Z") + 1] = b"A" * 26
_TABLE[ord("a"):ord("z") + 1] = b"a" * 26
_TABLE[128:] = b"u" * 128
for _c in b" -()/":
    _TABLE[_c] = ord("-")
TABLE = bytes(_TABLE)


def shape(text: str) -> bytes:
    """The shape of `text`. The last one is kept: both rules ask for the shape of the same joined
    record text (`_text.joined`), one after the other, and the second gets it free."""
    global _last_text, _last_shape
    if text is not _last_text:
        _last_text, _last_shape = text, text.encode("utf-8", "surrogatepass").translate(TABLE)
    return _last_shape


_last_text: str | None = None
_last_shape = b""
