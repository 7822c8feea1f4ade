"""The properties every run of ftdata keeps on any input, checked on one generated file.

lint (in process, through the entry point's exit-code mapping): exit 0, 1 or 2 only, the same in
every format; no "internal error" and no traceback; output valid UTF-8 (jsonl, sarif and junit
parseable); a JSON report valid against schemas/report.schema.json whose exit_code is the exit
code and whose every location points inside the file; terminal formats free of raw control
characters; the input unchanged; the same report twice and with --jobs 2, the same findings from
standard input. dedupe: exit 0 or 2;
kept + rejected = the input's records, in order; kept JSON Lines bytes equal the input's; the
rejects file valid JSON Lines. The notebook API: to_pandas() and _repr_html_() do not raise.

Campaign mode (FTDATA_FUZZ_RECORD=DIR): a failed property does not stop the run; the input is
saved under DIR once per distinct failure (the smallest input seen, KEY.input.SUFFIX), with the
command and the error (KEY.meta.json); the number of inputs checked goes to DIR/counts-PID.json."""
from __future__ import annotations

import atexit
import gc
import hashlib
import io
import json
import os
import re
import sys
import tempfile
import traceback
import zlib
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from jsonschema import Draft202012Validator

from hostile import KNOWN, SYMPTOMS
from hostile.strategies import BOM, Sample

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)
FORMATS = ("text", "concise", "json", "jsonl", "sarif", "github", "junit", "markdown")
TERMINAL = ("text", "concise")
RECORD = os.environ.get("FTDATA_FUZZ_RECORD", "").strip()
COUNTS: Counter[str] = Counter()
# raw control characters a terminal acts on: C0 but tab and newline, DEL, C1
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _write_counts() -> None:
    if RECORD and COUNTS:
        Path(RECORD).mkdir(parents=True, exist_ok=True)
        (Path(RECORD) / f"counts-{os.getpid()}.json").write_text(json.dumps(dict(COUNTS)), encoding="utf-8")


atexit.register(_write_counts)


# -- running ftdata --------------------------------------------------------------------------------
def cli(*args: str, debug: bool = False, stdin: bytes | None = None) -> tuple[int, bytes, str]:
    """ftdata's command line in this process, through the entry point's exit-code mapping:
    (exit code, stdout bytes, stderr text). With debug, an internal error raises instead."""
    from click.testing import CliRunner

    from ftdata.cli import _run

    old = os.environ.pop("FTDATA_DEBUG", None)
    if debug:
        os.environ["FTDATA_DEBUG"] = "1"
    try:
        with CliRunner().isolation() as (out, err, _):
            if stdin is not None:  # a real standard input is buffered (peek works), as a pipe is
                sys.stdin = io.TextIOWrapper(io.BufferedReader(io.BytesIO(stdin)))  # type: ignore[assignment]
            code = _run(list(args))
        return code, out.getvalue(), err.getvalue().decode("utf-8", "replace")
    finally:
        gc.enable()  # lint disables it for rendering, expecting the process to end
        os.environ.pop("FTDATA_DEBUG", None)
        if old is not None:
            os.environ["FTDATA_DEBUG"] = old


def lint_args(path: str, fmt: str, *extra: str) -> list[str]:
    return ["lint", path, "--isolated", "--no-baseline", "--format", fmt, "--jobs", "1", *extra]


def _traceback(args: list[str]) -> str:
    """The last lines of the traceback an internal error hides (run again with FTDATA_DEBUG)."""
    try:
        cli(*args, debug=True)
    except BaseException:  # noqa: BLE001 - any crash is what we are after
        return "".join(traceback.format_exc().splitlines(keepends=True)[-8:])
    return "(no traceback on the second run)"


