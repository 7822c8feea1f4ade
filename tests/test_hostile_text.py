"""No text in a record or a file name can crash a report or drive the terminal of whoever reads it
(issue 14, defects 3 and 4).

Lone surrogates (`"\\ud800"`: valid JSON, common in scraped data) are shown as the six characters
`\\ud800` in every format; in the human formats (text, concise, markdown, github, junit, html,
`ftdata show`, error sentences) C0/C1 controls, DEL, bidi overrides and isolates are shown escaped
too (`\\x1b`, `\\u202e`), while JSON, JSONL and SARIF keep the true text. The records are real
Alpaca records (llama_factory/alpaca_en_demo.json) with hostile text planted in them.
"""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import ftdata
from ftdata.cli import _run
from ftdata.model import Finding, Location, Severity
from ftdata.report import FORMATS, RenderOptions, markdown, printable
from ftdata.report._common import EXCERPT_WIDTH, dumps, shown
from ftdata.report.base import FileResult, Report
from independent import REPORT_SCHEMA, ftdata_command

# what a terminal acts on: C0 controls (but the line feeds a report itself writes), DEL, C1
# controls, bidi overrides and isolates, line separators; and lone surrogates, which cannot be
# written at all
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# an OSC retitle, BEL, clear screen, C1 CSI, a right-to-left override (Trojan Source), NUL, DEL, an isolate
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202egnp.exe\x00\x7f\u2066"
RECORDS: list[dict[str, Any]] = [
    {"instruction": "Calculate 15% of 500.", "input": "", "output": "15% of 500 is 75. [insert answer here] \ud800"},
    {"instruction": "Sum up the numbers.", "input": "3, 2, 5",
     "output": f"TODO: The sum of the numbers is 10. {HOSTILE}"},
    {"instruction": "Select a random noun from the following list", "input": "list: dog, cat, bird, car",
     "output": "bird", "no\x1b[2Jtes": "x"},
    {"instruction": "Classify this as either an object or an action.", "input": "running", "output": "Action."},
]
HUMAN = ("text", "concise", "markdown", "github")


def write(path: Path, records: list[dict[str, Any]]) -> Path:
    """JSON Lines as scraped data has them: lone surrogates and controls as JSON escapes."""
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="ascii")
    return path


def lint(capsysbinary: pytest.CaptureFixture[bytes], *args: str) -> tuple[int, str, str]:
    code = _run(["lint", *args, "--jobs", "1", "--isolated"])
    out, err = capsysbinary.readouterr()
    return code, out.decode("utf-8"), err.decode("utf-8")  # strict: a surrogate written raw would fail here


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    write(tmp_path / "hostile.jsonl", RECORDS)
    return "hostile.jsonl"


