"""Small pieces several output formats share, so that they word the same things the same way."""
from __future__ import annotations

from collections import defaultdict

from ftdata.model import Finding, plural
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


def one_line(text: str) -> str:
    """Line-oriented formats promise one line per finding, whatever a message quotes."""
    return " ".join(text.splitlines())


def detail(f: Finding) -> str:
    """The message with the JSON pointer into the record: a JSONL line can hold a long
    conversation, and formats without a pointer field would otherwise lose where."""
    return f"{f.message} (at {f.pointer})" if f.pointer else f.message
