"""`--statistics`: how many findings each rule produced, most frequent first, like
`ruff --statistics`: the first thing to read on a large dataset, before any single finding."""
from __future__ import annotations

from collections import Counter
from typing import IO, TYPE_CHECKING

import orjson

from ftdata.report._common import counts, dumps, encode, printable
from ftdata.report.base import Report

if TYPE_CHECKING:
    from ftdata.report import RenderOptions


def rows(report: Report) -> list[dict[str, object]]:
    """One row per rule (and severity, should a rule's findings differ in it), by count, then code."""
    counts = Counter((f.rule, f.name, f.severity.value) for f in report.findings)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{"code": code, "name": name, "severity": severity, "count": n}
            for (code, name, severity), n in ordered]


def write(report: Report, out: IO[bytes], options: RenderOptions, as_json: bool = False) -> None:
    table = rows(report)
    if as_json:  # no findings: an empty list, the table with no rows
        out.write(dumps(table, orjson.OPT_INDENT_2) + b"\n")
        return
    if not table:  # said, not left blank: a silent run looks like a crash or a wrong filter
        out.write(encode(f"no findings: {counts(report)}\n"))
        return
    cells = [(f"{r['count']:,}", printable(str(r["code"])), printable(str(r["name"])), str(r["severity"]))
             for r in table]
    widths = [max((len(c[i]) for c in cells), default=0) for i in range(3)]
    out.write(encode("".join(f"{n:>{widths[0]}}  {code:<{widths[1]}}  {name:<{widths[2]}}  {severity}\n"
                             for n, code, name, severity in cells)))
