"""The canonical types every layer shares. Imports nothing internal.

Records are NamedTuples rather than frozen dataclasses on purpose: they are built once per
message on the hot path, and a NamedTuple is immutable at a quarter of the construction cost.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, NamedTuple


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


CATEGORIES = ("format", "volume", "length", "duplicates", "leakage", "style", "balance", "content",
              "suppression")

# Canonical roles every format is normalised to.
ROLES = ("system", "user", "assistant", "tool")

# What a record is for; checks declare the tasks they apply to.
SFT, PREFERENCE, UNPAIRED, TEXT, PROMPT = "sft", "preference", "unpaired", "text", "prompt"
TASKS = (SFT, PREFERENCE, UNPAIRED, TEXT, PROMPT)


class Message(NamedTuple):
    """One turn, in canonical form, with where it came from in the raw record."""

    role: str  # one of ROLES when recognised, else the raw role string as found
    content: str  # text of the turn ("" when missing or not text; the schema reports why)
    pointer: str  # JSON Pointer to the turn object, or to the field holding it (alpaca)
    content_key: str = ""  # key of the text inside the turn object ("" when pointer is the text)
    weight: Any = None  # training weight as found (OpenAI `weight`, LLaMA-Factory `loss_weight`)
    tool_calls: tuple[Any, ...] = ()  # raw tool-call objects, as found
    tool_call_id: Any = None
    name: Any = None

    @property
    def trained(self) -> bool:
        """Is the turn learnt from, as far as its own weight says? (A weight of 0 excludes it; a
        weight of another type is the schema's to report, not a reason to skip the turn.)"""
        w = self.weight
        return w is None or w != 0 or type(w) not in (int, float)

    @property
    def content_pointer(self) -> str:
        return f"{self.pointer}/{self.content_key}" if self.content_key else self.pointer


class Record(NamedTuple):
    """One example normalised to a conversation, with provenance.

    `messages` is what would be trained on (for preference data: prompt + chosen);
    `rejected` is the full alternative conversation (prompt + rejected) when there is one.
    """

    file: str
    line: int | None  # 1-based line where the record starts (None when not from a file)
    index: int  # type: ignore[assignment]  # 0-based position among the file's records (shadows tuple.index)
    format: str
    task: str
    messages: tuple[Message, ...]
    raw: dict[str, Any]
    rejected: tuple[Message, ...] | None = None
    label: Any = None  # KTO desirability, as found
    tools: Any = None  # tool definitions, as found
    roles: tuple[str, ...] = ()  # the roles of `messages`, in order: checks test membership at C speed
    column: int | None = None  # 1-based column of the record's first character on `line` (see Finding)

    def final_answer(self) -> int:
        """The index in `messages` of the final assistant turn, -1 without one."""
        roles = self.roles
        if roles and roles[-1] == "assistant":  # the usual case, without a reversed copy
            return len(roles) - 1
        return len(roles) - 1 - roles[::-1].index("assistant") if "assistant" in roles else -1


class Location(NamedTuple):
    file: str | None
    line: int | None
    record_index: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One problem at one place. `line` is None for dataset-level findings. Built with keywords
    (checks use Check.finding)."""

    # in the order of the JSON report, which serialises the dataclass as it is (report.json)
    rule: str
    name: str
    category: str
    severity: Severity
    file: str | None = None
    line: int | None = None
    # 1-based column of the record's first character on `line`, counted in characters (Unicode code
    # points): 1 in JSON Lines, where it tells the records of a one-line JSON array apart
    column: int | None = None
    record_index: int | None = None
    pointer: str = ""
    message: str = ""
    excerpt: str | None = None
    related: tuple[Location, ...] = field(default=())

    def sort_key(self) -> tuple[Any, ...]:
        return (self.file or "", self.line if self.line is not None else -1, self.column or 0, self.rule,
                self.pointer, self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "category": self.category,
            "severity": self.severity.value,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "record_index": self.record_index,
            "pointer": self.pointer,
            "message": self.message,
            "excerpt": self.excerpt,
            "related": [{"file": f, "line": n, "record_index": i} for f, n, i in self.related],
        }


def plural(n: int, word: str) -> str:
    """'1 example', '2,048 examples': checks and reports word counts the same way."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def excerpt(text: str, limit: int = 80) -> str:
    """A one-line, bounded view of some offending text for human output."""
    flat = " ".join(text.split()) if any(c in text for c in "\n\r\t") else text
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
