"""Small pieces several output formats share, so that they word the same things the same way, and
show text from records and file names the same way (`printable`, `encodable`)."""
from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable

import orjson

from ftdata.model import Finding, Location, plural

if TYPE_CHECKING:
    from ftdata.report.base import Report


def by_rule(findings: list[Finding]) -> list[tuple[tuple[str, str], list[Finding]]]:
    """The findings grouped by (code, name), most severe rule first, then by code: the order the
    human formats list rules in."""
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        groups[(f.rule, f.name)].append(f)
    return sorted(groups.items(), key=lambda kv: (kv[1][0].severity.rank, kv[0][0]))


def total(findings: list[Finding]) -> int:
    """How many findings these stand for: a collapsed one (ftdata.collapse) counts every finding it
    stands for, as the summary does."""
    return sum(getattr(f, "count", 1) for f in findings)


def counts(report: Report) -> str:
    """'2 errors, 3 warnings, 1 info in 22 examples'."""
    s = report.summary
    return (f"{plural(s['errors'], 'error')}, {plural(s['warnings'], 'warning')}, "
            f"{plural(s['infos'], 'info')} in {plural(s['examples'], 'example')}")


def accepted(report: Report) -> str:
    """'; 12 accepted findings not shown (...)' when suppressions left some out: a verdict must
    not look cleaner than the data without saying why."""
    n = report.suppressed
    return f"; {plural(n, 'accepted finding')} not shown (baseline, record ignores)" if n else ""


def summary_line(report: Report) -> str:
    """The last line of the line-oriented formats: totals, then the verdict."""
    return f"{counts(report)}{accepted(report)}; verdict: {report.verdict}"


def path(f: Finding) -> str:
    return f.file if f.file is not None else "-"


def where(f: Finding) -> str:
    """'file:line:column', 'file:line' for a record that starts its line (JSON Lines: the line
    says which record), or just 'file' for a dataset-level finding."""
    place = line_of(f)
    return f"{path(f)}:{place}" if place else path(f)


def line_of(f: Finding) -> str:
    """'12', '1:4841' for a record that starts inside its line (a JSON array), '' without a line."""
    if f.line is None:
        return ""
    return f"{f.line}:{f.column}" if shares_line(f) else str(f.line)


def shares_line(f: Finding) -> bool:
    """Does the finding's record start inside its line, as in a JSON array (where a minified one
    puts every record on line 1), so that the line alone may not say which record it is?"""
    return f.column is not None and f.column > 1


def detail(f: Finding) -> str:
    """The message with the JSON pointer into the record: a JSONL line can hold a long
    conversation, and formats without a pointer field would otherwise lose where."""
    return f"{f.message} (at {f.pointer})" if f.pointer else f.message


# -- text from records and file names --------------------------------------------------------------
# Records are untrusted: a dataset can hold ESC sequences that clear the screen or retitle the
# terminal, bidirectional overrides that reorder what is shown ("Trojan Source"), line breaks that
# forge report lines, and lone surrogates (valid JSON: `"\ud800"`) that no encoder accepts. Human
# formats show all of these escaped, JSON formats only the surrogates; both in one convention,
# Python's repr's: `\t`, `\n`, `\r`, `\x1b` (other C0 controls, DEL, C1 controls), `\u202e` (bidi
# overrides and isolates, line and paragraph separators, U+FFFE/F) and `\ud800` (surrogates). A
# backslash in the text itself is shown as it is.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
_PIECES = re.compile(f"({_UNSAFE.pattern})")  # split keeps the characters escaped, at odd indices
_SURROGATES = re.compile("[\ud800-\udfff]")
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
EXCERPT_WIDTH = 80  # characters an excerpt shows at most once escaped (model.excerpt's limit)


def escape(char: str) -> str:
    """One character as the convention writes it: `\\x1b`, `\\u202e`, `\\ud800`."""
    n = ord(char)
    return _SHORT.get(char) or (f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}")


def _escaped(m: re.Match[str]) -> str:
    return escape(m.group())


