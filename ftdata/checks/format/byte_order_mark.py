"""FMT003: a UTF-8 byte-order mark at the start of the file."""
from ftdata.checks.base import ReadRule
from ftdata.model import Severity


class ByteOrderMark(ReadRule):
    """The file starts with a UTF-8 byte-order mark (EF BB BF).

    What it does: reports the mark on line 1, then reads the file without it.
    Why it matters: strict JSON Lines readers (Python's json.loads among them) reject the first
    line, and several provider validators refuse the file. Editors on Windows add it silently.
    Example: a file saved as "UTF-8 with BOM".
    Options: none.
    """

    code = "FMT003"
    name = "byte-order-mark"
    severity = Severity.ERROR
    kind = "bom"
