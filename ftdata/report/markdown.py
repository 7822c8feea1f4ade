"""`--format markdown`: a GitHub-flavoured Markdown report (the verdict, totals, one row per rule,
then each rule's first locations) for pull-request comments and GitHub's job summary, which the
github format appends it to."""
from __future__ import annotations

import re
from typing import IO, TYPE_CHECKING

from ftdata.model import Finding, plural
from ftdata.report._common import by_rule, counts, encode, shown, total, where
from ftdata.report.base import NOT_READY, READY, Report

if TYPE_CHECKING:
    from ftdata.report import RenderOptions

MAX_EXAMPLES = 5
MAX_REASONS = 10
_ICONS = {READY: "✅", NOT_READY: "❌"}
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#!])")  # what Markdown or inline HTML could read as syntax
_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_TICKS = re.compile(r"`+")


def write(report: Report, out: IO[bytes], options: RenderOptions) -> None:
    out.write(encode(render(report, options.max_examples)))


def render(report: Report, max_examples: int = MAX_EXAMPLES) -> str:
    """The report as Markdown (also what the github format appends to $GITHUB_STEP_SUMMARY)."""
    s = report.summary
    out = [f"## {_ICONS.get(report.verdict, '⚠️')} ftdata: {report.verdict}", "",
           f"{counts(report)} ({plural(s['files'], 'file')}).", ""]
    if report.reasons:
        out += ["Decided by:", ""] + [f"- {text(r)}" for r in report.reasons[:MAX_REASONS]]
        if len(report.reasons) > MAX_REASONS:
            out.append(f"- and {plural(len(report.reasons) - MAX_REASONS, 'more rule')}")
        out.append("")
    groups = by_rule(report.findings)
    if groups:
        out += ["| Code | Rule | Severity | Findings |", "| --- | --- | --- | ---: |"]
        out += [f"| {code(c)} | {text(n)} | {items[0].severity.value} | {total(items):,} |" for (c, n), items in groups]
        out.append("")
    for (c, n), items in groups:
        out += _rule(c, n, items, max_examples)
    return "\n".join(out)


def _rule(rule: str, name: str, items: list[Finding], max_examples: int) -> list[str]:
    out = [f"### {code(rule)} {text(name)}", ""]
    if max_examples > 0:
        out += ["| Location | Pointer | Message |", "| --- | --- | --- |"]
        for f in map(shown, items[:max_examples]):  # record text escaped: see printable
            message = text(f.message) + (f"<br>{code(f.excerpt)}" if f.excerpt else "")
            out.append(f"| {code(where(f))} | {code(f.pointer) if f.pointer else ''} | {message} |")
        out.append("")
    if len(items) > max_examples:
        out += [f"… and {plural(len(items) - max_examples, 'more finding')} (all in `--format json`).", ""]
    return out


def text(value: str) -> str:
    """Plain text safe in a table cell: Markdown syntax escaped, line breaks as <br>."""
    return _BREAKS.sub("<br>", _SPECIAL.sub(r"\\\1", value))


def code(value: str) -> str:
    """A code span safe in a table cell: fenced by one more backtick than the longest run inside,
    padded when the value starts or ends with one, `|` escaped (GFM splits cells before code spans)."""
    if not value:
        return ""
    value = _BREAKS.sub(" ", value).replace("|", "\\|")
    fence = "`" * (max((len(m) for m in _TICKS.findall(value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"
