"""`--format concise`: one `path:line: CODE message` line per finding, then the totals and the
verdict, like `ruff --output-format concise`: for grep, editors' quickfix lists and small terminals."""
from __future__ import annotations

from typing import IO, TYPE_CHECKING

from ftdata.report._common import detail, encode, printable, summary_line, where
from ftdata.report.base import Report

if TYPE_CHECKING:
    from ftdata.report import RenderOptions

BATCH = 10_000  # lines written at once: a large report is never held whole as one string


def write(report: Report, out: IO[bytes], options: RenderOptions) -> None:
    findings = report.findings
    for start in range(0, len(findings), BATCH):
        # one line each, whatever a message quotes or a file is named: see printable
        lines = (printable(f"{where(f)}: {f.rule} {detail(f)}") + "\n" for f in findings[start:start + BATCH])
        out.write(encode("".join(lines)))
    out.write(encode(f"{summary_line(report)}\n"))
