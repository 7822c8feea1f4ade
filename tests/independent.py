"""What the tests compare ftdata with, written independently of it and shared by the test
modules: the documented text normalisation and similarity measures, real data as chat records,
and the helpers every test module would otherwise write again (the report schema, JSON Lines
and chat records, the installed command and the command line in process, one rule's findings, a style profile,
the skip guards for ../shared/datasets). The helpers that run ftdata import it when called."""
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


def dataset_file(name: str) -> Path:
    """A file of ../shared/datasets; the calling test is skipped when it is absent."""
    path = DATASETS / name
    if not path.is_file():
        pytest.skip(f"{name} is absent")
    return path


def ftdata_command() -> list[str]:
    """The installed `ftdata` (next to this Python, else on PATH), else the module run directly."""
    exe = Path(sys.executable).parent / "ftdata"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("ftdata")
    return [found] if found else [sys.executable, "-c", "from ftdata.cli import main; main()"]


def cli(*args: Any) -> tuple[int, str, str]:
    """The command line in process, through the entry point's own exit-code mapping: (exit code,
    stdout, stderr)."""
    import gc

    from click.testing import CliRunner

    from ftdata.cli import _run

    with CliRunner().isolation() as (out, err, _):
        code = _run([str(a) for a in args])
    gc.enable()  # lint disables it for rendering, expecting the process to end
    return code, out.getvalue().decode(), err.getvalue().decode()


def findings(path: Path | str, codes: str, **options: Any) -> list[Any]:
    """ftdata.lint's findings (in one process) of the rules `codes`, comma-separated."""
    import ftdata

    return [f for f in ftdata.lint(str(path), jobs=1, **options).findings if f.rule in codes.split(",")]


def flagged_lines(path: Path, rows: list[Any], code: str) -> list[int]:
    """The sorted lines of rule `code`'s findings (selected alone) on `rows` written as JSON Lines."""
    return sorted(f.line or 0 for f in findings(write_jsonl(path, rows), code, select=(code,)))


def style_values(text: str) -> dict[str, str]:
    """ftdata.style's profile of `text` (stripped) decoded: feature name -> value label."""
    from ftdata import style

    code, _ = style.profile(text.strip())
    return {f.name: f.values[(code >> shift) & ((1 << f.bits) - 1)] for f, shift in zip(style.FEATURES, style.SHIFTS)}


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


def tool_chat(i: int, name: str, tools: list[Any]) -> dict[str, Any]:
    """One OpenAI function-calling record offering `tools`: order `i` handled by one call of `name`."""
    call = {"id": f"c{i}", "type": "function", "function": {"name": name, "arguments": json.dumps({"order_id": str(i)})}}
    return {"tools": tools, "messages": [
        {"role": "user", "content": f"Please handle order {i}."}, {"role": "assistant", "tool_calls": [call]},
        {"role": "tool", "tool_call_id": f"c{i}", "content": "ok"}, {"role": "assistant", "content": "Done."}]}


# ten unrelated support questions: a set for a few records under test to stand among
FILLER = [chat_record(f"What is the order status code for ticket {i}?", f"Status code {i * 7} applies to ticket {i}.")
          for i in range(10)]


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
