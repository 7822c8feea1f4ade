"""CNT002: a field that holds a marker for "no input" instead of being empty."""
from __future__ import annotations

import re
from typing import Iterator

from ftdata.checks.base import RecordCheck
from ftdata.checks.content._text import fields, texts, turn_of
from ftdata.model import Finding, Record, Severity

# Whole-field markers generated sets use for missing content, compared case-insensitively with
# surrounding brackets, quotes and a final full stop removed.
MARKERS = frozenset({"noinput", "no input", "no-input", "no input required", "no input needed",
                     "no additional input", "no context", "no input provided", "input not provided"})
# Words that are a marker in a field that may be empty (Alpaca's `input`, a system prompt) or in
# angle brackets, but can be a user's real reply ("Any allergies?" "None.").
LOOSE_MARKERS = frozenset({"n/a", "none", "null", "nil", "nan", "empty", "nothing", "blank", "-", "--",
                           "not applicable"})
# In an answer, "N/A" or "None" can be the right answer (an extraction task); these cannot.
OUTPUT_MARKERS = frozenset({"nooutput", "no output", "no-output", "no response", "noresponse"})
OPTIONAL = ("/input", "/system")  # fields a record may leave empty; `--fix` empties markers there
_STRIP = " \t\r\n<>[](){}\"'`.:"
_SPACES = re.compile(r"\s+")
_SHORT = 32  # characters: longer fields are never markers


def marker(text: str, role: str, optional: bool) -> str | None:
    """The marker a whole field is, if it is one (its normalised form), else None. `optional`:
    the field may be empty, so loose markers such as "None" count too."""
    if len(text) > _SHORT:
        return None
    stripped = text.strip()
    if not stripped:
        return None
    key = _SPACES.sub(" ", stripped.strip(_STRIP).lower()) or stripped
    if role == "assistant":
        return key if key in OUTPUT_MARKERS else None
    loose = optional or role == "system" or stripped.startswith("<") and stripped.endswith(">")
    return key if key in MARKERS or key in OUTPUT_MARKERS or loose and key in LOOSE_MARKERS else None


class EmptyInputMarker(RecordCheck):
    """A field holds a stand-in for missing content, such as `<noinput>`, `No input`, `N/A` or
    `<No Output>`, instead of being empty or absent.

    What it does: compares every turn's whole text (and Alpaca's `input` on its own) with the
    markers that generated sets use, ignoring case, brackets and quotes. Words such as "None"
    or "N/A" count in fields that may be empty (Alpaca's `input`, a system prompt) or in angle
    brackets, not as a user's reply; in answers only "no output" markers count, since "N/A"
    can be a correct answer.
    Why it matters: the model learns the marker as if it were input (prompts saying
    "<noinput>") or as an answer ("<No Output>"), and templates that test for an empty input
    take the wrong branch. `ftdata lint --fix` empties optional fields that hold one.
    Example: `{"instruction": "Name a colour.", "input": "<noinput>", "output": "Blue."}`.
    Options: none.
    """

    code = "CNT002"
    name = "empty-input-marker"
    category = "content"
    severity = Severity.WARNING

    def check(self, record: Record) -> Iterator[Finding]:
        for m in texts(record):
            if m.pointer == "/instruction" or len(m.content) <= _SHORT:
                parts = fields(record, m)
                for pointer, text in parts:
                    found = marker(text, m.role, pointer in OPTIONAL)
                    # an input "None" to "What is None in Python?" is the input, not a marker
                    if found is not None and not (pointer == "/input" and found in parts[0][1].lower()):
                        where = "input" if pointer == "/input" else turn_of(record, m).label
                        yield self.finding(f"{where} is the empty-input marker {text.strip()!r}, not empty content",
                                           record, pointer, text)
