"""What the tests compare ftdata with, written independently of it and shared by the test
modules: the documented text normalisation and similarity measures, real data as chat records,
and the helpers every test module would otherwise write again (the report schema, JSON Lines
and chat records, the installed command, the skip guard for ../shared/datasets)."""
from __future__ import annotations

import csv
import gzip
import json
import re
import shutil
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import regex
from rapidfuzz.distance import Indel

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT.parent / "shared" / "datasets"  # real data; a user's clone has no ../shared
needs_datasets = pytest.mark.skipif(not DATASETS.is_dir(), reason="../shared/datasets is absent")
REPORT_SCHEMA: dict[str, Any] = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))


def ftdata_command() -> list[str]:
    """The installed `ftdata` (next to this Python, else on PATH), else the module run directly."""
    exe = Path(sys.executable).parent / "ftdata"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("ftdata")
    return [found] if found else [sys.executable, "-c", "from ftdata.cli import main; main()"]


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    """Records as JSON Lines (UTF-8, not escaped); a str row is written as it is (a line that
    is not JSON, say)."""
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def chat_record(user: str, answer: str, system: str | None = None, **extra: Any) -> dict[str, Any]:
    """One OpenAI chat record: an optional system turn, a question and its answer, then `extra` keys."""
    turns = ([{"role": "system", "content": system}] if system is not None else []) + [
        {"role": "user", "content": user}, {"role": "assistant", "content": answer}]
    return {"messages": turns, **extra}


def normalise(text: str) -> str:
    """What the rules document: apostrophes dropped, other punctuation and symbols turned into
    spaces, NFKC, case folded, whitespace collapsed."""
    symbols = regex.sub(r"[^\x00-\x7f\p{L}\p{M}\p{N}]", " ", re.sub("[\u2018\u2019\u02bc]", "", text))  # before NFKC
    folded = unicodedata.normalize("NFKC", symbols).casefold().replace("'", "")
    return " ".join(regex.sub(r"[^\p{L}\p{M}\p{N}_\s]", " ", folded).split())


def jaccard(a: str, b: str) -> float:
    """Jaccard similarity of the character 5-gram sets (of the UTF-8 bytes), as documented."""
    sa, sb = ({t[i:i + 5] for i in range(len(t) - 4)} for t in (a.encode(), b.encode()))
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


def edit_similarity(a: str, b: str) -> float:
    """1 - Indel distance / total length, of the UTF-8 bytes, as documented for edits."""
    x, y = a.encode(), b.encode()
    return 1 - Indel.distance(x, y) / (len(x) + len(y))


def banking(split: str) -> list[tuple[str, str]]:
    """banking77's (text, intent) rows of a split, from its CSV."""
    with open(DATASETS / "banking77" / f"{split}.csv", encoding="utf-8", newline="") as f:
        return [(r["text"], r["category"]) for r in csv.DictReader(f)]


def chat(rows: list[tuple[str, str]], path: Path) -> Path:
    """(question, answer) rows written as OpenAI chat JSON Lines."""
    return write_jsonl(path, [chat_record(text, label) for text, label in rows])


def read_text(name: str) -> str:
    path = DATASETS / name
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return f.read()
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def records_by_line(name: str) -> dict[int, tuple[int, Any]]:
    """start line -> (record index, record), found without ftdata's readers."""
    text = read_text(name)
    out: dict[int, tuple[int, Any]] = {}
    if text.lstrip().startswith("["):
        decoder = json.JSONDecoder()
        pos = text.index("[") + 1
        line = 1 + text.count("\n", 0, pos)
        index = 0
        while True:
            while text[pos] in " \t\r\n,":
                line += text[pos] == "\n"
                pos += 1
            if text[pos] == "]":
                return out
            value, end = decoder.raw_decode(text, pos)
            out[line] = (index, value)
            line += text.count("\n", pos, end)
            index += 1
            pos = end
    index = 0
    for n, line in enumerate(text.split("\n"), 1):
        if line.strip():
            out[n] = (index, json.loads(line))
            index += 1
    return out