# -- what the file holds -----------------------------------------------------------------------------
def plain_bytes(data: bytes) -> bytes:
    """The content as ftdata reads it: gzip (whole or cut short, members concatenated) decompressed."""
    if not data.startswith(b"\x1f\x8b"):
        return data
    out, rest = b"", data
    while rest.startswith(b"\x1f\x8b"):
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        i, damaged = 0, False
        while i < len(rest) and not d.eof and not damaged:  # in steps: what precedes damage is kept
            saved = d.copy()
            try:
                out += d.decompress(rest[i:i + 64])
                i += 64
            except zlib.error:  # again byte by byte, up to the damage
                d = saved
                for j in range(i, min(i + 64, len(rest))):
                    try:
                        out += d.decompress(rest[j:j + 1])
                    except zlib.error:
                        break
                damaged = True
        if damaged:
            break
        if not d.eof:
            break
        rest = d.unused_data + rest[i:]
    return out


def lines_of(data: bytes) -> list[bytes]:
    """The file's lines (split at \\n, as lint numbers them), without their ends."""
    if not data:
        return []
    parts = data.split(b"\n")
    return parts[:-1] if data.endswith(b"\n") else parts


# -- recording failures --------------------------------------------------------------------------------
def signature(area: str, message: str) -> str:
    """A failure's identity across inputs: its area and its first line, numbers and quoted text
    generalised."""
    first = message.strip().splitlines()[0] if message.strip() else "?"
    first = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", first)
    first = re.sub(r"\d+", "N", first)
    return f"{area}: {first[:160]}"


@contextmanager
def guard(prop: str, area: str, sample: Sample, command: str) -> Iterator[None]:
    """Count the input; in campaign mode, record a failed property instead of raising it."""
    COUNTS[prop] += 1
    if RECORD and sum(COUNTS.values()) % 50 == 0:
        _write_counts()  # a campaign stopped by a signal still has its tally
    try:
        yield
    except AssertionError as e:
        if not RECORD:
            if any(re.search(SYMPTOMS[k], str(e)) for k in KNOWN if k in SYMPTOMS):
                return  # an open defect, tracked by its own xfail test
            raise
        _record(prop, area, sample, command, str(e))


def _record(prop: str, area: str, sample: Sample, command: str, message: str) -> None:
    sig = signature(area, message)
    key = hashlib.sha1(sig.encode()).hexdigest()[:10]
    folder = Path(RECORD)
    folder.mkdir(parents=True, exist_ok=True)
    meta_path = folder / f"{key}.meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {"count": 0}
    meta["count"] += 1
    if "size" not in meta or len(sample.data) < meta["size"]:
        repro = folder / f"{key}.input{sample.suffix}"
        for old in folder.glob(f"{key}.input*"):
            old.unlink()
        repro.write_bytes(sample.data)
        meta.update(signature=sig, property=prop, area=area, size=len(sample.data), how=sample.how,
                    reproducer=str(repro), command=command.replace("{}", str(repro)), error=message[-3000:])
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")


# -- the properties ------------------------------------------------------------------------------------
def saved(sample: Sample, folder: str) -> Path:
    path = Path(folder) / f"input{sample.suffix}"
    path.write_bytes(sample.data)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _exit_properties(args: list[str], code: int, out: bytes, err: str) -> None:
    if "internal error" in err or "Traceback" in err:
        raise AssertionError(f"{err.strip()}\n{_traceback(args)}")
    assert code in (0, 1, 2), f"exit code {code}"
    if code == 2:
        assert "ftdata: error:" in err or "ftdata: " in err, f"exit 2 without a sentence on stderr: {err!r}"
    try:
        out.decode("utf-8")
    except UnicodeDecodeError as e:
        raise AssertionError(f"output is not valid UTF-8: {e}") from None


