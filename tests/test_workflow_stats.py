"""Statistics and limits say what is true of the run: an evaluation set is not trained on (no
epochs, billed tokens or recommended size), and a per-example limit is credited to where it came
from (the model, a profile, --max-tokens, the configuration), never to a model nobody chose."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from ftdata.profiles import PROFILES
from ftdata.tokens import DEFAULT_MODEL, MODELS
from independent import REPORT_SCHEMA, chat_record, cli, write_jsonl


FILE_STATS = Draft202012Validator({"$ref": "#/$defs/file_stats", "$defs": REPORT_SCHEMA["$defs"]})


def chats(path: Path, n: int, offset: int = 0, long: int = 0) -> Path:
    """n short support answers; the first `long` of them about 1,500 tokens long."""
    rows = [chat_record(f"How do I reset the password of account {i + offset}?",
                        f"Open settings for account {i + offset}, choose Security, then Reset password."
                        + (" Then confirm the change by following the link in the email we send you." * 90
                           if i < long else "")) for i in range(n)]
    return write_jsonl(path, rows)


def test_eval_set_has_no_training_cost_or_size(tmp_path: Path) -> None:
    train, valid = chats(tmp_path / "train.jsonl", 60), chats(tmp_path / "valid.jsonl", 15, offset=1000)
    code, out, _ = cli("lint", train, "--eval", valid, "--isolated", "--format", "json", "--jobs", "1")
    report = json.loads(out)
    for st in report["stats"]["files"]:
        FILE_STATS.validate(st)
    by_role = {st["role"]: st for st in report["stats"]["files"]}
    assert {"training", "volume"} <= set(by_role["train"])
    assert "training" not in by_role["eval"] and "volume" not in by_role["eval"], by_role["eval"]
    assert by_role["eval"]["examples"] == 15 and by_role["eval"]["tokens"]["total"] > 0

    code, out, _ = cli("lint", train, "--eval", valid, "--isolated", "--jobs", "1")
    block = out[out.index(f"{valid} (evaluation set)"):].split("\n\n")[0]
    assert "tokens (" in block
    assert "epochs" not in block and "billed" not in block and "recommended" not in block, block
    train_block = out[out.index(f"{train}: "):].split("\n\n")[0]
    assert "epochs by default" in train_block and "recommended" in train_block


def test_schema_still_requires_training_stats_of_a_training_file(tmp_path: Path) -> None:
    code, out, _ = cli("lint", chats(tmp_path / "train.jsonl", 12), "--isolated", "--format", "json", "--jobs", "1")
    report = json.loads(out)
    st = report["stats"]["files"][0]
    FILE_STATS.validate(st)
    del st["training"]
    assert list(FILE_STATS.iter_errors(st))


def _len001(path: Path, *args: str) -> list[str]:
    code, out, _ = cli("lint", path, "--isolated", "--format", "json", "--jobs", "1", "--select", "LEN001", *args)
    return [f["message"] for f in json.loads(out)["findings"] if f["rule"] == "LEN001"]


@pytest.mark.parametrize("name", sorted(n for n, p in PROFILES.items() if p.max_tokens is not None))
def test_a_profiles_limit_is_the_profiles(tmp_path: Path, name: str) -> None:
    profile = PROFILES[name]
    path = chats(tmp_path / "train.jsonl", 3, long=1)
    if profile.max_tokens and profile.max_tokens > 10_000:  # vertex: a limit past any realistic fixture
        path = write_jsonl(tmp_path / "train.jsonl", [chat_record("Summarise.", "word " * (profile.max_tokens + 10))])
    messages = _len001(path, "--profile", name)
    assert messages, "the fixture is over the profile's limit"
    for m in messages:
        assert f"{profile.max_tokens:,}-token limit of the {name} profile" in m, m
        assert DEFAULT_MODEL not in m and "trains on" not in m, m  # it said "gpt-4o-mini trains on at most 1,024"


@pytest.mark.parametrize("args, words, credited", [
    ((), 70_000, f"{DEFAULT_MODEL} trains on at most {MODELS[DEFAULT_MODEL].limit:,}"),
    (("--model", "gpt-3.5-turbo-0613"), 5_000, "gpt-3.5-turbo-0613 trains on at most 4,096"),
    (("--max-tokens", "1000"), 1_500, "over the 1,000-token limit of --max-tokens"),
    (("--profile", "trl", "--max-tokens", "1200"), 1_500, "over the 1,200-token limit of --max-tokens"),
    (("--profile", "trl", "--model", "gpt-3.5-turbo-0613"), 5_000, "gpt-3.5-turbo-0613 trains on at most 4,096"),
    (("--profile", "openai", "--max-tokens", "1000"), 1_500, "over the 1,000-token limit of --max-tokens"),
])
def test_limit_is_credited_to_its_source(tmp_path: Path, args: tuple[str, ...], words: int, credited: str) -> None:
    path = write_jsonl(tmp_path / "train.jsonl", [chat_record("Summarise.", "word " * words)])
    messages = _len001(path, *args)
    assert messages and all(credited in m for m in messages), messages


def test_configured_limit_is_credited_to_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = chats(tmp_path / "train.jsonl", 3, long=1)
    (tmp_path / "ftdata.toml").write_text('profile = "trl"\nmax-tokens = 1100\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("lint", path, "--format", "json", "--jobs", "1", "--select", "LEN001")
    messages = [f["message"] for f in json.loads(out)["findings"]]
    assert messages and all("over the 1,100-token limit of max-tokens in ftdata.toml" in m for m in messages), messages


@pytest.mark.parametrize("args, credited, not_credited", [
    ((), "the provider requires at least 10 (OpenAI's minimum, the default)", None),
    (("--profile", "vertex"), "Vertex AI Gemini supervised tuning requires at least 16", None),
    # the user's minimum is not the profile's provider's (it said "Vertex AI ... requires at least 30")
    (("--profile", "vertex", "--min-examples-provider", "30"), "fewer than the provider minimum of 30", "Vertex"),
    (("--min-examples-provider", "5"), "fewer than the provider minimum of 5", "provider requires"),
])
def test_provider_minimum_is_credited_to_its_source(tmp_path: Path, args: tuple[str, ...], credited: str,
                                                     not_credited: str | None) -> None:
    path = chats(tmp_path / "train.jsonl", 3)
    code, out, _ = cli("lint", path, "--isolated", "--format", "json", "--jobs", "1", "--select", "VOL001", *args)
    messages = [f["message"] for f in json.loads(out)["findings"]]
    assert messages and all(credited in m for m in messages), messages
    assert not_credited is None or all(not_credited not in m for m in messages), messages
