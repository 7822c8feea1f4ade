"""FMT001: a line that is not valid JSON."""
from ftdata.checks.base import ReadRule
from ftdata.model import Severity


class InvalidJson(ReadRule):
    """A line (or a `.json` array element) is not valid JSON.

    What it does: reports each line that does not parse as strict JSON, with the parser's reason,
    and goes on with the next line. Values that only lenient parsers accept (NaN, Infinity, lone
    surrogate escapes) are reported too, and the record is still linted.
    Why it matters: every provider rejects the whole upload on the first such line, and
    training loaders crash or silently skip it.
    Example: `{"messages": [{"role": "user", "content": "hi"}` (unclosed) on line 12.
    Options: none.
    """

    code = "FMT001"
    name = "invalid-json"
    severity = Severity.ERROR
    kind = "invalid-json"
    one_cause = True  # the parser's reasons differ line by line; a file of them is not JSON (ftdata.collapse)

    def message(self, detail: str) -> str:
        return f"not valid JSON: {detail}"
