"""FMT015: any other departure from the format's JSON Schema."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ftdata.checks.base import SchemaRule
from ftdata.checks.format._schema import where
from ftdata.checks.format.empty_conversation import EmptyConversation
from ftdata.checks.format.missing_key import MissingKey
from ftdata.checks.format.unknown_key import UnknownKey
from ftdata.checks.format.unknown_role import UnknownRole
from ftdata.checks.format.wrong_type import WrongType
from ftdata.model import Finding, Record, Severity

if TYPE_CHECKING:
    from ftdata.schemas import SchemaError

# The rules with a more specific word for a schema error: their errors are theirs even when they
# are deselected (`--ignore FMT011` silences unknown keys; it must not turn them into FMT015 errors).
_SPECIFIC = (MissingKey(), UnknownKey(), WrongType(), UnknownRole(), EmptyConversation())


class SchemaViolation(SchemaRule):
    """The record breaks its format's JSON Schema in a way no more specific rule covers.

    What it does: reports the schema's own message (an enum value not allowed, a constraint
    broken), with a pointer. It runs last, so nothing the schema finds is lost. It does not
    report what a more specific rule (missing-key, unknown-key, wrong-type, unknown-role,
    empty-conversation) covers, even when that rule is ignored.
    Why it matters: the schema in schemas/ encodes what the format's consumers accept.
    Example: a content part with `"type": "video"` where only text and image parts are allowed.
    Options: none.
    """

    code = "FMT015"
    name = "schema-violation"
    severity = Severity.ERROR
    keywords = frozenset()

    def claims(self, error: SchemaError) -> bool:
        return not any(rule.claims(error) for rule in _SPECIFIC)

    def findings(self, error: SchemaError, record: Record, pointer: str) -> Iterator[Finding]:
        yield self.finding(f"{where(pointer)}: {error.message}", record, pointer)
