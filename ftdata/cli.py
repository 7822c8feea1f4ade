"""The command line: parse, build Settings, call the API notebooks call, render, exit 0/1/2."""
from __future__ import annotations

import gc
import io
import os
import re
import sys
from collections import Counter
from typing import Any, NoReturn

import click

from ftdata._version import __version__
from ftdata.formats import NAMES
from ftdata.io import READ_ERRORS
from ftdata.report import FORMATS, RenderOptions, Report, json_printable, printable


class UsageFailure(Exception):
    """An unusable invocation: one sentence, exit 2."""


def _check_options(pairs: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    import orjson

    out: dict[str, dict[str, Any]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        check, dot, field = key.partition(".")
        if not sep or not dot or not check or not field:
            raise UsageFailure(f"--check-option takes CHECK.KEY=VALUE, got {pair!r}")
        try:  # an integer exactly, however long (orjson reads one beyond 64 bits as a float)
            parsed: Any = int(value) if re.fullmatch(r"-?[0-9]{1,4300}", value.strip()) else orjson.loads(value)
        except orjson.JSONDecodeError:
            parsed = value
        out.setdefault(check, {})[field] = parsed
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ftdata")
def cli() -> None:
    """Lint and curate LLM fine-tuning data."""


def _selectors(values: tuple[str, ...]) -> tuple[str, ...]:
    """Repeatable selector options also take comma-separated lists (`--select FMT,DUP001`); a value
    with no selector in it (`--select ,`) stays an empty one, which Settings refuses."""
    return tuple(part for v in values for part in [p.strip() for p in v.split(",") if p.strip()] or [""])


def _severities(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, level = pair.partition("=")
        if not sep or not key.strip() or level.strip() not in ("error", "warning", "info"):
            raise UsageFailure(f"--severity takes RULE=error|warning|info, got {pair!r}")
        out[key.strip()] = level.strip()
    return out


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(list(FORMATS)), default=None,
              help="Output format (default: output-format in the configuration, else text).")
@click.option("-o", "--output", default=None, metavar="FILE",
              help="Write the report to FILE (atomically) instead of standard output. "
                   "(With --fix and no --fix-output, FILE is where the fixed data goes, as before; refused "
                   "when --format, --statistics or FILE's name asks for a report there.)")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings.")
@click.option("--config", "config_path", default=None, metavar="PATH",
              help="Configuration file (default: the nearest ftdata.toml or pyproject.toml [tool.ftdata] "
                   "from the working directory up).")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--profile", default=None, metavar="NAME",
              help="Provider rules and limits: openai, together, mistral, bedrock, vertex or trl.")
@click.option("--select", multiple=True, help="Run only these rules: codes, code prefixes, names, categories "
              "or ALL (repeatable or comma-separated; replaces the configuration's select).")
@click.option("--extend-select", multiple=True, help="Also run these rules (repeatable or comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these rules: codes, code prefixes, names or categories "
              "(repeatable or comma-separated; added to the configuration's ignore).")
@click.option("--severity", "severities", multiple=True, metavar="RULE=LEVEL",
              help="Override a rule's severity, e.g. FMT025=error or style=info (repeatable).")
@click.option("--model", default=None, help="Model whose tokenizer and per-example limit apply (default gpt-4o-mini).")
@click.option("--max-tokens", type=int, default=None, help="Override the per-example token limit.")
@click.option("--max-record-bytes", type=int, default=None, metavar="BYTES",
              help="A larger record (line or array element) is reported (FMT008), not parsed (default 8 MiB).")
@click.option("--input-format", type=click.Choice(NAMES), default=None, help="Skip detection; read every record as this.")
@click.option("--eval", "eval_paths", multiple=True, metavar="FILE",
              help="An evaluation set: report its records that also are in the training files (repeatable).")
@click.option("--label-field", metavar="FIELD",
              help="Record field (dotted path, e.g. meta.category) whose value is the label or category.")
@click.option("--label-key", metavar="KEY", help="Key of the JSON object in the final answer holding the label.")
@click.option("--check-option", "check_options", multiple=True, metavar="CHECK.KEY=VALUE",
              help="Set a check's option, e.g. length-outlier.z=4 (repeatable).")
@click.option("--near-threshold", type=float, default=None,
              help="Similarity (Jaccard of character 5-grams) from which records are near duplicates (default 0.8).")
@click.option("--min-examples-provider", type=int, default=None, help="Provider minimum (default 10).")
@click.option("--min-examples", type=int, default=None, help="Minimum to learn a behaviour (default 50).")
@click.option("--recommended-examples", type=int, default=None, help="Recommended minimum (default 100).")
@click.option("--baseline", "baseline_path", default=None, metavar="PATH",
              help="Findings accepted in this baseline are not reported (default: baseline in the "
                   "configuration, else ftdata-baseline.json in the project root when it exists).")
@click.option("--write-baseline", is_flag=True, help="Record the current findings as accepted, in the baseline, and exit 0.")
@click.option("--no-baseline", is_flag=True, help="Report every finding, baseline or not.")
@click.option("--no-collapse", is_flag=True, help="Report one finding per record even when (nearly) every record "
              "shares the cause (by default such findings are reported once, with their count).")
@click.option("--jobs", type=int, default=None, help="Worker processes (default: CPU count).")
@click.option("--max-examples", type=click.IntRange(min=0), default=5, show_default=True,
              help="Locations shown per rule in text output.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are errors.")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: when a TTY).")
