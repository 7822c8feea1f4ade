"""Characters that damage text, shared by encoding-damage (CNT008) and `ftdata lint --fix`."""
from __future__ import annotations

import re

# Control characters no text needs: C0 except tab, newline and carriage return; DEL; C1; and a
# byte-order mark inside text. Removing them is a safe fix.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")
# Invisible characters that change what text means or how it is tokenised without showing:
# zero-width space, word joiner and invisible operators (not ZWJ/ZWNJ, which emoji and Indic
# scripts need), and bidirectional overrides and isolates (the "Trojan Source" characters).
INVISIBLE = re.compile("[\u200b\u2060-\u2064\u180e]")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
REPLACEMENT = "\ufffd"


def strip_control(text: str) -> str:
    """The text without control characters (the safe fix)."""
    return CONTROL.sub("", text)
