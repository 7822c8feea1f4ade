"""CNT002: a field that holds a marker for "no input" instead of being empty."""
from __future__ import annotations

import re
from typing import Iterator

from ftdata.checks.base import RecordCheck
from ftdata.checks.content._text import fields, texts, trained, turn_of
from ftdata.model import Finding, Record, Severity

# Whole-field markers generated sets use for missing content, compared case-insensitively with
# surrounding brackets, quotes and a final full stop removed.
MARKERS = frozenset({"noinput", "no input", "no-input", "no input required", "no input needed",
                     "no additional input", "no context", "no input provided", "input not provided",
                     "无输入", "没有输入", "无需输入", "不需要输入"})
# Words that are a marker in a field that may be empty (Alpaca's `input`, a system prompt) or in
# angle brackets, but can be a user's real reply ("Any allergies?" "None.").
LOOSE_MARKERS = frozenset({"n/a", "none", "null", "nil", "nan", "empty", "nothing", "blank", "-", "--",
                           "not applicable", "无", "空"})
# In an answer, "N/A" or "None" can be the right answer (an extraction task); these cannot.
OUTPUT_MARKERS = frozenset({"nooutput", "no output", "no-output", "no response", "noresponse", "无输出", "没有输出",
                            "无回答", "无回复"})
OPTIONAL = ("/input", "/system")  # fields a record may leave empty; `--fix` empties markers there
_STRIP = " \t\r\n<>[](){}\"'`.:"
_SPACES = re.compile(r"\s+")
_SHORT = 32  # characters: longer fields are never markers


def _key(text: str) -> str:
    """A field's text as compared with the markers: lowercased, without the whitespace, brackets,
    quotes, full stops and colons around it, inner spaces collapsed."""
    return _SPACES.sub(" ", text.strip().strip(_STRIP).lower())


def marker(text: str, role: str, optional: bool) -> str | None:
    """The marker a whole field is, if it is one (its normalised form), else None. `optional`:
    the field may be empty, so loose markers such as "None" count too."""
    if len(text) > _SHORT:
        return None
    stripped = text.strip()
    if not stripped:
        return None
    key = _key(stripped) or stripped
    if role == "assistant":
        return key if key in OUTPUT_MARKERS else None
    loose = optional or role == "system" or stripped.startswith("<") and stripped.endswith(">")
    return key if key in MARKERS or key in OUTPUT_MARKERS or loose and key in LOOSE_MARKERS else None


# In an answer, "N/A" or "None" is an empty answer unless the prompt makes it a possible answer:
# it names the word, asks what code returns or a value is, or says what to answer when nothing fits.
_NONE_FITS = re.compile(r"\b(?:n/?a|none|null|nil|nothing|not applicable|return|returns|python|function|code|value|"
                        r"type|output|if (?:there|it|no|not|none)|otherwise|which|any)\b|无|没有|ninguno|aucun",
                        re.IGNORECASE)
MAYBE_ANSWERS = frozenset({"n/a", "none", "无"})  # markers that a prompt can make a right answer
_INVISIBLE = re.compile("[\\s\u200b-\u200f\u2060-\u2064\u180e\ufeff\u3164\u115f\u1160\uffa0]+")


def empty_answer(text: str, prompt: str) -> str | None:
    """What makes a trained answer empty although it has characters: "invisible characters" when
    it holds nothing else (zero-width and non-breaking spaces, U+3000...), or the no-output marker
    it is ("<nooutput>", "No Output", and "N/A" or "None" when `prompt`, the user turn before it,
    gives no reason to answer so), else None. Empty-turn (FMT020) reports these as errors."""
    if not text or len(text) > 1000:
        return None
    if _INVISIBLE.fullmatch(text):
        return None if text.isspace() else "invisible characters"
    if len(text) > _SHORT:
        return None
    key = _key(text)
    if key in OUTPUT_MARKERS:
        return key
    if key in MAYBE_ANSWERS and not _NONE_FITS.search(prompt):
        return key
    return None


class EmptyInputMarker(RecordCheck):
    """A field holds a stand-in for missing content, such as `<noinput>`, `No input`, `N/A` or
    `<No Output>`, instead of being empty or absent.

    What it does: compares every turn's whole text (and Alpaca's `input` on its own) with the
    markers that generated sets use (English and Chinese: `<noinput>`, `无输入`), ignoring case,
    brackets and quotes. Words such as "None" or "N/A" count in fields that may be empty
    (Alpaca's `input`, a system prompt) or in angle brackets, not as a user's reply. A trained
    answer that is only a marker ("<nooutput>", "No Output") is an empty answer, reported by
    empty-turn (FMT020) as an error, not here; answers the model is not trained on (earlier
    turns of preference data, rejected answers) are reported here.
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
                if m.role == "assistant" and marker(m.content, m.role, False) is not None and trained(record, m):
                    continue  # an empty answer: empty-turn's (FMT020) error
                parts = fields(record, m)
                for pointer, text in parts:
                    found = marker(text, m.role, pointer in OPTIONAL)
                    # an input "None" to "What is None in Python?" is the input, not a marker
                    if found is not None and not (pointer == "/input" and found in parts[0][1].lower()):
                        where = "input" if pointer == "/input" else turn_of(record, m).label
                        yield self.finding(f"{where} is the empty-input marker {text.strip()!r}, not empty content",
                                           record, pointer, text)
