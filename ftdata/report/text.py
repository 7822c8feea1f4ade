"""Human output: findings grouped by rule with a few locations each, stats, then the verdict."""
from __future__ import annotations

import math
from typing import IO, TYPE_CHECKING, Any

import click

from ftdata.model import Severity, plural
from ftdata.report._common import accepted, by_rule, counts, encode, printable, shares_line, shown, total, where
from ftdata.report.base import NOT_READY, READY, Report

if TYPE_CHECKING:
    from ftdata.report import RenderOptions

MAX_EXAMPLES = 5
_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
_VERDICT_COLORS = {READY: "green", NOT_READY: "red"}


def write(report: Report, out: IO[bytes], options: RenderOptions) -> None:
    out.write(encode(render(report, options.color, options.max_examples)))


def render(report: Report, color: bool = False, max_examples: int = MAX_EXAMPLES) -> str:
    def style(s: str, **kw: Any) -> str:
        return click.style(s, **kw) if color else s

    out: list[str] = []
    for (code, name), items in by_rule(report.findings):
        sev = items[0].severity
        out.append(style(f"{code} {name}", bold=True) + "  " + style(sev.value, fg=_COLORS[sev])
                   + f"  {plural(total(items), 'finding')}")
        for f in map(shown, items[:max_examples]):  # record text escaped: see printable
            # a record inside a line (a JSON array) is also named by its index: `ftdata show FILE '#N'`
            index = f" #{f.record_index}" if f.record_index is not None and shares_line(f) else ""
            ptr = f" {f.pointer}" if f.pointer else ""
            out.append(f"  {style(where(f), fg='cyan')}{index}{ptr}  {f.message}")
            if f.excerpt:
                out.append(style(f"      | {f.excerpt}", dim=True))
            for r in f.related[:3]:  # by index too where the finding's own record is (a JSON array)
                place = f"{r.file}:{r.line}" if r.line is not None else f"{r.file}"
                named = r.record_index is not None and (index or r.line is None)
                out.append(style(f"      ~ {place}" + (f" #{r.record_index}" if named else ""), dim=True))
        if len(items) > max_examples:
            out.append(style(f"  ... and {len(items) - max_examples:,} more (all in --format json)", dim=True))
        out.append("")
    for st in report.stats["files"]:
        out.extend(map(printable, _stats(st)))  # file names, label values
        out.append("")
    s = report.summary
    out.append(f"{counts(report)} ({s['files']} file{'s' if s['files'] != 1 else ''}){accepted(report)}")
    verdict = report.verdict
    line = "Verdict: " + style(verdict, bold=True, fg=_VERDICT_COLORS.get(verdict, "yellow"))
    if report.reasons:
        first = report.reasons[:4]
        more = len(report.reasons) - len(first)
        line += " - " + ", ".join(first) + (f", and {more} more rules" if more > 0 else "")
    out.append(line)
    return "\n".join(out) + "\n"


def _stats(st: dict[str, Any]) -> list[str]:
    t = st["tokens"]
    formats = ", ".join(f"{k} {v:,}" for k, v in st["formats"].items()) or "none recognised"
    approx = "" if t["exact"] else "≈"
    vol = st.get("volume")  # absent for an evaluation set: it is not trained on
    tr = st.get("training")
    return [*_head(st, formats, approx, vol, tr, t), *_labels(st.get("labels")), *_style(st.get("style"))]


WIDTH = 100  # characters a line of the style profile fills


def _style(table: dict[str, Any] | None) -> list[str]:
    """The style profile: each feature's convention and its share, wrapped; the modes, if any."""
    if not table:
        return []
    items = [f"{name} {f['convention']} {math.floor(f['share'] * 100)}%" for name, f in table["features"].items()]
    sp = table["system_prompts"]
    if sp["records"]:
        items.append(f"system prompts {sp['variants']:,} (most used {sp['most_used_share']:.0%})")
    out = [f"  style of {table['answers']:,} answers (each feature's most common value, share of the answers "
           "it applies to):"]
    line = "   "
    for item in items:
        if len(line) + len(item) + 2 > WIDTH and line.strip():
            out.append(line.rstrip(","))
            line = "   "
        line += f" {item},"
    out.append(line.rstrip(","))
    for mode in table.get("modes", []):
        out.append(f"    mode {mode['share']:.0%}: {', '.join(mode['traits'])}")
    return out


def _labels(table: dict[str, Any] | None) -> list[str]:
    """The label distribution: how many, the most and least frequent, and how uneven."""
    if not table:
        return []
    if not table["counts"]:
        return [f"  labels ({table['source']}): no record has one (a text, number or boolean)"]
    if table.get("per_record"):
        return [f"  labels ({table['source']}): {table['labels']:,} distinct values over {table['examples']:,} "
                "examples: a value per record, not a label"]
    items = list(table["counts"].items())
    most = ", ".join(f"{k} {v:,}" for k, v in items[:5])
    least = ", ".join(f"{k} {v:,}" for k, v in items[-3:][::-1]) if len(items) > 5 else ""
    return [f"  labels ({table['source']}): {table['labels']:,} over {table['examples']:,} distinct examples; "
            f"imbalance {table['imbalance_ratio']:.1f}x, normalised entropy {table['normalized_entropy']:.2f}",
            f"    most: {most}" + (f"; fewest: {least}" if least else "")]


def _limit(t: dict[str, Any]) -> str:
    """"limit 65,536 for gpt-4o-mini", or where a limit not the model's own comes from (a profile, a setting)."""
    source = t.get("limit_source", "")
    return f"limit {t['limit']:,}: {source}" if source and not source.endswith(t["model"]) \
        else f"limit {t['limit']:,} for {t['model']}"


def _head(st: dict[str, Any], formats: str, approx: str, vol: dict[str, Any] | None, tr: dict[str, Any] | None,
          t: dict[str, Any]) -> list[str]:
    return [
        f"{st['file']}{' (evaluation set)' if st.get('role') == 'eval' else ''}: {st['examples']:,} examples of "
        f"{st['records']:,} records ({formats}); "
        f"{st['turns']['total']:,} turns",
        f"  tokens ({t['encoding']}{', estimated' if not t['exact'] else ''}): min {approx}{t['min']:,}, "
        f"median {approx}{t['median']:,}, p95 {approx}{t['p95']:,}, max {approx}{t['max']:,}; "
        f"{_limit(t)} ({t['over_limit']:,} over)",
    ] + ([] if tr is None or vol is None else [
        f"  training: {tr['epochs']} epochs by default, {approx}{tr['billed_tokens']:,} billed tokens",
        f"  size: {vol['task']}; {vol['recommended']:,}+ examples recommended ({vol['why']})"
        + (f"; {vol['distinct_examples']:,} distinct" if vol.get("distinct_examples", st["examples"]) < st["examples"]
           else ""),
    ])
