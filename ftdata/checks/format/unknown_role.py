"""FMT013: a turn whose role the format does not know."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ftdata.checks.base import SchemaRule
from ftdata.model import Finding, Record, Severity

if TYPE_CHECKING:
    from ftdata.schemas import SchemaError

ROLE_KEYS = ("role", "from")


class UnknownRole(SchemaRule):
    """A turn's role (`role`, or `from` in ShareGPT) is not one the format defines.

    What it does: reports the role found and the roles allowed by the format's schema.
    Why it matters: an unknown role is rejected by providers, and chat templates either fail or
    render it as an unexpected header the model then learns to produce.
    Example: `{"role": "bot", ...}` in OpenAI chat (allowed: system, user, assistant, tool).
    Options: none.
    """

    code = "FMT013"
    name = "unknown-role"
    severity = Severity.ERROR
    keywords = frozenset({"enum"})

    def claims(self, error: SchemaError) -> bool:
        return error.keyword == "enum" and bool(error.path) and error.path[-1] in ROLE_KEYS

    def findings(self, error: SchemaError, record: Record, pointer: str) -> Iterator[Finding]:
        allowed = ", ".join(str(v) for v in error.detail.get("options", ()))
        yield self.finding(f"unknown role {error.instance!r} (allowed in {record.format}: {allowed})",
                           record, pointer)
