"""The command line: parse, build Settings, call the API notebooks call, render, exit 0/1/2."""
from __future__ import annotations

import gc
import os
import sys
from collections import Counter
from typing import Any, NoReturn

import click
from pydantic import ValidationError

from ftdata._version import __version__
from ftdata.formats import NAMES
from ftdata.report import FORMATS, RenderOptions, Report


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
        try:
            parsed: Any = orjson.loads(value)
        except orjson.JSONDecodeError:
            parsed = value
        out.setdefault(check, {})[field] = parsed
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ftdata")
def cli() -> None:
    """Lint and curate LLM fine-tuning data."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(list(FORMATS)), default="text",
              show_default=True, help="Output format.")
@click.option("--model", default=None, help="Model whose tokenizer and per-example limit apply (default gpt-4o-mini).")
@click.option("--max-tokens", type=int, default=None, help="Override the per-example token limit.")
@click.option("--input-format", type=click.Choice(NAMES), default=None, help="Skip detection; read every record as this.")
@click.option("--eval", "eval_paths", multiple=True, metavar="FILE",
              help="An evaluation set: report its records that also are in the training files (repeatable).")
@click.option("--label-field", metavar="FIELD",
              help="Record field (dotted path, e.g. meta.category) whose value is the label or category.")
@click.option("--label-key", metavar="KEY", help="Key of the JSON object in the final answer holding the label.")
@click.option("--ignore", multiple=True, help="Rule code, code prefix, name or category to skip (repeatable).")
@click.option("--check-option", "check_options", multiple=True, metavar="CHECK.KEY=VALUE",
              help="Set a check's option, e.g. length-outlier.z=4 (repeatable).")
@click.option("--min-examples-provider", type=int, default=None, help="Provider minimum (default 10).")
@click.option("--min-examples", type=int, default=None, help="Minimum to learn a behaviour (default 50).")
@click.option("--recommended-examples", type=int, default=None, help="Recommended minimum (default 100).")
@click.option("--jobs", type=int, default=None, help="Worker processes (default: CPU count).")
@click.option("--max-examples", type=click.IntRange(min=0), default=5, show_default=True,
              help="Locations shown per rule in text output.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are errors.")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: when a TTY).")
@click.option("--fix", is_flag=True, help="Also write the input with safe fixes (byte-order mark, control characters, "
              "surrounding whitespace, empty-input markers) to -o; the report is of the input.")
@click.option("-o", "--output", default=None, metavar="PATH", help="Where --fix writes (never the input).")
def lint(paths: tuple[str, ...], output_format: str, model: str | None, max_tokens: int | None,
         input_format: str | None, eval_paths: tuple[str, ...], label_field: str | None, label_key: str | None,
         ignore: tuple[str, ...], check_options: tuple[str, ...],
         min_examples_provider: int | None, min_examples: int | None, recommended_examples: int | None,
         jobs: int | None, max_examples: int, exit_zero: bool, color: bool | None, fix: bool,
         output: str | None) -> None:
    """Check fine-tuning data files (.jsonl, .jsonl.gz, .json; - for stdin) and give a verdict."""
    from ftdata.config import Settings

    for p in paths + eval_paths:
        if p != "-" and (not os.path.exists(p) or os.path.isdir(p)):  # pipes (<(zcat x.gz)) are fine
            why = "is a directory" if os.path.isdir(p) else "does not exist"
            raise UsageFailure(f"cannot read {p!r}: it {why}")
        if p != "-" and not os.access(p, os.R_OK):
            raise UsageFailure(f"cannot read {p!r}: permission denied")
    if fix or output is not None:
        _fix_usage(paths, eval_paths, fix, output)
    volume = {k: v for k, v in {"provider_minimum": min_examples_provider, "minimum": min_examples,
                                "recommended": recommended_examples}.items() if v is not None}
    fields: dict[str, Any] = {"max_tokens": max_tokens, "input_format": input_format, "jobs": jobs, "eval": eval_paths,
                              "label_field": label_field, "label_key": label_key,
                              "ignore": ignore, "checks": _check_options(check_options), "volume": volume}
    if model:
        fields["model"] = model
    try:
        settings = Settings(**{k: v for k, v in fields.items() if v is not None})
    except ValidationError as e:
        err = e.errors()[0]
        msg = err["msg"].removeprefix("Value error, ")
        where = ".".join(str(x) for x in err["loc"])
        raise UsageFailure(f"invalid setting {where}: {msg}" if where else msg) from None
    from ftdata import engine

    try:
        report = Report(engine.lint_paths(paths, settings), exit_zero=exit_zero)
    except (ValueError, engine.Unreadable) as e:
        raise UsageFailure(str(e)) from None
    use_color = sys.stdout.isatty() if color is None else color
    gc.disable()  # rendering many findings: see engine.without_gc (the process ends after this)
    try:
        FORMATS[output_format](report, sys.stdout.buffer, RenderOptions(use_color, max_examples))
        sys.stdout.buffer.flush()
    except BrokenPipeError:  # `| head`: the reader has seen enough; the verdict stands
        pass
    if fix and output:
        _fix(paths[0], output, input_format)
    sys.exit(report.exit_code)


def _fix_usage(paths: tuple[str, ...], eval_paths: tuple[str, ...], fix: bool, output: str | None) -> None:
    """Refuse an unusable --fix before linting, so that no report precedes the error."""
    from ftdata.curate.fix import check_output

    if not fix:
        raise UsageFailure("-o/--output is where --fix writes the fixed data; add --fix or drop -o")
    if output is None:
        raise UsageFailure("--fix writes a new file and needs -o PATH (the input is never modified)")
    if len(paths) > 1:
        raise UsageFailure(f"--fix writes one file: give one input with -o, not {len(paths)}")
    if paths[0] == "-" or not os.path.isfile(paths[0]):
        raise UsageFailure(f"--fix reads {paths[0]!r} twice (lint, then fix) and needs a regular file, "
                           "not standard input or a pipe")
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
    except (OSError, EOFError) as e:
        raise UsageFailure(f"cannot read or write: {getattr(e, 'strerror', None) or e}") from None
    wrote = "wrote" if summary.fixed or summary.bom else "wrote a copy to"
    click.echo(f"{summary.describe()}: {wrote} {output}", err=True)


@cli.command()
@click.argument("path")
@click.option("-o", "--output", required=True, help="Where to write the deduplicated data (never the input).")
@click.option("--keep", type=click.Choice(["first", "longest"]), default="first", show_default=True,
              help="Which member of each duplicate cluster to keep.")
@click.option("--near/--exact-only", default=True, show_default=True,
              help="Also drop near duplicates, or only exact and normalised ones.")
@click.option("--against", default=None, metavar="FILE",
              help="Drop only the records of PATH that already are in FILE (e.g. an existing training set).")
def dedupe(path: str, output: str, keep: str, near: bool, against: str | None) -> None:
    """Write PATH without its duplicates to OUTPUT; dropped records go to OUTPUT.rejects.jsonl."""
    from ftdata.curate.dedupe import dedupe as run

    for p in (path, against):
        if p is not None and p != "-" and (not os.path.exists(p) or os.path.isdir(p)):
            raise UsageFailure(f"cannot read {p!r}: it {'is a directory' if os.path.isdir(p) else 'does not exist'}")
    if against and keep != "first":
        raise UsageFailure("--keep chooses within duplicate clusters; with --against nothing is chosen, "
                           "records already in the other file are dropped")
    try:
        result = run(path, output, keep=keep, near=near, against=against)
    except ValueError as e:
        raise UsageFailure(str(e)) from None
    except (OSError, EOFError) as e:
        raise UsageFailure(f"cannot read or write: {getattr(e, 'strerror', None) or e}") from None
    reasons = Counter(d.reason for d in result.dropped)
    detail = ", ".join(f"{n:,} {r}" for r, n in sorted(reasons.items())) or "no duplicates"
    click.echo(f"kept {result.kept:,} of {result.records:,} records in {result.output}; dropped "
               f"{len(result.dropped):,} ({detail}), listed in {result.rejects}")


@cli.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def rules(output_format: str) -> None:
    """List every check: code, name, category, default severity."""
    import orjson

    from ftdata.registry import all_checks

    checks = all_checks()
    if output_format == "json":
        click.echo(orjson.dumps([{"code": c.code, "name": c.name, "category": c.category,
                                  "severity": c.severity.value, "summary": c.doc().splitlines()[0]}
                                 for c in checks], option=orjson.OPT_INDENT_2).decode())
        return
    for c in checks:
        click.echo(f"{c.code}  {c.name:<26} {c.category:<9} {c.severity.value:<8} {c.doc().splitlines()[0]}")


@cli.command()
@click.argument("code")
def rule(code: str) -> None:
    """Show the documentation of one check, by code or name."""
    from ftdata.registry import find

    cls = find(code)
    if cls is None:
        raise UsageFailure(f"no rule {code!r}; `ftdata rules` lists them")
    click.echo(f"{cls.code} {cls.name} ({cls.category}, {cls.severity.value} by default)\n")
    click.echo(cls.doc())


@cli.command(name="formats")
def formats_cmd() -> None:
    """List the input formats ftdata detects, in detection order."""
    from ftdata.formats import FORMATS

    for f in FORMATS:
        click.echo(f"{f.name:<22} {f.title}  (schemas/{f.schema})")


def main(argv: list[str] | None = None) -> None:
    """Entry point: click's own errors and ours become one line on stderr and exit 2."""
    _exit(_run(argv))


def _run(argv: list[str] | None) -> int:
    try:
        cli.main(args=argv, prog_name="ftdata", standalone_mode=False)
        return 0
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else 0 if e.code is None else 2
    except click.ClickException as e:
        click.echo(f"ftdata: error: {e.format_message()}", err=True)
        return 2
    except click.exceptions.Abort:
        return 2
    except UsageFailure as e:
        click.echo(f"ftdata: error: {e}", err=True)
        return 2
    except click.exceptions.Exit as e:
        return e.exit_code
    except BrokenPipeError:
        return 0
    except Exception as e:  # a bug of ours: say so in one line; FTDATA_DEBUG=1 shows the traceback
        if os.environ.get("FTDATA_DEBUG"):
            raise
        click.echo(f"ftdata: internal error ({type(e).__name__}: {e}); please report it "
                   "(FTDATA_DEBUG=1 shows the traceback)", err=True)
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
