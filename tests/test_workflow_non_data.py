"""`ftdata lint` skips, with a note, a `.json` file that clearly is no dataset (package.json, a
configuration with comments, a dict of splits, a list of labels), so that the pre-commit hook,
whose pattern takes every .json, does not fail a commit over them; anything that may be data is
still linted, findings and all."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from ftdata.non_data import reason
from independent import DATASETS, chat_record, cli, needs_datasets, write_jsonl

PACKAGE = '{\n  "name": "support-bot-data",\n  "version": "1.0.0",\n  "private": true\n}\n'
TSCONFIG = '{\n  // type-check the loader scripts\n  "compilerOptions": {"strict": true, "target": "es2020"}\n}\n'
# the shape of clinc150's data_full.json: {split: [[text, intent], ...]}
SPLITS = {"train": [["what is my balance", "balance"], ["freeze my card", "freeze_account"]],
          "val": [["how much money do i have", "balance"]], "test": [["lock my card", "freeze_account"]]}
LABELS = '[\n  "card_arrival",\n  "card_linking",\n  "exchange_rate"\n]\n'  # banking77/categories.json's shape


def training(path: Path, n: int = 12) -> Path:
    return write_jsonl(path, [chat_record(f"What is the opening time of branch {i}?",
                                          f"Branch {i} opens at {8 + i % 3} am on weekdays.") for i in range(n)])


@pytest.mark.parametrize("name, text, said", [
    ("package.json", PACKAGE, "a single JSON object in no record format (keys: name, version, private)"),
    ("tsconfig.json", TSCONFIG, "JSON with comments"),
    ("data_full.json", json.dumps(SPLITS, indent=4), "a JSON object of 3 arrays (train, val, test), such as splits"),
    ("categories.json", LABELS, "a JSON array of 3 strings and no record"),
    ("squad.json", json.dumps({"version": "1.1", "data": [{"title": "Normans", "paragraphs": []}]}),
     "a JSON object whose 'data' holds 1 object (keys: version, data); if they are the records, write them as "
     "JSON Lines (jq -c '.data[]')"),
])
def test_non_data_json_is_skipped_with_a_note(tmp_path: Path, name: str, text: str, said: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    train = training(tmp_path / "train.jsonl")
    code, out, err = cli("lint", tmp_path / name, train, "--isolated", "--format", "json", "--jobs", "1",
                         "--min-examples", "10", "--recommended-examples", "10")
    report = json.loads(out)
    assert code == 0 and report["summary"]["errors"] == 0, out  # FMT006/FMT005 and VOL001 errors before
    assert [f["file"] for f in report["stats"]["files"]] == [str(train)]
    assert f"ftdata: skipping {tmp_path / name}: not a dataset but {said}" in err, err


def test_only_non_data_passes_and_says_nothing_was_linted(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(PACKAGE, encoding="utf-8")
    code, out, err = cli("lint", tmp_path / "package.json", "--isolated")
    assert code == 0 and "0 errors" in out
    assert "nothing to lint: no input is a dataset" in err


def _one_chat_object(path: Path) -> Path:
    path.write_text(json.dumps(chat_record("Hi", ""), indent=2), encoding="utf-8")
    return path


@pytest.mark.parametrize("make, args, rule", [
    # one record of a known format in a .json: linted as one record, as before (an empty answer)
    (_one_chat_object, (), "FMT020"),
    # two unknown objects one after the other: a sequence of records, not one configuration
    (lambda p: (p.write_text('{"name": "a"}\n{"name": "b"}\n', encoding="utf-8"), p)[1], (), "FMT006"),
    # a broken object without comments: may be broken data, reported
    (lambda p: (p.write_text('{\n  "messages": [\n', encoding="utf-8"), p)[1], (), "FMT001"),
    # an array holding objects, even unknown ones, is data
    (lambda p: (p.write_text('[{"name": "a"}, "b"]', encoding="utf-8"), p)[1], (), "FMT006"),
    # --input-format says what the file is
    (lambda p: (p.write_text(PACKAGE, encoding="utf-8"), p)[1], ("--input-format", "openai-chat"), "FMT010"),
])
def test_what_may_be_data_is_still_linted(tmp_path: Path, make: Any, args: tuple[str, ...], rule: str) -> None:
    path = make(tmp_path / "data.json")
    code, out, err = cli("lint", path, *args, "--isolated", "--format", "json", "--jobs", "1")
    assert "skipping" not in err
    assert rule in {f["rule"] for f in json.loads(out)["findings"]}, out


def test_a_jsonl_file_is_always_data(tmp_path: Path) -> None:
    path = tmp_path / "config.jsonl"
    path.write_text('{"name": "demo", "version": "1.0.0"}\n', encoding="utf-8")
    assert reason(str(path)) is None
    code, out, _ = cli("lint", path, "--isolated", "--format", "json", "--jobs", "1")
    assert code == 1 and "FMT006" in {f["rule"] for f in json.loads(out)["findings"]}


@needs_datasets
@pytest.mark.parametrize("name", ["clinc150/data_full.json", "clinc150/domains.json", "banking77/categories.json",
                                  "llama_factory/dataset_info.json", "oasst1_zh/dataset_info.json"])
def test_real_non_data_json(name: str) -> None:
    assert reason(str(DATASETS / name)) is not None


@needs_datasets
def test_real_datasets_are_not_skipped() -> None:
    files = [p for p in sorted(DATASETS.rglob("*.json*")) if p.name != "dataset_info.json"
             and p.parent.name not in ("clinc150", "banking77")]
    assert len(files) > 15
    assert [p for p in files if reason(str(p)) is not None] == []


@needs_datasets
def test_real_dataset_repository_lints_only_its_data(tmp_path: Path) -> None:
    """LLaMA-Factory's data/ as committed: its registry is skipped, its datasets linted."""
    for name in ("dataset_info.json", "identity.json"):
        shutil.copyfile(DATASETS / "llama_factory" / name, tmp_path / name)
    code, out, err = cli("lint", tmp_path / "dataset_info.json", tmp_path / "identity.json", "--isolated",
                         "--format", "json", "--jobs", "1", "--select", "FMT,CNT001")
    report = json.loads(out)
    assert "skipping" in err and str(tmp_path / "dataset_info.json") in err
    assert {f["file"] for f in report["findings"]} == {str(tmp_path / "identity.json")}  # its {{name}} placeholders
