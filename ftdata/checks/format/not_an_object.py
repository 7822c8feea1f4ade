"""FMT005: a record that is not a JSON object."""
from ftdata.checks.base import ReadRule
from ftdata.model import Severity


class NotAnObject(ReadRule):
    """A record is valid JSON but not an object (an array, string, number, true/false or null).

    What it does: reports the record and its JSON type; the record is not linted further.
    Why it matters: every fine-tuning format is one object per example; anything else is
    rejected on upload or breaks the training loader.
    Example: `["user", "hello"]` on a line of its own.
    Options: none.
    """

    code = "FMT005"
    name = "not-an-object"
    severity = Severity.ERROR
    kind = "not-an-object"

    def message(self, detail: str) -> str:
        return f"record is a JSON {detail}, not an object"