@click.option("--fix", is_flag=True, help="Also write the input with safe fixes (byte-order mark, control characters, "
              "surrounding whitespace, empty-input markers) to --fix-output; the report is of the input.")
@click.option("--fix-output", default=None, metavar="PATH", help="Where --fix writes (never the input).")
def lint(paths: tuple[str, ...], output_format: str | None, output: str | None, statistics: bool,
         config_path: str | None, isolated: bool, profile: str | None, select: tuple[str, ...],
         extend_select: tuple[str, ...], ignore: tuple[str, ...], severities: tuple[str, ...], model: str | None,
         max_tokens: int | None, max_record_bytes: int | None, input_format: str | None,
         eval_paths: tuple[str, ...], label_field: str | None,
         label_key: str | None, check_options: tuple[str, ...], near_threshold: float | None,
         min_examples_provider: int | None,
         min_examples: int | None, recommended_examples: int | None, baseline_path: str | None,
         write_baseline: bool, no_baseline: bool, no_collapse: bool, jobs: int | None, max_examples: int, exit_zero: bool,
         color: bool | None, fix: bool, fix_output: str | None) -> None:
    """Check fine-tuning data files (.jsonl, .jsonl.gz, .json; - for stdin) and give a verdict."""
    from ftdata import configfile, plugins

    plugins.warn()  # a broken plugin is skipped, and said so, before anything else

    legacy_fix = fix and fix_output is None and output is not None  # `--fix -o OUT`, the original spelling
    if legacy_fix:
        _legacy_fix_usage(output, f"--format {output_format}" if output_format else
                          "--statistics" if statistics else None)
        fix_output, output = output, None
    output = None if output == "-" else output  # `-o -`: standard output, as most tools read it
    for p in paths + eval_paths:
        _readable(p, "the evaluation set " if p in eval_paths else "")
    if baseline_path is not None and os.path.exists(baseline_path) and not os.path.isfile(baseline_path):
        kind = "a directory" if os.path.isdir(baseline_path) else "no regular file"
        raise UsageFailure(f"--baseline {baseline_path!r} is {kind}; a baseline is a JSON file (write one with "
                           "--write-baseline)")
    if fix or fix_output is not None:
        _fix_usage(paths, eval_paths, fix, fix_output, report_on_stdout=output is None)
    if write_baseline and no_baseline:
        raise UsageFailure("--write-baseline and --no-baseline contradict each other; give one")
    if write_baseline and (output is not None or fix or statistics):
        raise UsageFailure("--write-baseline only records the findings; run -o/--output, --statistics or --fix "
                           "without it")
    if output is not None and fix_output is not None and os.path.abspath(output) == os.path.abspath(fix_output):
        raise UsageFailure(f"-o/--output and --fix-output are both {output!r}: the report and the fixed data "
                           "need two files")
    volume = {k: v for k, v in {"provider_minimum": min_examples_provider, "minimum": min_examples,
                                "recommended": recommended_examples}.items() if v is not None}
    given: dict[str, Any] = {
        "profile": profile, "model": model, "max_tokens": max_tokens, "max_record_bytes": max_record_bytes,
        "input_format": input_format, "jobs": jobs,
        "eval": eval_paths or None, "label_field": label_field, "label_key": label_key,
        "select": _selectors(select) or None, "extend_select": _selectors(extend_select) or None,
        "ignore": _selectors(ignore) or None, "severity": _severities(severities) or None,
        "checks": _check_options(check_options) or None, "volume": volume or None, "near_threshold": near_threshold,
        "limit_source": "--max-tokens" if max_tokens else None}
    try:
        loaded = configfile.load(config_path, isolated)
        settings = configfile.make_settings(loaded, {k: v for k, v in given.items() if v is not None})
    except configfile.ConfigError as e:
        raise UsageFailure(str(e)) from None
    for p in settings.eval:
        _readable(p, "the evaluation set ")
    if loaded.config.eval and not eval_paths:  # the configuration's evaluation sets: named as its own
        from ftdata.engine import check_eval_paths

        try:
            check_eval_paths(paths, settings.eval)
        except ValueError as e:
            raise UsageFailure(f"{loaded.path}: eval: {str(e).removeprefix('--eval ')}") from None
    configured = loaded.config.output_format
    if configured is not None and configured not in FORMATS:
        raise UsageFailure(f"{loaded.path}: output-format {configured!r} is not one of {', '.join(FORMATS)}")
    if legacy_fix and configured not in (None, "text"):
        _legacy_fix_usage(fix_output, f"output-format {configured!r} in {loaded.path}")
    output_format = output_format or configured or "text"
    if output is not None:
        _output_usage(output, paths + settings.eval)
    from ftdata import engine
    from ftdata.suppressions import Suppressions

    try:
        suppress = Suppressions.of(loaded, baseline_path, no_baseline or write_baseline)
        paths = _without_baseline(paths, suppress.baseline_path)
        paths = _without_non_data(paths, settings.input_format)
        results = engine.lint_paths(paths, settings) if paths or settings.eval else []
        if write_baseline:
            n = suppress.write_baseline(results, settings)
            click.echo(f"wrote {n:,} baseline entr{'y' if n == 1 else 'ies'} (accepted findings, counted per "
                       f"rule and record) to {suppress.baseline_path}; `ftdata lint` now reports only new ones",
                       err=True)
            sys.exit(0)
        kept, suppressed = suppress.apply(results, settings)
        if not (no_collapse or statistics):  # --statistics counts every finding per rule
            from ftdata.collapse import collapse

            kept = collapse(kept)
        report = Report(kept, exit_zero=exit_zero, suppressed=suppressed)
    except (ValueError, engine.Unreadable) as e:
        raise UsageFailure(str(e)) from None
    _render(report, output_format, output, statistics, RenderOptions(
        sys.stdout.isatty() if color is None and output is None else bool(color), max_examples, _rule_doc))
    if fix and fix_output:
        _fix(paths[0], fix_output, settings.input_format)
    sys.exit(report.exit_code)


