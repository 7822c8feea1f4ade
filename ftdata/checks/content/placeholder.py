"""CNT001: an unfilled template placeholder (`{{name}}`, `[Your Name]`, `<insert ...>`, TODO, lorem ipsum)."""
from __future__ import annotations

import re
from typing import Iterator

from ftdata.checks.base import RecordCheck
from ftdata.checks.content._text import around, field_at, in_code, joined, looks_like_code, prompts, texts, turn_of
from ftdata.model import Finding, Record, Severity

_WORDS = (r"your|insert|enter|add|recipient(?:'s)?|company|client|customer|candidate|employer|manager|first|last|full"
          r"|name|date|address|phone|e-?mail|city|state|country|job|position|title|product|service|website|link|url"
          r"|number|amount|organi[sz]ation|team|department|event|location|time|industry|school|university|brand")
# (gate, pattern) per kind: a substring test first, then a pattern that starts with a literal,
# which the regex engine finds by fast search (one alternation over all kinds is 5x slower)
PATTERNS = {
    "braces": ("{", re.compile(r"\{\{\s*[A-Za-z_][\w .-]{0,40}?\s*\}\}")),
    "brackets": ("[", re.compile(rf"\[(?i:{_WORDS})\b[\w '’/-]{{0,40}}\](?!\()")),
    "angle": ("<", re.compile(r"<(?i:insert|your|enter|add|fill in|placeholder)\b[^<>\n]{0,40}>")),
    "todo": ("TODO", re.compile(r"\bTODO\b")),
    "fixme": ("FIXME", re.compile(r"\bFIXME\b")),
    "lorem": ("ipsum", re.compile(r"\b[Ll]orem ipsum\b")),
}
# words in a record that make template syntax or filler text the subject, not a leftover
_ABOUT_TEMPLATES = re.compile(r"templat|jinja|handlebars|mustache|liquid|django|flask|vue|angular|ansible|helm"
                              r"|placeholder|\{%|lorem|fill[- ]in|form letter|mail merge", re.IGNORECASE)
_GATES = tuple(gate for gate, _ in PATTERNS.values())
# what a match may not follow: "${{ github.x }}" is a CI expression, "items[name]" indexing (tested
# in Python: a lookbehind in front of a pattern would cost the engine its fast literal search)
_NOT_AFTER = {"braces": "$#%", "brackets": "_])["}
# prompts asking for a document the user will send, where "[Your Name]" slots are the convention
_DRAFT = re.compile(r"\b(?:letter|e-?mail|message|note|invitation|invite|announcement|speech|toast|post|advert|ad|"
                    r"press release|job (?:description|posting|ad)|form|card|memo|newsletter|reply|script|bio|"
                    r"resume|cv|signature|greeting|welcome)s?\b", re.IGNORECASE)
_COMMENT = re.compile(r"//|#|/\*|<!--|--|\*")  # a TODO in a code comment quoted in prose
_KINDS = {"braces": "template variable", "brackets": "bracketed placeholder", "angle": "placeholder",
          "todo": "TODO marker", "fixme": "FIXME marker", "lorem": "lorem ipsum filler"}
_ANY_ROLE = frozenset({"braces", "angle"})  # users paste forms with "[Your Name]" and their own TODOs


def _excused(text: str, start: int, kind: str) -> bool:
    """Is the match at `start` code rather than a leftover: after "$" or a name (an expression,
    an index), in a code span, or a TODO in a quoted code comment?"""
    before = text[start - 1:start]
    if before and (before in _NOT_AFTER.get(kind, "") or kind == "brackets" and before.isalnum()):
        return True
    if kind in ("todo", "fixme") and _COMMENT.search(text, text.rfind("\n", 0, start) + 1, start):
        return True
    return in_code(text, start)


class Placeholder(RecordCheck):
    """A turn holds an unfilled template placeholder: `{{name}}`, `[Your Name]`,
    `<insert date>`, a TODO or FIXME marker, or lorem ipsum filler.

    What it does: finds these in every turn, outside code (fenced blocks, inline code, or an
    answer that is code), and leaves records that are about templates or filler text alone
    (they mention Jinja, Handlebars, Vue, "template", "placeholder", "lorem" and the like).
    Bracketed placeholders and TODOs count in answers and system prompts only: a user may
    paste a form to fill in; and bracketed slots such as "[Your Name]" are left alone in
    answers to requests for a letter, email, message, post or other document the user will
    complete and send, where they are the convention.
    Why it matters: a generation template filled in part, or a draft never finished, teaches
    the model to answer with `{{name}}` or "[Your Name]" instead of the content.
    Example: `{"output": "I am {{name}}, an AI assistant developed by {{author}}."}`.
    Options: none.
    """

    code = "CNT001"
    name = "placeholder"
    category = "content"
    severity = Severity.WARNING

    def check(self, record: Record) -> Iterator[Finding]:
        whole = joined(record)
        if not any(gate in whole for gate in _GATES):
            return
        about: bool | None = None
        for message in texts(record):
            text = message.content
            hits = [(kind, pattern) for kind, (gate, pattern) in PATTERNS.items() if gate in text]
            if not hits:
                continue
            code: bool | None = None
            matches = sorted(((m, kind) for kind, pattern in hits for m in pattern.finditer(text)),
                             key=lambda hit: hit[0].start())
            for match, kind in matches:
                if message.role == "user" and kind not in _ANY_ROLE or _excused(text, match.start(), kind):
                    continue
                if code is None:
                    code = looks_like_code(text)
                if about is None:
                    about = any(_ABOUT_TEMPLATES.search(t) for t in prompts(record))
                if code or about:
                    break
                if kind == "brackets" and any(_DRAFT.search(t) for t in prompts(record)):
                    continue
                pointer, _ = field_at(record, message, match.start())
                yield self.finding(f"{turn_of(record, message).label} has an unfilled {_KINDS[kind]} {match.group()!r}",
                                   record, pointer, around(text, match.start(), match.end()))
                break  # one finding per turn: the first placeholder names the defect
