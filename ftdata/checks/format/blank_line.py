"""FMT004: an empty or whitespace-only line inside a JSON Lines file."""
from ftdata.checks.base import ReadRule
from ftdata.model import Severity


class BlankLine(ReadRule):
    """A JSON Lines file has an empty or whitespace-only line.

    What it does: reports each blank line (a final newline at the end of the file is fine).
    Why it matters: JSON Lines allows no blank lines; some uploaders reject the file, others
    skip the line, so the same file behaves differently across tools.
    Example: two records separated by an empty line.
    Options: none.
    """

    code = "FMT004"
    name = "blank-line"
    severity = Severity.WARNING
    kind = "blank-line"

    def message(self, detail: str) -> str:
        return "blank line"