def _without_baseline(paths: tuple[str, ...], baseline: str) -> tuple[str, ...]:
    """The inputs but the baseline file (`ftdata lint *.json` globs it too): it is not training data."""
    from ftdata.curate.atomic import same_file

    kept = tuple(p for p in paths if p == "-" or not os.path.isfile(baseline) or not same_file(p, baseline))
    if len(kept) < len(paths):
        click.echo(printable(f"ftdata: skipping {baseline}: it is the baseline of accepted findings, "
                             "not training data"), err=True)
    if not kept:
        raise UsageFailure("nothing to lint: the only input is the baseline")
    return kept


def _without_non_data(paths: tuple[str, ...], input_format: str | None) -> tuple[str, ...]:
    """The inputs but `.json` files that clearly are no dataset (package.json, a dict of splits: see
    ftdata.non_data), each skipped with a note: the pre-commit hook's pattern takes every .json."""
    from ftdata.non_data import reason

    kept = []
    for p in paths:
        why = reason(p, input_format)
        if why is None:
            kept.append(p)
        else:
            click.echo(printable(f"ftdata: skipping {p}: not a dataset but {why}"), err=True)  # p: see printable
    if not kept:
        click.echo("ftdata: nothing to lint: no input is a dataset", err=True)
    return tuple(kept)


