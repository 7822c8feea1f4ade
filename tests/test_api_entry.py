"""One entry (issue 15): ftdata.lint() in a notebook gives what `ftdata lint` gives in the same
folder: the nearest configuration, the baseline and the record-id ignores; isolated=True skips the
configuration as --isolated does, no_baseline=True the baseline, and settings= replaces the
configuration's settings."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import ftdata
from independent import chat_record, cli, write_jsonl

CONFIG = """[tool.ftdata]
ignore = ["volume"]
id-field = "id"

[[tool.ftdata.ignore-records]]
id = "t-2"
reason = "the placeholder is the behaviour we want"
rules = ["placeholder"]
"""


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    rows = [{**chat_record(f"Write a note for ticket {i}.", f"Dear customer, ticket {i} is closed."), "id": f"t-{i}"}
            for i in range(12)]
    rows[2] = {**chat_record("Confirm the order.", "Your order of {{product}} has shipped."), "id": "t-2"}  # ignored
    rows[5] = {**chat_record("Confirm the refund.", "Your refund of {{amount}} is on its way."), "id": "t-5"}  # baseline
    write_jsonl(tmp_path / "train.jsonl", rows)
    code, _, err = cli("lint", "train.jsonl", "--write-baseline")
    assert code == 0, err
    rows.append({**chat_record("Confirm the visit.", "Your visit on {{date}} is booked."), "id": "t-12"})  # new
    write_jsonl(tmp_path / "train.jsonl", rows)
    return tmp_path / "train.jsonl"


def _found(findings: list[dict[str, object]]) -> list[tuple[object, object]]:
    return sorted((f["rule"], f["line"]) for f in findings)


def test_the_notebook_gets_what_the_cli_gets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _project(tmp_path, monkeypatch)
    code, out, _ = cli("lint", "train.jsonl", "--format", "json")
    from_cli = json.loads(out)
    report = ftdata.lint(str(path))
    from_api = report.to_dict()
    assert _found(from_api["findings"]) == _found(from_cli["findings"])
    assert ("CNT001", 13) in _found(from_api["findings"])
    assert not any(f["rule"].startswith("VOL") or f["line"] in (3, 6) for f in from_api["findings"])
    assert from_api["verdict"] == from_cli["verdict"] and report.exit_code == code


def test_isolated_reads_no_configuration_and_no_baseline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _project(tmp_path, monkeypatch)
    code, out, _ = cli("lint", "train.jsonl", "--format", "json", "--isolated", "--no-baseline")
    found = _found(ftdata.lint(str(path), isolated=True, no_baseline=True).to_dict()["findings"])
    assert found == _found(json.loads(out)["findings"])
    assert {("CNT001", 3), ("CNT001", 6), ("CNT001", 13)} <= set(found)
    assert any(rule.startswith("VOL") for rule, _ in found)


def test_given_settings_replace_the_configuration_but_not_the_suppressions(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _project(tmp_path, monkeypatch)
    found = _found(ftdata.lint(str(path), settings=ftdata.Settings()).to_dict()["findings"])
    assert any(rule.startswith("VOL") for rule, _ in found)  # the configuration's ignore is not read
    assert ("CNT001", 13) in found and ("CNT001", 3) not in found and ("CNT001", 6) not in found


def test_a_bad_configuration_is_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ftdata.toml").write_text("max-tokens = 99999999999999999999999999\n", encoding="utf-8")
    write_jsonl(tmp_path / "t.jsonl", [chat_record("Hi", "Hello.")])
    with pytest.raises(ValueError, match="max-tokens"):
        ftdata.lint("t.jsonl")
    assert ftdata.lint("t.jsonl", isolated=True).summary["examples"] == 1
