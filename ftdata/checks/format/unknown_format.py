"""FMT006: a record that matches no known fine-tuning format."""
from ftdata.checks.base import ReadRule
from ftdata.model import Severity


class UnknownFormat(ReadRule):
    """A record is an object but has none of the keys that identify a fine-tuning format.

    What it does: reports the record with the keys it has. Formats are detected per record from
    their keys (`messages`, `conversations`, `instruction`/`output`, `prompt`/`completion`,
    `chosen`/`rejected`, `contents`, `text`, ...); `--input-format` forces one.
    Why it matters: a trainer cannot tell what to train on, and rejects or mis-reads the record.
    Example: `{"question": "...", "answer": "..."}`.
    Options: none.
    """

    code = "FMT006"
    name = "unknown-format"
    severity = Severity.ERROR
    kind = "unknown-format"

    def message(self, detail: str) -> str:
        return f"record matches no known format (keys: {detail})"