def _rule_doc(code: str) -> str | None:
    """A rule's documentation, for formats that carry it (SARIF): reports may not import the registry."""
    from ftdata.registry import find

    check = find(code)
    return check.doc() if check is not None else None


def _readable(p: str, what: str = "") -> None:
    if p != "-" and (not os.path.exists(p) or os.path.isdir(p)):  # pipes (<(zcat x.gz)) are fine
        why = "is a directory" if os.path.isdir(p) else "does not exist"
        raise UsageFailure(f"cannot read {what}{p!r}: it {why}")
    if p != "-" and not os.access(p, os.R_OK):
        raise UsageFailure(f"cannot read {what}{p!r}: permission denied")


def _output_usage(output: str, inputs: tuple[str, ...]) -> None:
    from ftdata.curate.atomic import check_target

    try:
        check_target(output, inputs)
    except ValueError as e:
        raise UsageFailure(str(e)) from None


def _render(report: Report, output_format: str, output: str | None, statistics: bool,
            options: RenderOptions) -> None:
    """The report in its format, or the per-rule counts, on stdout or atomically in `output`."""
    from contextlib import nullcontext

    from ftdata.curate.atomic import atomic_writer
    from ftdata.report import statistics as stats_format

    gc.disable()  # rendering many findings: see engine.without_gc (the process ends after this)
    try:
        with atomic_writer(output) if output else nullcontext(sys.stdout.buffer) as out:
            if statistics:
                stats_format.write(report, out, options, as_json=output_format in ("json", "jsonl"))
            else:
                FORMATS[output_format](report, out, options)
        sys.stdout.buffer.flush()
    except BrokenPipeError:  # `| head`: the reader has seen enough; the verdict stands
        pass
    except OSError as e:
        from ftdata.curate.atomic import WriteError, describe

        raise UsageFailure(str(e) if isinstance(e, WriteError) else
                           f"cannot write {describe(output or '-')}: {e.strerror or e}") from None


REPORT_SUFFIXES = (".sarif", ".xml", ".html", ".htm", ".md", ".txt", ".log")


def _legacy_fix_usage(output: str | None, report: str | None) -> None:
    """`--fix -o OUT` (no --fix-output) writes the fixed data to OUT, as first released; refused when
    OUT may be meant for a report (a report format was asked for, or OUT is named like one): data is
    never written where the user asked for a report."""
    if report is None and not str(output).lower().endswith(REPORT_SUFFIXES):
        return
    why = f"{report} asks for a report" if report else f"{output!r} is named like a report"
    raise UsageFailure(f"with --fix, -o is ambiguous ({why}): write the report with -o and the fixed data with "
                       "--fix-output PATH")