def printable(text: str, width: int | None = None) -> str:
    """`text` safe to show on a terminal or a page, on one line: controls, bidi controls, line
    separators and surrogates escaped. With `width`, an excerpt that escapes made longer than
    `width` (and than it was) is cut again, between whole escapes, and ends in "…"."""
    if text.isprintable():  # none of them (the usual case), at C speed
        return text
    shown = _UNSAFE.sub(_escaped, text)
    if width is None or len(shown) <= max(width, len(text)):
        return shown
    out, room = [], width - 1
    for i, piece in enumerate(_PIECES.split(text)):
        piece = escape(piece) if i % 2 else piece
        if len(piece) > room:
            out.append("" if i % 2 else piece[:room])  # never half an escape
            break
        out.append(piece)
        room -= len(piece)
    return "".join(out) + "…"


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
_NON_ASCII = re.compile("[^\x00-\x7e]")  # and DEL


def _json_escaped(m: re.Match[str]) -> str:
    n = ord(m.group())
    if n < 0x10000:
        return f"\\u{n:04x}"
    n -= 0x10000  # as a surrogate pair, as JSON writes a character past U+FFFF
    return f"\\u{0xd800 + (n >> 10):04x}\\u{0xdc00 + (n & 0x3ff):04x}"


def json_printable(text: str, ascii: bool = False) -> str:
    """Serialised JSON (whose encoder escaped C0 controls) with the other characters `printable`
    escapes written as JSON escapes (`\\u009b`, `\\u202e`, `\\ud800`): the same JSON, safe on a
    terminal; with `ascii`, every character past ASCII so (for a terminal that cannot show them)."""
    return (_NON_ASCII if ascii else _JSON_UNSAFE).sub(_json_escaped, text)


def _plain(f: Finding) -> bool:
    """Is all the finding's text printable (nothing to escape: the usual case, tested at C speed)?"""
    return (f"{f.message}{f.excerpt or ''}{f.pointer}{f.file or ''}".isprintable()
            and all((r.file or "").isprintable() for r in f.related))


def shown(f: Finding) -> Finding:
    """The finding as the human formats show it: its message, excerpt, pointer and file names
    `printable` (the excerpt within EXCERPT_WIDTH); the finding itself when nothing needs it."""
    if _plain(f):
        return f
    return dataclasses.replace(
        f, message=printable(f.message), pointer=printable(f.pointer),
        excerpt=None if f.excerpt is None else printable(f.excerpt, EXCERPT_WIDTH),
        file=None if f.file is None else printable(f.file),
        related=tuple(Location(None if r.file is None else printable(r.file), r.line, r.record_index)
                      for r in f.related))


def encode(text: str) -> bytes:
    """UTF-8 for the human formats' output; a surrogate that escaped `printable` (text that is
    not a record's: a rule's name, a statistic) is written escaped all the same, never a crash."""
    return text.encode("utf-8", "backslashreplace")


def encodable(value: Any, default: Callable[[Any], Any] | None = None) -> Any:
    """`value` (dicts, lists, findings, what `default` turns into those) with every string, key or
    value, holding a surrogate escaped as `printable` escapes it, the rest of the text as it is:
    what the JSON formats and `to_pandas()` hold."""
    if isinstance(value, str):
        return _SURROGATES.sub(_escaped, value) if not value.isascii() else value
    if isinstance(value, dict):
        return {encodable(k): encodable(v, default) for k, v in value.items()}
    if isinstance(value, (list, tuple)) and type(value) in (list, tuple):
        return [encodable(v, default) for v in value]
    if isinstance(value, Finding):  # as orjson writes a dataclass: its fields in order
        return {field.name: encodable(getattr(value, field.name), default) for field in dataclasses.fields(value)}
    if value is None or isinstance(value, (bool, int, float, Enum)) or default is None:
        return value
    try:
        return encodable(default(value), default)
    except TypeError:  # numpy scalars and arrays, which orjson writes itself
        return value


def rows(findings: list[Finding]) -> list[dict[str, Any]]:
    """Finding.to_dict of each finding, `encodable`: what to_pandas() holds. Only a finding whose
    text is not all printable is walked (the usual finding costs a C-speed test)."""
    out = []
    for f in findings:
        row = f.to_dict()
        out.append(row if _plain(f) else encodable(row))
    return out


def dumps(value: Any, option: int, default: Callable[[Any], Any] | None = None) -> bytes:
    """orjson.dumps, but a lone surrogate (which orjson refuses) is written escaped: the JSON stays
    valid UTF-8. The common case costs nothing: strings are walked only after orjson refused."""
    try:
        return orjson.dumps(value, default=default, option=option)
    except TypeError:  # orjson.JSONEncodeError: a surrogate, or something that stays an error
        return orjson.dumps(encodable(value, default), default=default, option=option)
