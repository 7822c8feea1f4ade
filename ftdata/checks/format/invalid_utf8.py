"""FMT002: bytes that are not UTF-8."""
from ftdata.checks.base import ReadRule
from ftdata.model import Severity


class InvalidUtf8(ReadRule):
    """A line holds bytes that are not valid UTF-8.

    What it does: reports the line and the first bad byte; the line is decoded with replacement
    characters so that the rest of it is still linted.
    Why it matters: JSON must be UTF-8; uploads fail, and text decoded leniently trains the
    model on U+FFFD replacement characters. Usually a Latin-1 or Windows-1252 export.
    Example: a line containing the byte 0xE9 (Latin-1 "é").
    Options: none.
    """

    code = "FMT002"
    name = "invalid-utf8"
    severity = Severity.ERROR
    kind = "invalid-utf8"