def report_properties(report: dict[str, Any], code: int, path: Path, sample: Sample) -> None:
    """The JSON report: valid against the public schema, its exit code the process's, every location
    inside the file."""
    errors = sorted(VALIDATOR.iter_errors(report), key=lambda e: list(e.absolute_path))
    assert not errors, "report not valid against report.schema.json: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors[:5])
    assert report["exit_code"] == code, f"report exit_code {report['exit_code']} but the process exits {code}"
    plain = plain_bytes(sample.data)
    lines = lines_of(plain)
    end = len(lines) + 1 if plain.endswith(b"\n") else max(1, len(lines))  # the end of the file is a place too
    records = report["stats"].get("records")
    for f in report["findings"]:
        for where in [f, *[r for r in f.get("related", []) if isinstance(r, dict)]]:
            if where.get("file") not in (None, str(path)):
                continue
            line, column, index = where.get("line"), where.get("column"), where.get("record_index")
            if line is not None:
                assert 1 <= line <= end, f"{f['rule']} at line {line} of a file of {len(lines)} lines"
                if line > len(lines):
                    assert column in (None, 1), f"{f['rule']} at {line}:{column}, past the end of the file"
                elif column is not None:
                    width = len(lines[line - 1]) + (len(BOM) if line == 1 else 0)
                    assert 1 <= column <= width + 1, f"{f['rule']} at {line}:{column}, the line has {width} bytes"
            if index is not None and isinstance(records, int):
                assert 0 <= index < max(1, records), f"{f['rule']} at record {index} of {records}"


OPTIONS: tuple[tuple[str, ...], ...] = ((), (), (), ("--no-collapse",), ("--statistics",), ("--select", "FMT,CNT"),
                                        ("--profile", "openai"), ("--profile", "trl"), ("--max-examples", "0"),
                                        ("--exit-zero",), ("--model", "gpt-4.1-mini"), ("--eval", "{}"),
                                        ("--label-field", "label"), ("--near-threshold", "0.5"))


def check_lint(sample: Sample, fmt: str, prop: str = "lint", twice: bool = False,
               options: tuple[str, ...] = ()) -> None:
    """Lint the sample in format `fmt` (and in json, whose report is validated) with `options`
    (one of OPTIONS); with twice, lint it again and with --jobs 2 and compare the JSON reports."""
    with tempfile.TemporaryDirectory(prefix="ftdata-fuzz-") as folder:
        path = saved(sample, folder)
        before = digest(path)
        formats = ["json"] + ([fmt] if fmt != "json" else [])
        options = tuple(str(path) if o == "{}" else o for o in options)  # --eval {}: the input as its own eval set
        with guard(prop, "lint", sample, "ftdata " + " ".join(lint_args("{}", fmt, *options))):
            reports, codes = [], []
            for f in formats:
                args = lint_args(str(path), f, *options)
                code, out, err = cli(*args)
                _exit_properties(args, code, out, err)
                codes.append(code)
                assert code == codes[0], f"exit {codes[0]} with --format json but {code} with --format {f}: {err!r}"
                if f == "json" and code != 2 and "--statistics" not in options:
                    try:
                        report = json.loads(out)
                    except ValueError as e:
                        raise AssertionError(f"json output is not JSON: {e}") from None
                    report_properties(report, code, path, sample)
                    reports.append(out)
                if f in TERMINAL and "terminal-escape" not in KNOWN:
                    terminal_properties(out)
                if code != 2 and "--statistics" not in options:
                    structure_properties(f, out)
            if twice and reports:
                for extra in ([], ["--jobs", "2"]):
                    args = lint_args(str(path), "json", *options) + extra
                    code, out, err = cli(*args)
                    _exit_properties(args, code, out, err)
                    assert out == reports[0], f"a second run{' with ' + ' '.join(extra) if extra else ''} " \
                                              "gives another JSON report"
            if twice and reports and _container_is_plain(sample):  # stdin has no name to tell JSON Lines by
                args = lint_args("-", "json", *options)
                code, out, err = cli(*args, stdin=sample.data)
                _exit_properties(args, code, out, err)
                assert code == codes[0], f"exit {codes[0]} for the file but {code} for it on standard input"
                if code != 2:
                    assert _places(json.loads(out)) == _places(json.loads(reports[0])), \
                        "standard input gives other findings than the file"
            assert digest(path) == before, "lint modified its input"