def _fix_usage(paths: tuple[str, ...], eval_paths: tuple[str, ...], fix: bool, output: str | None,
               report_on_stdout: bool = True) -> None:
    """Refuse an unusable --fix before linting, so that no report precedes the error."""
    from ftdata.curate.fix import check_output

    if not fix:
        raise UsageFailure("--fix-output is where --fix writes the fixed data; add --fix or drop --fix-output")
    if output is None:
        raise UsageFailure("--fix writes a new file and needs -o PATH or --fix-output PATH "
                           "(the input is never modified)")
    if len(paths) > 1:
        raise UsageFailure(f"--fix writes one file: give one input, not {len(paths)}")
    if paths[0] == "-" or not os.path.isfile(paths[0]):
        raise UsageFailure(f"--fix reads {paths[0]!r} twice (lint, then fix) and needs a regular file, "
                           "not standard input or a pipe")
    if output == "-" and report_on_stdout:
        raise UsageFailure("the report goes to standard output, so the fixed data cannot: write the report with "
                           "-o PATH, or give --fix-output a path, not '-'")
    try:
        for p in paths + eval_paths:
            check_output(p, output)
    except ValueError as e:
        raise UsageFailure(str(e)) from None


def _fix(path: str, output: str, input_format: str | None) -> None:
    """Write the fixed copy (see ftdata.curate.fix) and say what changed, on stderr."""
    from ftdata.curate.fix import fix_file

    try:
        summary = fix_file(path, output, input_format)
    except ValueError as e:
        raise UsageFailure(str(e)) from None
    except BrokenPipeError:  # `-o - | head`: the data is cut short, so nothing else is committed
        raise UsageFailure("standard output was closed before all the data was written; no other file was "
                           "written") from None
    except READ_ERRORS as e:
        raise UsageFailure(_io_sentence(e, path)) from None
    wrote = "wrote" if summary.fixed or summary.bom else "wrote a copy to"
    click.echo(f"{summary.describe()}: {wrote} {_shown(output)}", err=True)


@cli.command()
@click.argument("path")
@click.option("-o", "--output", required=True, help="Where to write the deduplicated data (never the input; "
              "- for standard output, which needs --rejects).")
@click.option("--rejects", "rejects", default=None, metavar="PATH",
              help="Where to write the dropped records (default: OUTPUT.rejects.jsonl; /dev/null discards them).")
@click.option("--keep", type=click.Choice(["first", "longest"]), default="first", show_default=True,
              help="Which member of each duplicate cluster to keep.")
@click.option("--near/--exact-only", default=True, show_default=True,
              help="Also drop near duplicates, or only exact and normalised ones.")
@click.option("--against", default=None, metavar="FILE",
              help="Drop only the records of PATH that already are in FILE (e.g. an existing training set).")
def dedupe(path: str, output: str, rejects: str | None, keep: str, near: bool, against: str | None) -> None:
    """Write PATH without its duplicates to OUTPUT; dropped records go to OUTPUT.rejects.jsonl."""
    from ftdata.curate.dedupe import dedupe as run

    for p in (path, against):
        if p is not None and p != "-" and (not os.path.exists(p) or os.path.isdir(p)):
            raise UsageFailure(f"cannot read {p!r}: it {'is a directory' if os.path.isdir(p) else 'does not exist'}")
    if against and keep != "first":
        raise UsageFailure("--keep chooses within duplicate clusters; with --against nothing is chosen, "
                           "records already in the other file are dropped")
    try:
        result = run(path, output, keep=keep, near=near, against=against, rejects=rejects)
    except ValueError as e:
        raise UsageFailure(str(e)) from None
    except BrokenPipeError:  # `-o - | head`: the data is cut short, so nothing else is committed
        raise UsageFailure("standard output was closed before all the data was written; no other file was "
                           "written") from None
    except READ_ERRORS as e:
        raise UsageFailure(_io_sentence(e, path)) from None
    reasons = Counter(d.reason for d in result.dropped)
    detail = ", ".join(f"{n:,} {r}" for r, n in sorted(reasons.items())) or "no duplicates"
    click.echo(f"kept {result.kept:,} of {result.records:,} records in {_shown(result.output)}; dropped "
               f"{len(result.dropped):,} ({detail}), listed in {_shown(result.rejects)}", err=output == "-")


def _io_sentence(e: BaseException, path: str) -> str:
    """One sentence naming the file an IO error is about: an output's own error names it; else the input."""
    from ftdata.curate.atomic import WriteError
    from ftdata.engine import Unreadable

    if isinstance(e, (WriteError, Unreadable)):
        return str(e)
    why = getattr(e, "strerror", None) or str(e) or type(e).__name__
    return f"cannot read {getattr(e, 'filename', None) or path!r}: {why}"