# -- defect 3: a lone surrogate crashes no format ---------------------------------------------------
@pytest.mark.parametrize("fmt", [*FORMATS, "statistics"])
def test_lone_surrogates_crash_no_format(fmt: str, hostile: str, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    args = ["--statistics"] if fmt == "statistics" else ["--format", fmt]
    code, out, err = lint(capsysbinary, hostile, *args)
    assert code == 1 and "internal error" not in err and err == ""
    if fmt == "json":
        excerpts = [f["excerpt"] or "" for f in json.loads(out)["findings"]]
        assert "15% of 500 is 75. [insert answer here] \\ud800" in excerpts  # the six characters
        assert any("\x07\x1b[2J\x9b31m\u202egnp.exe" in e for e in excerpts)  # else the true text
    elif fmt == "jsonl":
        lines = [json.loads(line) for line in out.splitlines()]
        assert any(f["excerpt"] == "15% of 500 is 75. [insert answer here] \\ud800" for f in lines)
    elif fmt == "sarif":
        texts = [r["message"]["text"] for r in json.loads(out)["runs"][0]["results"]]
        assert any(t.endswith('"15% of 500 is 75. [insert answer here] \\ud800"') for t in texts)
    elif fmt == "junit":
        ET.fromstring(out.encode())  # well-formed
    if fmt in ("text", "markdown"):  # concise, github, junit show no excerpt: see the file name test
        assert "[insert answer here] \\ud800" in out


def test_json_report_with_surrogates_everywhere_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """In a finding's text, the file name (not UTF-8: its bytes reach Python as surrogates) and the
    statistics (label values): still valid UTF-8 JSON, valid against the report schema."""
    monkeypatch.chdir(tmp_path)
    name = os.fsdecode(b"caf\xe9.jsonl")  # 'caf\udce9.jsonl'
    rows = [{**r, "input": r["input"] + ("\ud800" if i == 0 else "")} for i, r in enumerate(RECORDS)]
    write(tmp_path / name, rows)
    code, out, err = lint(capsysbinary, name, "--format", "json", "--label-field", "input")
    assert code == 1 and err == ""
    report = json.loads(out)
    validator = Draft202012Validator(REPORT_SCHEMA)
    assert not list(validator.iter_errors(report))
    assert {f["file"] for f in report["findings"]} == {"caf\\udce9.jsonl"}
    assert "\\ud800" in json.dumps(report["stats"]["files"][0]["labels"], ensure_ascii=False)
    code, out, err = lint(capsysbinary, name, "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"caf%E9.jsonl"}  # the bytes that name the file
    for fmt in HUMAN + ("junit",):
        code, out, err = lint(capsysbinary, name, "--format", fmt)
        assert code == 1 and err == "" and "caf\\udce9.jsonl" in out


def test_notebook_views_escape_surrogates(hostile: str) -> None:
    report = ftdata.lint(hostile, jobs=1)
    df = report.to_pandas()
    excerpts = list(df["excerpt"].fillna(""))
    assert "15% of 500 is 75. [insert answer here] \\ud800" in excerpts
    assert any("\x07\x1b[2J\x9b31m\u202egnp.exe" in e for e in excerpts)  # the true text, as in the JSON report
    df.to_csv(io.StringIO())
    html = report._repr_html_()
    html.encode("utf-8")
    assert not RAW.search(html.replace("\n", "")) and "no\\x1b[2Jtes" in html


def test_dumps_escapes_only_surrogates() -> None:
    value = {"k\ud800": ["a\udce9", "\x1b ok"], "n": 3}
    assert json.loads(dumps(value, 0)) == {"k\\ud800": ["a\\udce9", "\x1b ok"], "n": 3}


# -- defect 4: terminal escape injection ------------------------------------------------------------
@pytest.mark.parametrize("fmt", HUMAN)
def test_human_formats_show_controls_escaped(fmt: str, hostile: str,
                                            capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, err = lint(capsysbinary, hostile, "--format", fmt)
    assert code == 1
    assert not RAW.search(out), repr(RAW.search(out))
    assert "no\\x1b[2Jtes" in out  # the unknown key, in its message and pointer
    # still reported at the record's line
    place = {"text": "hostile.jsonl:3 /no\\x1b[2Jtes", "concise": "hostile.jsonl:3: FMT011",
             "markdown": "`hostile.jsonl:3` | `/no\\x1b[2Jtes`", "github": "line=3,col=1,title=FMT011"}[fmt]
    assert place in out
    if fmt in ("text", "markdown"):  # they show excerpts
        assert "\\x07\\x1b[2J\\x9b31m" in out


def test_github_job_summary_shows_controls_escaped(hostile: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    lint(capsysbinary, hostile, "--format", "github")
    text = summary.read_text(encoding="utf-8")
    assert not RAW.search(text.replace("\n", "")) and "\\x1b]0;pwned" in text


def test_junit_shows_controls_escaped(hostile: str, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, err = lint(capsysbinary, hostile, "--format", "junit")
    root = ET.fromstring(out.encode())
    texts = [e.text or "" for e in root.iter()] + [v for e in root.iter() for v in e.attrib.values()]
    assert not any(RAW.search(t.replace("\n", "")) for t in texts)
    assert any("no\\x1b[2Jtes" in t for t in texts)


def test_file_names_are_shown_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """A file name is data too (`ftdata lint data/*`): in reports and in error sentences."""
    monkeypatch.chdir(tmp_path)
    name = "a\x1b]0;x\x07\u202eb.jsonl"
    write(tmp_path / name, RECORDS[1:2])
    for fmt in HUMAN:
        code, out, err = lint(capsysbinary, name, "--format", fmt)
        assert not RAW.search(out) and "a\\x1b]0;x\\x07\\u202eb.jsonl" in out
    code, out, err = lint(capsysbinary, "missing\x1b[2J\u202e.jsonl")
    assert code == 2 and not RAW.search(err.rstrip("\n"))
    assert err.startswith("ftdata: error: ") and "missing\\x1b[2J\\u202e.jsonl" in err


def test_show_prints_the_record_as_json_with_controls_escaped(hostile: str,
                                                              capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    for line, record in ((1, RECORDS[0]), (2, RECORDS[1]), (3, RECORDS[2])):
        assert _run(["show", hostile, str(line)]) == 0
        out, err = capsysbinary.readouterr()
        text = out.decode("utf-8")
        assert not RAW.search(text.replace("\n", ""))
        assert json.loads(text) == record  # the same JSON: escapes, not changed text


def test_show_prints_a_line_that_is_not_json_escaped(tmp_path: Path,
                                                     capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"instruction": "x", "output": "y"}\nnot json \x1b]0;pwned\x07 \xe2\x80\xae\xc2\x9b end\n')
    assert _run(["show", str(path), "2"]) == 0
    out, err = capsysbinary.readouterr()
    assert out.decode() == "not json \\x1b]0;pwned\\x07 \\u202e\\x9b end\n"
    assert "not valid JSON" in err.decode()


# -- defect 3 of the brief: where a record is, and how wide an excerpt is -------------------------
def test_columns_and_indices_count_characters_not_escapes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """A one-line JSON array: records holding controls (as JSON escapes) and a raw right-to-left
    override before the one reported; its column is where it starts in the file, in characters."""
    monkeypatch.chdir(tmp_path)
    first = {**RECORDS[3], "output": "Action.\u202e \x1b[2J \ud800"}
    target = {"instruction": "Sum up the numbers.", "input": "3, 2, 5", "output": "[insert answer here]"}
    text = "[" + json.dumps(first, ensure_ascii=False).replace("\ud800", "\\ud800") + ", " \
        + json.dumps(RECORDS[1]) + ", " + json.dumps(target) + "]\n"
    (tmp_path / "array.json").write_text(text, encoding="utf-8", errors="surrogatepass")
    column = text.index(json.dumps(target)) + 1
    code, out, err = lint(capsysbinary, "array.json", "--format", "jsonl")
    hit = [json.loads(line) for line in out.splitlines() if '"[insert answer here]"' in line]
    assert [(f["line"], f["column"], f["record_index"]) for f in hit] == [(1, column, 2)]
    code, out, err = lint(capsysbinary, "array.json")
    assert f"array.json:1:{column} #2 /output  assistant turn 2 has an unfilled placeholder" in out
    assert _run(["show", f"array.json:1:{column}"]) == 0
    assert json.loads(capsysbinary.readouterr().out) == target


def _finding(**kw: Any) -> Finding:
    base: dict[str, Any] = {"rule": "CNT001", "name": "placeholder", "category": "content",
                            "severity": Severity.WARNING, "file": "d.jsonl", "line": 1, "record_index": 0}
    return Finding(**{**base, **kw})


def test_excerpts_stay_within_their_width_once_escaped() -> None:
    """The rule cuts the raw text (model.excerpt: 80 characters); escapes make it longer, so the
    report cuts it again, between whole escapes: never `\\x1` of `\\x1b`."""
    f = shown(_finding(excerpt="ab" + "\x1b" * 78, message="m"))
    assert f.excerpt == "ab" + "\\x1b" * 19 + "…" and len(f.excerpt) <= EXCERPT_WIDTH
    assert shown(_finding(excerpt="x" * 120)).excerpt == "x" * 120  # not cut by the report when not escaped
    assert printable("\x1b" * 3, width=6) == "\\x1b…"


_UNESCAPE = re.compile(r"\\(?:x([0-9a-f]{2})|u([0-9a-f]{4})|([tnr]))")


def _unescape(text: str) -> str:
    return _UNESCAPE.sub(lambda m: {"t": "\t", "n": "\n", "r": "\r"}[m[3]] if m[3] else chr(int(m[1] or m[2], 16)),
                         text)


hostile_text = st.text(st.one_of(st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp", "Lo", "Ll", "So", "Zs"],
                                                exclude_characters="\\"),
                                 st.sampled_from(list(HOSTILE))), max_size=120)


@settings(max_examples=max(300, settings().max_examples), deadline=None)  # more in a campaign
@given(hostile_text, st.integers(min_value=2, max_value=100))
def test_printable_property(text: str, width: int) -> None:
    out = printable(text)
    assert not RAW.search(out) and "\n" not in out
    assert printable(out) == out  # nothing left to escape
    assert _unescape(out) == text  # nothing lost
    out.encode("utf-8")
    cut = printable(text, width)
    assert len(cut) <= max(width, len(text))
    if cut != out:  # cut: a prefix of the text, in whole escapes
        assert cut.endswith("…") and text.startswith(_unescape(cut[:-1]))


@settings(max_examples=max(60, settings().max_examples), deadline=None)
@given(st.lists(st.tuples(hostile_text, hostile_text, hostile_text, hostile_text), min_size=1, max_size=4))
def test_every_format_renders_any_text(fields: list[tuple[str, str, str, str]]) -> None:
    findings = [_finding(message=m, excerpt=e or None, pointer="/" + p, file=file or "x", line=n + 1,
                         related=(Location(file + "2", 9, 8),))
                for n, (m, e, p, file) in enumerate(fields)]
    report = Report([FileResult("x", 3, 3, findings, {"file": "x"})])
    for fmt, write in FORMATS.items():
        if fmt == "text":
            continue  # needs a lint's statistics; the text lines of findings are the markdown's, below
        buf = io.BytesIO()
        write(report, buf, RenderOptions())
        out = buf.getvalue().decode("utf-8")
        if fmt in ("json", "sarif"):
            json.loads(out)
        elif fmt == "jsonl":
            lines = out.split("\n")[:-1]  # JSON leaves U+0085 and U+2028 raw: no splitlines()
            assert [json.loads(line)["rule"] for line in lines] == ["CNT001"] * len(findings)
        elif fmt == "junit":
            ET.fromstring(out.encode())
        else:
            assert not RAW.search(out)
            if fmt in ("concise", "github"):  # one line per finding, then the totals
                assert len(out.split("\n")) == len(findings) + 2
    assert not RAW.search(markdown.render(report).replace("\n", ""))
    report.to_pandas()
    assert not RAW.search(report._repr_html_())


# -- stdout that is not UTF-8 -------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize("args", [["lint", "--isolated"], ["lint", "--isolated", "--format", "concise"],
                                  ["show", "-", "2"], ["rule", "CNT001"]], ids=["text", "concise", "show", "rule"])
def test_stdout_not_utf8_is_no_crash(encoding: str, args: list[str], tmp_path: Path) -> None:
    path = write(tmp_path / "hostile.jsonl", [*RECORDS, {**RECORDS[3], "output": "≈ 中文 😀 Action."}])
    argv = [a if a != "-" else str(path) for a in args]
    if args[0] == "lint":
        argv.append(str(path))
    env = {**{k: v for k, v in os.environ.items() if k != "FTDATA_DEBUG"}, "PYTHONIOENCODING": encoding}
    p = subprocess.run([*ftdata_command(), *argv], capture_output=True, timeout=120, env=env)
    assert p.returncode in (0, 1), p.stderr
    assert b"internal error" not in p.stderr and b"Traceback" not in p.stderr
    assert not RAW.search(p.stdout.decode("utf-8", "replace").replace("\n", ""))
    if args[0] == "show":
        assert json.loads(p.stdout) == RECORDS[1]
