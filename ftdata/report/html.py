"""HTML for notebooks (Report._repr_html_): the verdict, the summary and a findings table."""
from __future__ import annotations

from html import escape

from ftdata.report._common import line_of, shown
from ftdata.report.base import Report

MAX_ROWS = 200


def render(report: Report, color: bool = False) -> str:
    s = report.summary
    rows = "".join(
        f"<tr><td>{escape(f.rule)}</td><td>{escape(f.name)}</td><td>{f.severity.value}</td>"
        f"<td>{escape(str(f.file))}</td><td>{line_of(f)}</td>"
        f"<td><code>{escape(f.pointer)}</code></td><td>{escape(f.message)}</td></tr>"
        for f in map(shown, report.findings[:MAX_ROWS]))  # record text escaped: see printable
    more = f"<p>… {len(report.findings) - MAX_ROWS:,} more; use <code>.to_pandas()</code></p>" \
        if len(report.findings) > MAX_ROWS else ""
    reasons = "".join(f"<li>{escape(r)}</li>" for r in report.reasons[:10])
    return (f"<div><p><b>Verdict: {escape(report.verdict)}</b> &mdash; {s['examples']:,} examples, "
            f"{s['errors']:,} errors, {s['warnings']:,} warnings, {s['infos']:,} infos</p>"
            f"<ul>{reasons}</ul><table><thead><tr><th>rule</th><th>name</th><th>severity</th><th>file</th>"
            f"<th>line</th><th>pointer</th><th>message</th></tr></thead><tbody>{rows}</tbody></table>{more}</div>")