def _shown(path: str) -> str:
    return "standard output" if path == "-" else path


@cli.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def rules(output_format: str) -> None:
    """List every check: code, name, category, default severity and the first sentence of its
    documentation, by category (in pipeline order: format, volume, length, ...), then code."""
    import shutil
    import textwrap

    import orjson

    from ftdata.registry import all_checks
    from ftdata.rule_docs import in_order, summary

    checks = in_order(all_checks())
    if output_format == "json":
        click.echo(orjson.dumps([{"code": c.code, "name": c.name, "category": c.category,
                                  "severity": c.severity.value, "summary": summary(c.doc())}
                                 for c in checks], option=orjson.OPT_INDENT_2).decode())
        return
    widths = [max((len(v) for v in values), default=0) for values in
              zip(*((c.code, c.name, c.category, c.severity.value) for c in checks))]
    indent = sum(widths) + 8
    width = max(RULES_WIDTH, shutil.get_terminal_size((RULES_WIDTH, 24)).columns)
    for c in checks:
        head = "  ".join(f"{v:<{w}}" for v, w in zip((c.code, c.name, c.category, c.severity.value), widths))
        lines = textwrap.wrap(summary(c.doc()), max(40, width - indent), break_on_hyphens=False) or [""]
        click.echo(f"{head}  {lines[0]}".rstrip() + "".join(f"\n{' ' * indent}{line}" for line in lines[1:]))


RULES_WIDTH = 100  # characters a line of `ftdata rules` fills at least (the terminal's width if wider); a
# longer summary wraps, never cut


@cli.command()
@click.argument("code")
def rule(code: str) -> None:
    """Show the documentation of one check, by code or name."""
    from ftdata.registry import find

    cls = find(code)
    if cls is None:
        raise UsageFailure(f"no rule {code!r}; `ftdata rules` lists them")
    from ftdata.rule_docs import source

    click.echo(f"{cls.code} {cls.name} ({cls.category}, {cls.severity.value} by default)\n")
    click.echo(cls.doc())
    click.echo(f"\nSource: {source(cls)}")


@cli.command()
@click.argument("path")
@click.argument("location", required=False)
@click.option("--index", type=click.IntRange(min=0), default=None, metavar="N",
              help="The record with this 0-based index (the JSON report's record_index), instead of LOCATION.")