def _container_is_plain(sample: Sample) -> bool:
    """Does the content say what its name says (a JSON array starts with [, JSON Lines with {)?"""
    head = plain_bytes(sample.data).removeprefix(BOM).lstrip()[:1]
    suffix = sample.suffix.removesuffix(".gz")
    return (suffix == ".json" and head == b"[") or (suffix == ".jsonl" and head == b"{")


def _places(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(f["rule"], f["line"], f["column"], f["record_index"], f["pointer"]) for f in report["findings"]]


def structure_properties(fmt: str, out: bytes) -> None:
    """Machine-read formats parse: jsonl line by line, sarif as JSON with runs, junit as XML."""
    if fmt == "jsonl":
        for i, line in enumerate(out.splitlines(), 1):
            if line.strip():
                try:
                    json.loads(line)
                except ValueError as e:
                    raise AssertionError(f"jsonl output line {i} is not JSON: {e}") from None
    elif fmt == "sarif":
        try:
            assert "runs" in json.loads(out), "SARIF output without runs"
        except ValueError as e:
            raise AssertionError(f"sarif output is not JSON: {e}") from None
    elif fmt == "junit":
        from xml.etree import ElementTree

        try:
            ElementTree.fromstring(out)
        except ElementTree.ParseError as e:
            raise AssertionError(f"junit output is not well-formed XML: {e}") from None


def terminal_properties(out: bytes) -> None:
    text = out.decode("utf-8", "replace")
    bad = CONTROL.search(text)
    assert bad is None, f"terminal output holds a raw control character {bad.group()!r}"


def check_api(sample: Sample, prop: str = "api") -> None:
    """ftdata.lint(path): a Report (or the documented read errors) whose to_pandas() and
    _repr_html_() do not raise."""
    import ftdata
    from ftdata import engine

    with tempfile.TemporaryDirectory(prefix="ftdata-fuzz-") as folder:
        path = saved(sample, folder)
        with guard(prop, "report/api", sample, "python -c 'import ftdata; r = ftdata.lint(\"{}\", jobs=1); "
                                                "r.to_pandas(); r._repr_html_()'"):
            try:
                report = ftdata.lint(str(path), jobs=1)
            except (ValueError, engine.Unreadable):
                return  # the CLI's exit 2: a file that cannot be read
            except Exception as e:  # noqa: BLE001
                raise AssertionError(f"ftdata.lint raised {type(e).__name__}: {e}\n"
                                     + "".join(traceback.format_exc().splitlines(keepends=True)[-6:])) from None
            for name, call in (("to_pandas", report.to_pandas), ("_repr_html_", report._repr_html_)):
                try:
                    call()
                except Exception as e:  # noqa: BLE001
                    raise AssertionError(f"{name}() raised {type(e).__name__}: {e}\n"
                                         + "".join(traceback.format_exc().splitlines(keepends=True)[-6:])) from None


def _strict_jsonl(data: bytes) -> list[Any]:
    rows = []
    for i, line in enumerate(lines_of(data), 1):
        try:
            rows.append(json.loads(line.decode("utf-8")))
        except (UnicodeDecodeError, ValueError) as e:
            raise AssertionError(f"rejects line {i} is not valid JSON Lines: {type(e).__name__}: {e}") from None
    return rows


def _lenient_json(data: bytes) -> Any:
    """A JSON value read as Python's json reads it, invalid bytes kept as surrogate escapes."""
    text = data.decode("utf-8", "surrogateescape")
    return json.loads(text[1:] if text.startswith("\ufeff") else text)


