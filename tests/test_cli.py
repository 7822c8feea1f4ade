"""The command line end to end: exit codes, JSON against the public schema, stdin and gzip,
text output, the rule/format listings, malformed input, and inputs left untouched.

Exit codes and stderr go through the installed `ftdata` in a subprocess (the real entry point);
output details go through click's CliRunner, which is faster.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from ftdata.cli import cli
from ftdata.formats import FORMATS
from ftdata.registry import all_checks
from independent import REPORT_SCHEMA, ROOT, ftdata_command, write_jsonl

FIXTURES = ROOT / "tests" / "fixtures" / "cli"
CLEAN = FIXTURES / "clean.jsonl"  # 120 realistic openai-chat examples, no findings
BROKEN = FIXTURES / "broken.jsonl"  # one problem (or several) per line, see BROKEN_EXPECTED
SCHEMA = REPORT_SCHEMA
ANSI = re.compile(r"\x1b\[[0-9;]*m")


FTDATA = ftdata_command()


def run(*args: str | os.PathLike[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """The installed command, as a user runs it (stdout is a pipe, not a TTY)."""
    env = {k: v for k, v in os.environ.items() if k != "FTDATA_DEBUG"}
    return subprocess.run([*FTDATA, *map(str, args)], input=stdin, capture_output=True, timeout=120, env=env)


def invoke(*args: str | os.PathLike[str]) -> Any:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    Draft202012Validator.check_schema(SCHEMA)
    return Draft202012Validator(SCHEMA)


def assert_valid_report(validator: Draft202012Validator, report: dict[str, Any], exit_code: int) -> None:
    errors = sorted(validator.iter_errors(report), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10])
    assert report["exit_code"] == exit_code
    severities = [f["severity"] for f in report["findings"]]
    assert report["summary"]["errors"] == severities.count("error")
    assert report["summary"]["warnings"] == severities.count("warning")
    assert report["summary"]["infos"] == severities.count("info")
    expected = "not-ready" if severities.count("error") else (
        "ready-with-warnings" if severities.count("warning") else "ready")
    assert report["verdict"] == expected
    assert report["summary"]["files"] == len(report["stats"]["files"])
    assert report["stats"]["examples"] == report["summary"]["examples"] == sum(
        f["examples"] for f in report["stats"]["files"])


def clean_records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CLEAN.read_text(encoding="utf-8").splitlines()]


# -- exit codes (the real command) ---------------------------------------------------------------
def test_clean_dataset_exits_0() -> None:
    p = run("lint", CLEAN)
    assert p.returncode == 0, p.stdout.decode() + p.stderr.decode()
    assert p.stderr == b""
    assert p.stdout.decode().rstrip("\n").splitlines()[-1] == "Verdict: ready"


def test_error_findings_exit_1() -> None:
    p = run("lint", BROKEN)
    assert p.returncode == 1
    assert p.stderr == b""
    assert p.stdout.decode().rstrip("\n").splitlines()[-1].startswith("Verdict: not-ready")


def test_warnings_only_exit_0(tmp_path: Path) -> None:
    records = clean_records()
    records[7]["messages"].insert(2, {"role": "user", "content": "Please keep it short."})  # consecutive users
    p = run("lint", write_jsonl(tmp_path / "warn.jsonl", records), "--format", "json")
    report = json.loads(p.stdout)
    assert p.returncode == 0
    assert report["verdict"] == "ready-with-warnings"
    assert [(f["name"], f["line"]) for f in report["findings"]] == [("consecutive-same-role", 8)]


def test_exit_zero_gives_0_despite_errors() -> None:
    p = run("lint", BROKEN, "--exit-zero", "--format", "json")
    assert p.returncode == 0
    report = json.loads(p.stdout)
    assert report["verdict"] == "not-ready"
    assert report["exit_code"] == 0
    assert report["summary"]["errors"] > 0


USAGE_ERRORS = {
    "missing file": ["lint", "tests/fixtures/cli/does-not-exist.jsonl"],
    "directory": ["lint", "tests/fixtures/cli"],
    "unknown option": ["lint", "--no-such-option", "tests/fixtures/cli/clean.jsonl"],
    "unknown model": ["lint", "--model", "my-own-model", "tests/fixtures/cli/clean.jsonl"],
    "malformed check option": ["lint", "--check-option", "length-outlier", "tests/fixtures/cli/clean.jsonl"],
    "check option without key": ["lint", "--check-option", "length-outlier=4", "tests/fixtures/cli/clean.jsonl"],
    "unknown check option key": ["lint", "--check-option", "length-outlier.nope=4", "tests/fixtures/cli/clean.jsonl"],
    "unknown check name": ["lint", "--check-option", "no-such-check.z=4", "tests/fixtures/cli/clean.jsonl"],
    "unknown rule": ["rule", "NOPE"],
    "no path": ["lint"],
}


@pytest.mark.parametrize("args", list(USAGE_ERRORS.values()), ids=list(USAGE_ERRORS))
def test_usage_errors_exit_2(args: list[str]) -> None:
    p = subprocess.run([*FTDATA, *args], capture_output=True, timeout=120, cwd=ROOT)
    assert p.returncode == 2, p.stderr.decode()
    assert p.stdout == b""
    err = p.stderr.decode()
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("ftdata: error: "), err


def test_unknown_model_is_fine_with_max_tokens() -> None:
    result = invoke("lint", CLEAN, "--model", "my-own-model", "--max-tokens", "4096", "--format", "json")
    assert result.exit_code == 0
    tokens = json.loads(result.stdout)["stats"]["files"][0]["tokens"]
    assert (tokens["model"], tokens["limit"]) == ("my-own-model", 4096)


# -- JSON output against the public schema --------------------------------------------------------
def test_json_clean(validator: Draft202012Validator) -> None:
    p = run("lint", CLEAN, "--format", "json")
    report = json.loads(p.stdout)
    assert_valid_report(validator, report, p.returncode)
    assert p.returncode == 0
    assert report["verdict"] == "ready" and report["reasons"] == [] and report["findings"] == []
    st = report["stats"]["files"][0]
    assert (st["records"], st["examples"], st["formats"]) == (120, 120, {"openai-chat": 120})
    assert st["tokens"]["exact"] is True
    assert st["tokens"]["min"] <= st["tokens"]["median"] <= st["tokens"]["p95"] <= st["tokens"]["max"]


def test_json_broken(validator: Draft202012Validator) -> None:
    p = run("lint", BROKEN, "--format", "json")
    report = json.loads(p.stdout)
    assert_valid_report(validator, report, p.returncode)
    assert p.returncode == 1 and report["verdict"] == "not-ready"
    assert report["reasons"][0] == "3 x empty-turn (FMT020)"


def test_json_several_files(validator: Draft202012Validator, tmp_path: Path) -> None:
    gz = tmp_path / "clean.jsonl.gz"
    gz.write_bytes(gzip.compress(CLEAN.read_bytes()))
    p = run("lint", CLEAN, BROKEN, gz, "--format", "json")
    report = json.loads(p.stdout)
    assert_valid_report(validator, report, p.returncode)
    assert p.returncode == 1
    assert [f["file"] for f in report["stats"]["files"]] == [str(CLEAN), str(BROKEN), str(gz)]
    assert report["summary"]["files"] == 3
    assert report["stats"]["records"] == 120 + 11 + 120
    assert {f["file"] for f in report["findings"]} == {str(BROKEN)}


def test_json_stdin(validator: Draft202012Validator) -> None:
    for path, code in ((CLEAN, 0), (BROKEN, 1)):
        p = run("lint", "-", "--format", "json", stdin=path.read_bytes())
        report = json.loads(p.stdout)
        assert_valid_report(validator, report, p.returncode)
        assert p.returncode == code
        assert report["stats"]["files"][0]["file"] == "-"


def test_json_is_the_same_for_file_and_stdin() -> None:
    from_file = json.loads(run("lint", BROKEN, "--format", "json").stdout)
    from_stdin = json.loads(run("lint", "-", "--format", "json", stdin=BROKEN.read_bytes()).stdout)
    strip = [{k: v for k, v in f.items() if k != "file"} for f in from_file["findings"]]
    assert strip == [{k: v for k, v in f.items() if k != "file"} for f in from_stdin["findings"]]


def test_schema_rejects_what_the_report_must_not_be(validator: Draft202012Validator) -> None:
    good = json.loads(invoke("lint", BROKEN, "--format", "json").stdout)
    assert validator.is_valid({**good, "future_key": {"any": 1}})  # may grow at the top level
    assert validator.is_valid({**good, "stats": {**good["stats"], "future": 1}})  # and in stats
    finding = good["findings"][0]
    bad_variants = [
        {k: v for k, v in good.items() if k != "verdict"},
        {**good, "verdict": "maybe"},
        {**good, "exit_code": 2},
        {**good, "exit_code": 1, "verdict": "ready"},
        {**good, "findings": [{**finding, "pointer": "messages/0"}]},
        {**good, "findings": [{**finding, "line": 0}]},
        {**good, "findings": [{**finding, "severity": "fatal"}]},
        {**good, "findings": [{**finding, "category": "Other stuff"}]},
        {**good, "findings": [{k: v for k, v in finding.items() if k != "excerpt"}]},
        {**good, "summary": {**good["summary"], "errors": -1}},
    ]
    for bad in bad_variants:
        assert not validator.is_valid(bad), bad


def test_schema_documents_every_property() -> None:
    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                assert "description" in sub or "$ref" in sub, f"{path}/{name} has no description"
            for key, sub in node.items():
                walk(sub, f"{path}/{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{path}/{i}")

    walk(SCHEMA, "")
    assert SCHEMA["$id"] == "https://ftdata.dev/schemas/report.schema.json"
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


# -- stdin and gzip ------------------------------------------------------------------------------
def test_stdin_text() -> None:
    p = run("lint", "-", stdin=CLEAN.read_bytes())
    assert p.returncode == 0
    out = p.stdout.decode()
    assert "-: 120 examples of 120 records (openai-chat 120)" in out
    assert out.rstrip("\n").splitlines()[-1] == "Verdict: ready"


def test_gzip_file_and_gzip_stdin(tmp_path: Path) -> None:
    gz = tmp_path / "broken.jsonl.gz"
    gz.write_bytes(gzip.compress(BROKEN.read_bytes()))
    plain = json.loads(run("lint", BROKEN, "--format", "json").stdout)
    for p in (run("lint", gz, "--format", "json"), run("lint", "-", "--format", "json", stdin=gz.read_bytes())):
        assert p.returncode == 1
        report = json.loads(p.stdout)
        assert [(f["rule"], f["line"], f["pointer"]) for f in report["findings"]] == \
            [(f["rule"], f["line"], f["pointer"]) for f in plain["findings"]]
        assert report["stats"]["files"][0]["records"] == 11


# -- text output ---------------------------------------------------------------------------------
def headers(text: str) -> dict[str, tuple[str, str, int]]:
    """Rule header lines: code -> (name, severity, count)."""
    out = {}
    for m in re.finditer(r"^([A-Z]+\d+) ([a-z0-9-]+)  (error|warning|info)  ([\d,]+) findings?$", text, re.M):
        assert m.group(1) not in out, f"rule {m.group(1)} has two groups"
        out[m.group(1)] = (m.group(2), m.group(3), int(m.group(4).replace(",", "")))
    return out


def test_text_groups_findings_by_rule() -> None:
    text = invoke("lint", BROKEN, "--max-examples", "50").stdout
    report = json.loads(invoke("lint", BROKEN, "--format", "json").stdout)
    counts: dict[str, int] = {}
    for f in report["findings"]:
        counts[f["rule"]] = counts.get(f["rule"], 0) + 1
    got = headers(text)
    assert {code: n for code, (_, _, n) in got.items()} == counts
    # the locations under a rule's header are that rule's findings, in order
    blocks = text.split("\n\n")
    empty_turn = next(b for b in blocks if b.startswith("FMT020 empty-turn"))
    locations = re.findall(r"^  \S*broken\.jsonl:(\d+) (\S+)  ", empty_turn, re.M)
    assert locations == [("10", "/messages/1/content"), ("10", "/messages/3/content"), ("11", "/messages/2/content")]
    # errors before warnings
    order = [code for code in got]
    severities = [got[c][1] for c in order]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)


def test_text_verdict_line_is_last() -> None:
    text = invoke("lint", BROKEN).stdout
    last = text.rstrip("\n").splitlines()[-1]
    assert last.startswith("Verdict: not-ready - 3 x empty-turn (FMT020)")
    assert re.fullmatch(r"\d+ errors, \d+ warnings, \d+ infos in 8 examples \(1 file\)",
                        text.rstrip("\n").splitlines()[-2])
    assert invoke("lint", CLEAN).stdout.rstrip("\n").splitlines()[-1] == "Verdict: ready"


def test_text_caps_locations_per_rule(tmp_path: Path) -> None:
    records = clean_records()
    for i in range(3, 120, 12):  # 10 empty answers
        records[i]["messages"][2]["content"] = ""
    path = write_jsonl(tmp_path / "empty.jsonl", records)
    text = invoke("lint", path, "--max-examples", "3").stdout
    assert headers(text)["FMT020"] == ("empty-turn", "error", 10)
    block = next(b for b in text.split("\n\n") if b.startswith("FMT020"))
    assert len(re.findall(r"^  \S+empty\.jsonl:\d+ ", block, re.M)) == 3
    assert "  ... and 7 more (all in --format json)" in block.splitlines()
    full = invoke("lint", path, "--max-examples", "10").stdout
    block = next(b for b in full.split("\n\n") if b.startswith("FMT020"))
    assert len(re.findall(r"^  \S+empty\.jsonl:\d+ ", block, re.M)) == 10
    assert "more" not in block
    # the JSON report keeps all of them
    report = json.loads(invoke("lint", path, "--format", "json").stdout)
    assert [f["line"] for f in report["findings"] if f["rule"] == "FMT020"] == list(range(4, 113, 12))


def test_no_ansi_without_tty_and_ansi_with_color() -> None:
    plain = run("lint", BROKEN).stdout.decode()
    assert not ANSI.search(plain)
    assert not ANSI.search(run("lint", BROKEN, "--no-color").stdout.decode())
    colored = run("lint", BROKEN, "--color").stdout.decode()
    assert ANSI.search(colored)
    assert ANSI.sub("", colored) == plain
    # JSON is never coloured
    assert not ANSI.search(run("lint", BROKEN, "--color", "--format", "json").stdout.decode())


# -- rules, rule, formats ------------------------------------------------------------------------
def test_rules_lists_every_check() -> None:
    result = invoke("rules")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.strip() and not line[0].isspace()]
    assert sorted(listed) == sorted(c.code for c in all_checks())
    for c in all_checks():
        assert re.search(rf"^{c.code} +{re.escape(c.name)} +{c.category} +{c.severity.value} ", result.stdout, re.M)


def test_rules_json() -> None:
    result = invoke("rules", "--format", "json")
    assert result.exit_code == 0
    rules = json.loads(result.stdout)
    by_code = {c.code: c for c in all_checks()}
    assert sorted(r["code"] for r in rules) == sorted(by_code)
    for r in rules:
        c = by_code[r["code"]]
        assert r == {"code": c.code, "name": c.name, "category": c.category, "severity": c.severity.value,
                     "summary": r["summary"]}
        assert " ".join(c.doc().split()).startswith(r["summary"])  # the documentation's first sentence
        assert r["summary"].endswith((".", ".)", '."'))
        assert re.fullmatch(SCHEMA["$defs"]["finding"]["properties"]["category"]["pattern"], r["category"])


@pytest.mark.parametrize("key", ["FMT001", "invalid-json", "fmt001"])
def test_rule_prints_the_docstring(key: str) -> None:
    from ftdata.checks.format.invalid_json import InvalidJson

    result = invoke("rule", key)
    assert result.exit_code == 0
    assert result.stdout.startswith("FMT001 invalid-json (format, error by default)\n")
    assert InvalidJson.doc() in result.stdout
    for section in ("What it does", "Why it matters", "Example", "Options"):
        assert section in result.stdout


def test_formats_lists_formats() -> None:
    result = invoke("formats")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert names == [f.name for f in FORMATS]
    for f in FORMATS:
        assert f"(schemas/{f.schema})" in result.stdout
        assert (ROOT / "schemas" / f.schema).is_file()


# -- malformed input: every bad line found, linting goes on --------------------------------------
# line -> rule codes expected there (record-level findings only), with pointers where they matter
BROKEN_EXPECTED: dict[int, list[tuple[str, str]]] = {
    2: [("FMT001", "")],                     # invalid JSON (truncated record)
    3: [("FMT025", "/messages/2")],          # after the bad line: two user turns in a row
    4: [("FMT004", "")],                     # blank line
    5: [("FMT021", "/messages")],            # after the blank line: no assistant turn
    6: [("FMT005", "")],                     # a JSON array, not an object
    7: [("FMT023", "/messages/1")],          # after it: system message not first
    8: [("FMT006", "")],                     # an object of no known format
    9: [("FMT024", "/messages/1")],          # after it: two system messages
    10: [("FMT011", "/source"), ("FMT013", "/messages/2/role"), ("FMT020", "/messages/1/content"),
         ("FMT020", "/messages/3/content"), ("FMT022", "/messages/4")],  # several problems in one record
    11: [("FMT020", "/messages/2/content")],  # empty assistant answer
}
# record_index per line: blank lines are not records, invalid JSON and non-objects are
BROKEN_INDEX = {2: 1, 3: 2, 4: None, 5: 3, 6: 4, 7: 5, 8: 6, 9: 7, 10: 8, 11: 9}


@pytest.fixture(scope="module")
def broken_report() -> dict[str, Any]:
    return json.loads(invoke("lint", BROKEN, "--format", "json").stdout)


def test_broken_file_every_bad_line_found(broken_report: dict[str, Any]) -> None:
    got: dict[int, list[tuple[str, str]]] = {}
    for f in broken_report["findings"]:
        if f["line"] is not None:
            got.setdefault(f["line"], []).append((f["rule"], f["pointer"]))
            assert f["record_index"] == BROKEN_INDEX[f["line"]], f
    for line, expected in BROKEN_EXPECTED.items():
        assert sorted(expected) == sorted(x for x in got.get(line, []) if x[0] != "FMT041"), f"line {line}"
    assert 1 not in got and 12 not in got  # the valid records have no findings
    dataset_level = [f["rule"] for f in broken_report["findings"] if f["line"] is None]
    assert dataset_level == ["VOL001"]  # 8 examples < 10
    st = broken_report["stats"]["files"][0]
    assert (st["records"], st["examples"]) == (11, 8)


def test_broken_file_messages(broken_report: dict[str, Any]) -> None:
    by = {(f["line"], f["rule"], f["pointer"]): f["message"] for f in broken_report["findings"]}
    assert by[(6, "FMT005", "")] == "record is a JSON array, not an object"
    assert "answer, question" in by[(8, "FMT006", "")]
    assert "'chef'" in by[(10, "FMT013", "/messages/2/role")]
    assert by[(10, "FMT020", "/messages/1/content")] == "user turn 2 is empty"
    assert by[(10, "FMT020", "/messages/3/content")] == "assistant turn 4 is whitespace only"
    assert by[(11, "FMT020", "/messages/2/content")] == "assistant turn 3 is empty"


def test_missing_system_message_not_reported_when_system_is_late(broken_report: dict[str, Any]) -> None:
    assert [f for f in broken_report["findings"] if f["rule"] == "FMT041"] == []


def test_invalid_json_column_points_at_the_error(broken_report: dict[str, Any]) -> None:
    msg = next(f["message"] for f in broken_report["findings"] if f["rule"] == "FMT001")
    assert "column 128" in msg, msg


# -- inputs are never modified -------------------------------------------------------------------
def test_inputs_are_not_modified(tmp_path: Path) -> None:
    gz = tmp_path / "broken.jsonl.gz"
    gz.write_bytes(gzip.compress(BROKEN.read_bytes()))
    paths = [BROKEN, CLEAN, gz]
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths}
    for fmt in ("text", "json"):
        assert run("lint", *paths, "--format", fmt).returncode == 1
    for p in paths:
        assert (p.read_bytes(), p.stat().st_mtime_ns) == before[p], p
    assert sorted(x.name for x in tmp_path.iterdir()) == ["broken.jsonl.gz"]  # nothing written beside it


@pytest.mark.parametrize("output_format", ["json"])  # the text report is too short to fill a pipe
def test_a_reader_that_stops_early_does_not_change_the_exit_code(tmp_path: Path, output_format: str) -> None:
    """`ftdata lint ... | head`: the closed pipe is no error; the exit code is the verdict's."""
    data = tmp_path / "dups.jsonl"
    line = json.dumps({"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]})
    data.write_text((line + "\n") * 3000, encoding="utf-8")  # 2,999 duplicate findings: far more than a pipe holds
    for extra, code in ((["--min-examples-provider", "5000"], 1), (["--exit-zero"], 0)):
        proc = subprocess.Popen([*FTDATA, "lint", str(data), "--format", output_format, *extra],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()
        assert proc.wait(timeout=120) == code
        assert b"Traceback" not in proc.stderr.read()


def test_a_json_array_saved_as_jsonl_is_read_as_an_array(tmp_path: Path) -> None:
    """Named .jsonl (or .jsonl.gz) but holding one pretty-printed array: linted as the .json it
    is, not as one invalid-json finding per line; a JSON Lines file whose first record happens
    to be an array stays JSON Lines."""
    rows = json.loads(CLEAN.read_text(encoding="utf-8").replace("\n", ",").join("[]").replace(",]", "]"))
    text = json.dumps(rows, indent=2)
    (tmp_path / "a.json").write_text(text, encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(text, encoding="utf-8")
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(text.encode()))
    reports = [json.loads(invoke("lint", tmp_path / name, "--isolated", "--format", "json").stdout)
               for name in ("a.json", "a.jsonl", "a.jsonl.gz")]
    assert [r["summary"]["examples"] for r in reports] == [120, 120, 120]
    assert [[(f["rule"], f["line"]) for f in r["findings"]] for r in reports] == [[]] * 3
    rows[0]["messages"][0]["content"] = "Réponds en français, s'il te plaît."  # orjson counts characters
    one_per_line = "[" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "]\n"
    (tmp_path / "c.jsonl").write_text(one_per_line, encoding="utf-8")
    report = json.loads(invoke("lint", tmp_path / "c.jsonl", "--isolated", "--format", "json").stdout)
    assert report["summary"]["examples"] == 120 and not any(f["rule"] == "FMT001" for f in report["findings"])
    for name, first in (("b.jsonl", "[1, 2]"), ("long.jsonl", json.dumps(list(range(5000))))):
        (tmp_path / name).write_text(first + "\n" + CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
        found = json.loads(invoke("lint", tmp_path / name, "--isolated", "--format", "json").stdout)["findings"]
        assert [(f["rule"], f["line"]) for f in found] == [("FMT005", 1)], name