@click.option("--no-mask", is_flag=True, help="Print personal data and secrets as they are, unmasked.")
def show(path: str, location: str | None, index: int | None, no_mask: bool) -> None:
    """Print one record of PATH as pretty JSON, personal data and secrets masked.

    \b
    LOCATION is where a report puts the record:
      LINE         the record starting on that line, e.g. 12
      LINE:COLUMN  the record starting there, e.g. 1:4841 (a one-line JSON array
                   holds every record on line 1); columns count characters from 1
      #INDEX       the record with that 0-based index, e.g. '#12' (quote it: a
                   shell reads # as the start of a comment), or --index 12
    PATH:LINE[:COLUMN], as text and concise reports print it, works as one argument.
    Masked as the personal-data (CNT010) and secret (CNT011) rules mask their findings."""
    import orjson

    from ftdata import show as locate
    from ftdata.model import plural

    try:
        if index is not None:
            if location is not None:
                raise UsageFailure("give LOCATION or --index, not both")
            place = locate.Place(record=index)
        elif location is not None:
            place = locate.parse_location(location)
        else:
            split = None if os.path.exists(path) else locate.split_path(path)
            if split is None:
                raise UsageFailure("give a LOCATION (LINE, LINE:COLUMN or '#INDEX') or --index N")
            path, place = split
    except ValueError as e:
        raise UsageFailure(str(e)) from None
    _readable(path)
    try:
        shown = locate.find(path, place)
    except LookupError as e:
        raise UsageFailure(str(e.args[0])) from None
    except READ_ERRORS as e:
        raise UsageFailure(f"cannot read {path!r}: {getattr(e, 'strerror', None) or e}") from None
    value, n = (shown.value, 0) if no_mask else locate.masked(shown.value)
    where = f"{path}:{shown.line}" + (f":{shown.column}" if shown.column > 1 else "")
    note = "unmasked" if no_mask else f"{plural(n, 'value')} masked" if n else "nothing to mask"
    click.echo(printable(f"{where}: record #{shown.record}{'' if shown.valid else ', not valid JSON'} ({note})"),
               err=True)
    if not shown.valid:  # the line as it is, its controls escaped: see printable
        click.echo(printable(value))
        return
    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()
    except orjson.JSONEncodeError:  # a lone surrogate, an integer past 64 bits (lenient-only JSON)
        import json

        text = json.dumps(value, indent=2, ensure_ascii=False)
    try:  # the same JSON, with what could drive the terminal (or its encoding cannot show) as JSON escapes
        text = json_printable(text)
        text.encode(getattr(sys.stdout, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        text = json_printable(text, ascii=True)
    click.echo(text)


@cli.command()
@click.option("--pyproject", is_flag=True, help="Add a [tool.ftdata] table to pyproject.toml instead of writing ftdata.toml.")
@click.option("--force", is_flag=True, help="Replace an existing ftdata.toml.")
def init(pyproject: bool, force: bool) -> None:
    """Write a commented starter configuration in the working directory."""
    from ftdata.starter import write

    try:
        path = write(os.getcwd(), pyproject, force)
    except (ValueError, OSError) as e:
        raise UsageFailure(str(e)) from None
    click.echo(f"wrote {os.path.relpath(path)}: every setting is shown, commented out or at its default")


@cli.command(name="formats")
def formats_cmd() -> None:
    """List the input formats ftdata detects, in detection order."""
    from ftdata.formats import FORMATS

    for f in FORMATS:
        click.echo(f"{f.name:<22} {f.title}  (schemas/{f.schema})")


@cli.command(name="plugins")
def plugins_cmd() -> None:
    """List the plugin checks loaded from the `ftdata.checks` entry points, and any problems."""
    from ftdata.plugins import report_lines

    for line in report_lines():
        click.echo(line)


def main(argv: list[str] | None = None) -> None:
    """Entry point: click's own errors and ours become one line on stderr and exit 2."""
    for stream in (sys.stdout, sys.stderr):  # a character the terminal's encoding lacks: escaped, not a crash
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    _exit(_run(argv))


def _run(argv: list[str] | None) -> int:
    try:
        cli.main(args=argv, prog_name="ftdata", standalone_mode=False)
        return 0
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else 0 if e.code is None else 2
    except click.ClickException as e:  # error sentences may quote file names and record text: see printable
        click.echo(printable(f"ftdata: error: {e.format_message()}"), err=True)
        return 2
    except click.exceptions.Abort:  # click's name for Ctrl-C and for an EOFError that escaped a reader
        click.echo("ftdata: error: stopped before the end (interrupted, or an input ended unexpectedly)", err=True)
        return 2
    except UsageFailure as e:
        click.echo(printable(f"ftdata: error: {e}"), err=True)
        return 2
    except click.exceptions.Exit as e:
        return e.exit_code
    except BrokenPipeError:
        return 0
    except Exception as e:  # a bug of ours: say so in one line; FTDATA_DEBUG=1 shows the traceback
        if os.environ.get("FTDATA_DEBUG"):
            raise
        click.echo(printable(f"ftdata: internal error ({type(e).__name__}: {e}); please report it "
                             "(FTDATA_DEBUG=1 shows the traceback)"), err=True)
        return 2


def _exit(code: int) -> NoReturn:
    """Flush and leave without tearing the interpreter down, as mypy does: after a large lint,
    freeing a heap of a gigabyte object by object takes a fifth of a second and achieves nothing."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            pass
    os._exit(code)


if __name__ == "__main__":
    main()