def check_dedupe(sample: Sample, prop: str = "dedupe") -> None:
    """`ftdata dedupe IN -o OUT`: conservation, kept bytes, valid rejects, the input unchanged."""
    from ftdata.io import container_of, open_binary

    with tempfile.TemporaryDirectory(prefix="ftdata-fuzz-") as folder:
        path = saved(sample, folder)
        before = digest(path)
        target = Path(folder) / ("kept" + path.suffix if path.suffix != ".gz" else "kept" + Path(path.stem).suffix)
        args = ["dedupe", str(path), "-o", str(target)]
        with guard(prop, "curate/dedupe", sample, "ftdata dedupe {} -o OUT"):
            code, out, err = cli(*args)
            _exit_properties(args, code, out, err)
            assert code in (0, 2), f"dedupe exits {code}"
            assert digest(path) == before, "dedupe modified its input"
            if code == 2:
                assert not target.exists(), "dedupe failed but wrote its output"
                return
            m = re.search(r"kept ([\d,]+) of ([\d,]+) records", out.decode())
            assert m, f"no summary: {out!r}"
            kept_n, total = (int(g.replace(",", "")) for g in m.groups())
            rejects_file = Path(str(target) + ".rejects.jsonl")
            assert target.exists() and rejects_file.exists(), "dedupe exits 0 without both files"
            plain = plain_bytes(sample.data)
            invalid = _invalid_utf8(plain)
            try:
                rejects = _strict_jsonl(rejects_file.read_bytes())
            except AssertionError:
                if invalid and "dedupe-bytes" in KNOWN:
                    return
                raise
            assert len(rejects) == total - kept_n, f"{len(rejects)} rejects but {total - kept_n} dropped"
            indices = [r["record_index"] for r in rejects]
            assert indices == sorted(set(indices)), "rejects are not in input order or repeat a record"
            assert all(0 <= i < total for i in indices), "a reject outside the input's records"
            with open_binary(str(path)) as stream:
                container = container_of(stream, str(path))
            output = target.read_bytes()
            if container == "json":
                _array_conservation(plain, output, set(indices), kept_n, total, invalid)
            else:
                _lines_conservation(plain, output, {r["line"] for r in rejects}, total)


def _invalid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return False
    except UnicodeDecodeError:
        return True


def _lines_conservation(plain: bytes, output: bytes, dropped_lines: set[int], total: int) -> None:
    """JSON Lines: the output is the input without the dropped lines, byte for byte."""
    bom = plain.startswith(BOM)
    body = plain[len(BOM):] if bom else plain
    lines = body.split(b"\n")
    pieces = [line + b"\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    records = [i for i, p in enumerate(pieces, 1) if p.strip()]
    assert len(records) == total, f"dedupe counts {total} records, the file has {len(records)} non-blank lines"
    assert dropped_lines <= set(records), "a reject's line is no record's line"
    expected = (BOM if bom else b"") + b"".join(p for i, p in enumerate(pieces, 1) if i not in dropped_lines)
    assert output == expected, "kept JSON Lines differ from the input's lines (bytes changed, lost or added)"


def _array_conservation(plain: bytes, output: bytes, dropped: set[int], kept_n: int, total: int,
                        invalid: bool) -> None:
    """A JSON array: the output is the input's elements but the dropped ones, equal values."""
    try:
        source = _lenient_json(plain)
    except ValueError:  # lenient input (a trailing comma...) Python's json refuses, kept as it was: count
        from ftdata.records import raw_values

        with tempfile.NamedTemporaryFile(suffix=".json") as f:
            f.write(output)
            f.flush()
            n = sum(1 for _ in raw_values(f.name))
        assert n == kept_n, f"output holds {n} records, summary says {kept_n}"
        return
    try:
        kept = _lenient_json(output)
    except ValueError as e:
        raise AssertionError(f"dedupe's JSON array output does not parse: {e}") from None
    assert isinstance(kept, list) and len(kept) == kept_n, f"output holds {len(kept)} records, summary says {kept_n}"
    if not isinstance(source, list) or len(source) != total:
        return
    if invalid and "dedupe-bytes" in KNOWN:
        return
    expected = [v for i, v in enumerate(source) if i not in dropped]
    assert json.dumps(kept) == json.dumps(expected), \
        "kept JSON array records differ from the input's (values changed or reordered)"
