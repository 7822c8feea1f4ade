"""`--format github`: GitHub Actions workflow commands, which the runner turns into annotations
on the files of a pull request.

GitHub shows only a handful of annotations per step, so each rule gets at most MAX_PER_RULE,
then one annotation counting the rest: a rule firing on 10,000 records must not hide the one
firing on 3. When $GITHUB_STEP_SUMMARY is set, the Markdown report is appended to the job
summary, where every rule appears with its counts.
"""
from __future__ import annotations

import os
from collections import Counter
from typing import IO, TYPE_CHECKING

from ftdata.model import Finding, Severity, plural
from ftdata.report import markdown
from ftdata.report._common import detail, encode, printable, shown, summary_line
from ftdata.report.base import Report

if TYPE_CHECKING:
    from ftdata.report import RenderOptions

MAX_PER_RULE = 10  # annotations per rule; the rest are counted in one more
_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def write(report: Report, out: IO[bytes], options: RenderOptions) -> None:
    annotated: Counter[str] = Counter()
    hidden: dict[str, tuple[Finding, int]] = {}  # rule -> (its first finding, how many not annotated)
    lines: list[str] = []
    for f in report.findings:
        if annotated[f.rule] < MAX_PER_RULE:
            annotated[f.rule] += 1
            lines.append(annotation(f))
        else:
            first, n = hidden.get(f.rule, (f, 0))
            hidden[f.rule] = (first, n + 1)
    for rule in sorted(hidden):
        f, n = hidden[rule]
        title = f"{f.rule} {f.name}"
        lines.append(command(_COMMANDS[f.severity], {"title": title},
                             f"{title}: {plural(n, 'more finding')} not annotated "
                             "(see the job summary or --format json)"))
    lines.append(summary_line(report))
    out.write(encode("".join(line + "\n" for line in lines)))
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            # append: earlier steps wrote there too
            with open(summary, "a", encoding="utf-8", errors="backslashreplace") as fh:
                fh.write(markdown.render(report, options.max_examples) + "\n")
        except OSError as e:
            out.write(encode(command("warning", {}, printable(f"ftdata could not write the job summary: {e}")) + "\n"))


def annotation(f: Finding) -> str:
    f = shown(f)  # record text escaped (see printable): the log shows the command, and renders ANSI codes
    props = {"file": f.file or "-"}
    if f.line is not None:
        props["line"] = str(f.line)
        if f.column is not None:  # 1-based, in characters: which record of a one-line JSON array
            props["col"] = str(f.column)
    props["title"] = f"{f.rule} {f.name}"
    return command(_COMMANDS[f.severity], props, detail(f))


def command(name: str, props: dict[str, str], message: str) -> str:
    """`::name key=value,...::message`, escaped as the runner unescapes it."""
    args = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    return f"::{name}{' ' + args if args else ''}::{escape_data(message)}"


def escape_data(value: str) -> str:
    """What the runner would read as the end of the command: `%`, CR and LF (none of the last two
    is left in a finding by `shown`)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")
