"""Every check against its fixtures: a failing file with the exact findings expected, a passing file of near misses.

Layout of tests/fixtures/checks/<CODE>/:
    fail.jsonl | fail.json      triggers the check; expected.json lists its findings as [{"line", "pointer"}]
    pass.jsonl | pass.json      near misses that must not trigger it
    fail-<variant>.json[l]      more failing cases, with expected-<variant>.json
    pass-<variant>.json[l]      more passing cases
    settings.json               optional keyword settings for ftdata.lint (e.g. {"model": ...});
                                `eval` names evaluation files in the folder (leakage checks);
                                `checks` gives the check options (used too when it runs on its own)
    settings-<variant>.json     more settings for one variant (e.g. {"label_field": "category"})

`pytest -k FMT003` runs one check. Known bugs are variant files marked xfail (strict) in KNOWN_BUGS.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import ftdata
from ftdata import registry
from ftdata.checks.base import Check, RecordCheck
from ftdata.model import CATEGORIES

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "checks"
CHECKS = registry.all_checks()
CODES = [c.code for c in CHECKS]
DATA_SUFFIXES = (".jsonl", ".json")

# "<CODE>/<file>": why the fixture's (correct) expectation does not hold yet.
KNOWN_BUGS: dict[str, str] = {
}

# Rules whose findings are not made by linting a data file, so no fail/pass pair can show them.
NO_FIXTURES: dict[str, str] = {
    "SUP001": "made by applying a baseline file (tested end to end in tests/test_baseline.py)",
    "SUP002": "made by applying ignores by record id from the config (tested in tests/test_baseline.py)",
}
FIXTURE_CODES = [c for c in CODES if c not in NO_FIXTURES]


# -- helpers ---------------------------------------------------------------------------------------
def folder(code: str) -> Path:
    return FIXTURES / code


def data_file(code: str, stem: str) -> Path | None:
    for suffix in DATA_SUFFIXES:
        p = folder(code) / f"{stem}{suffix}"
        if p.is_file():
            return p
    return None


def settings_for(code: str, data: Path | None = None) -> dict[str, Any]:
    """The fixture's settings (settings.json, then settings-<variant>.json for a variant's data
    file); `eval` files (leakage checks) are named relative to its folder."""
    settings: dict[str, Any] = {}
    names = ["settings.json"]
    if data is not None and "-" in data.name.split(".")[0]:
        names.append("settings-" + data.name.split(".")[0].split("-", 1)[1] + ".json")
    for name in names:
        p = folder(code) / name
        if p.is_file():
            settings.update(json.loads(p.read_text(encoding="utf-8")))
    if "eval" in settings:
        settings["eval"] = [str(folder(code) / name) for name in settings["eval"]]
    return settings


def options_for(cls: type[Check]) -> Any:
    """The check's options from its fixture's settings.json (`checks`, keyed by code or name)."""
    opts: dict[str, Any] = {}
    for key, value in settings_for(cls.code).get("checks", {}).items():
        if registry.find(key) is cls:
            opts.update(value)
    return cls.Options(**opts)


def expected_for(data: Path) -> Counter[tuple[int | None, str]]:
    stem = data.name.split(".")[0]
    sidecar = data.with_name("expected" + stem[len("fail"):] + ".json")
    entries = json.loads(sidecar.read_text(encoding="utf-8"))
    return Counter((e["line"], e["pointer"]) for e in entries)


def findings(path: Path, code: str) -> list[ftdata.Finding]:
    report = ftdata.lint(path, jobs=1, **settings_for(code, path))
    return [f for f in report.findings if f.rule == code]


def located(found: list[ftdata.Finding]) -> Counter[tuple[int | None, str]]:
    return Counter((f.line, f.pointer) for f in found)


def show(found: list[ftdata.Finding]) -> str:
    return "\n".join(f"  line {f.line} {f.pointer or '(no pointer)'}: {f.message}" for f in found) or "  (none)"


def assert_fails_as_expected(path: Path, code: str) -> None:
    want = expected_for(path)
    assert want, f"{path.name}: the expected findings must not be empty"
    found = findings(path, code)
    assert located(found) == want, (
        f"{code} on {path.name}: expected {sorted(want.elements(), key=str)}, got\n{show(found)}")


def assert_passes(path: Path, code: str) -> None:
    found = findings(path, code)
    assert not found, f"{code} fired on near misses in {path.name}:\n{show(found)}"


def variants() -> list[Any]:
    params = []
    for code in CODES:
        if not folder(code).is_dir():
            continue
        for p in sorted(folder(code).iterdir()):
            if p.suffix in DATA_SUFFIXES and p.name.startswith(("fail-", "pass-")):
                key = f"{code}/{p.name}"
                marks = [pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[key])] if key in KNOWN_BUGS else []
                params.append(pytest.param(code, p, id=f"{code}-{p.name.split('.')[0]}", marks=marks))
    return params


# -- every check on its fixtures --------------------------------------------------------------------
@pytest.mark.parametrize("code", FIXTURE_CODES, ids=FIXTURE_CODES)
def test_check(code: str) -> None:
    fail, passing = data_file(code, "fail"), data_file(code, "pass")
    assert fail is not None and passing is not None, f"{code} has no fixtures in {folder(code)}"
    assert_fails_as_expected(fail, code)
    assert_passes(passing, code)


@pytest.mark.parametrize(("code", "path"), variants())
def test_check_variant(code: str, path: Path) -> None:
    if path.name.startswith("fail-"):
        assert_fails_as_expected(path, code)
    else:
        assert_passes(path, code)


def test_known_bugs_name_existing_fixtures() -> None:
    missing = [key for key in KNOWN_BUGS if not (FIXTURES / key).is_file()]
    assert not missing


@pytest.mark.parametrize("code", [c.code for c in CHECKS if c.category == "volume"])
def test_volume_findings_are_dataset_level(code: str) -> None:
    found = findings(data_file(code, "fail"), code)  # type: ignore[arg-type]
    assert found and all(f.line is None and f.record_index is None and f.pointer == "" for f in found)


# Messages may be reworded; each must still state its key fact.
MESSAGE_FACTS = [
    ("FMT001", "fail.jsonl", 6, "lenient"),
    ("FMT002", "fail.jsonl", 2, "0xe9"),
    ("FMT005", "fail.jsonl", 2, "array"),
    ("FMT006", "fail.jsonl", 2, "question"),
    ("FMT010", "fail.jsonl", 1, "role"),
    ("FMT011", "fail.jsonl", 1, "contnet"),
    ("FMT012", "fail.jsonl", 1, "integer"),
    ("FMT013", "fail.jsonl", 1, "bot"),
    ("FMT025", "fail.jsonl", 1, "user"),
    ("FMT027", "fail.jsonl", 1, "2"),
    ("FMT028", "fail.jsonl", 2, "2"),
    ("FMT040", "fail.jsonl", 5, "alpaca"),
    ("FMT041", "fail.jsonl", 7, "90%"),
    ("VOL001", "fail.jsonl", None, "9"),
    ("VOL002", "fail-49.jsonl", None, "49"),
    ("VOL003", "fail.jsonl", None, "100"),
    ("LEN001", "fail.jsonl", 3, "4,097"),
    ("LEN001", "fail.jsonl", 3, "4,096"),
    ("FMT020", "fail-hh-rlhf.jsonl", 1, "empty"),
    ("DUP004", "fail.jsonl", 17, "card_arrival"),
    ("DUP004", "fail.jsonl", 17, "lost_card"),
]


@pytest.mark.parametrize(("code", "name", "line", "fact"), MESSAGE_FACTS)
def test_message_states_key_fact(code: str, name: str, line: int | None, fact: str) -> None:
    messages = [f.message for f in findings(folder(code) / name, code) if f.line == line]
    assert messages and all(fact in m for m in messages), messages


# -- the registry and its documentation -------------------------------------------------------------
def test_every_check_has_fixtures() -> None:
    missing = [c for c in FIXTURE_CODES
               if data_file(c, "fail") is None or data_file(c, "pass") is None
               or not (folder(c) / "expected.json").is_file()]
    assert not missing, f"checks without fail/expected/pass fixtures: {missing}"
    assert set(NO_FIXTURES) <= set(CODES), "NO_FIXTURES names a code that is not a check"


def test_no_fixtures_for_unknown_codes() -> None:
    stray = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name not in CODES)
    assert not stray


@pytest.mark.parametrize("cls", CHECKS, ids=CODES)
def test_docstring_has_sections(cls: type[Check]) -> None:
    doc = cls.doc()
    missing = [s for s in ("What it does:", "Why it matters:", "Example:", "Options:") if s not in doc]
    assert not missing, f"{cls.code} docstring lacks {missing}"


def test_codes_and_names_are_unique_and_well_formed() -> None:
    codes = [c.code for c in CHECKS]
    names = [c.name for c in CHECKS]
    assert len(set(codes)) == len(codes), [c for c, n in Counter(codes).items() if n > 1]
    assert len(set(names)) == len(names), [c for c, n in Counter(names).items() if n > 1]
    assert all(re.fullmatch(r"[A-Z]{3,4}\d{3}", c) for c in codes), codes
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", n) for n in names), names
    assert all(c.category in CATEGORIES for c in CHECKS), [(c.code, c.category) for c in CHECKS]
    assert all(isinstance(c.severity, ftdata.Severity) for c in CHECKS)
    for c in CHECKS:
        assert registry.find(c.code) is c and registry.find(c.name) is c


RECORD_CHECKS = [c for c in CHECKS if issubclass(c, RecordCheck)]


@pytest.mark.parametrize("cls", RECORD_CHECKS, ids=[c.code for c in RECORD_CHECKS])
def test_record_check_runs_on_its_own(cls: type[RecordCheck]) -> None:
    """`Check().run(ftdata.records(path))` finds what the engine finds in the fail fixture."""
    fail = data_file(cls.code, "fail")
    assert fail is not None
    found = cls(options_for(cls)).run(ftdata.records(str(fail)))
    assert found, f"{cls.code} found nothing on its own in {fail.name}"
    assert located(found) == expected_for(fail)
