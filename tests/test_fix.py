"""`ftdata lint --fix -o OUT`: each safe fix, the input untouched, every other line byte for byte,
whitespace left where it is syntax, usage errors, atomic output, and re-linting OUT clean."""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

import ftdata
from ftdata.curate.fix import CONTROL, EXAMPLES, MARKER, WHITESPACE, fix_file
from independent import DATASETS, cli, ftdata_command
from independent import chat_record as chat

BOM = b"\xef\xbb\xbf"


def line(record: Any) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fixed(src: Path, out: Path, **kw: Any) -> Any:
    """fix_file, asserting the input's bytes are the same afterwards and no temporary file is left."""
    before = digest(src)
    summary = fix_file(str(src), str(out), **kw)
    assert digest(src) == before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".ftdata-")]
    return summary


# -- each kind of fix --------------------------------------------------------------------------------
def test_openai_chat_control_whitespace_and_bom(tmp_path: Path) -> None:
    clean = line(chat("How do I boil an egg?", "Six minutes in simmering water."))
    dirty = chat("  How do I boil\x00 an egg?\n", "Six minutes\x07 in simmering water.", system="Be brief. ")
    src = tmp_path / "in.jsonl"
    src.write_bytes(BOM + clean + line(dirty).replace(b"\n", b"\r\n") + b"{not json\n" + b"\n" + clean
                    + line(chat("Caf\u00e9?", "Oui \u2014 bien s\u00fbr. ")).rstrip(b"\n"))
    out = tmp_path / "out.jsonl"
    summary = fixed(src, out)
    lines = out.read_bytes().split(b"\n")
    assert out.read_bytes()[:3] != BOM and summary.bom
    assert lines[0] + b"\n" == clean and lines[4] + b"\n" == clean  # untouched lines, byte for byte
    assert lines[2] == b"{not json" and lines[3] == b""  # copied through, never dropped
    assert lines[1].endswith(b"\r")  # a fixed line keeps its own line ending
    assert json.loads(lines[1]) == chat("How do I boil an egg?", "Six minutes in simmering water.", system="Be brief.")
    assert list(json.loads(lines[1])["messages"][0]) == ["role", "content"]  # key order kept
    assert lines[5].decode("utf-8") == (  # orjson, non-ASCII kept; no newline added where the input had none
        '{"messages":[{"role":"user","content":"Café?"},{"role":"assistant","content":"Oui — bien sûr."}]}')
    assert summary.records == 5 and [f.line for f in summary.examples] == [2, 6]
    assert dict(summary.examples[0].values) == {"/messages/0/content": (WHITESPACE,),
                                             "/messages/1/content": (CONTROL, WHITESPACE),
                                             "/messages/2/content": (CONTROL,)}
    assert summary.kinds == {CONTROL: 2, WHITESPACE: 3}
    assert summary.describe() == ("fixed 4 values in 2 records (2 with control characters, 3 with surrounding "
                                  "whitespace) and removed the byte-order mark")


def test_alpaca_json_array_markers(tmp_path: Path) -> None:
    records = [
        {"instruction": "Name a colour.", "input": "<noinput>", "output": "Blue."},
        {"instruction": "Add the numbers.", "input": "2 and 3", "output": "5"},
        {"instruction": "Greet me.", "input": "N/A", "output": "Hello!", "system": "None"},
        {"input": "<noinput>", "output": "Blue."},  # the input is the only user turn: emptying it loses the turn
        {"instruction": "Say hi.", "input": " No input. ", "output": "Hi \x01"},
    ]
    src = tmp_path / "alpaca.json"
    src.write_text(json.dumps(records, indent=2, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out.json"
    summary = fixed(src, out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("[\n  {\n    \"instruction\"") and text.endswith("\n]")  # ends as the input ends
    got = json.loads(text)
    assert got[0] == {"instruction": "Name a colour.", "input": "", "output": "Blue."}
    assert got[1] == records[1] and got[3] == records[3]
    assert got[2] == {"instruction": "Greet me.", "input": "", "output": "Hello!", "system": ""}
    assert got[4] == {"instruction": "Say hi.", "input": "", "output": "Hi"}
    assert list(summary.fixed) == [f.record_index for f in summary.examples] == [0, 2, 4]
    assert dict(summary.examples[2].values) == {"/input": (WHITESPACE, MARKER), "/output": (CONTROL, WHITESPACE)}
    assert summary.kinds[MARKER] == 4


def test_gzip_in_and_out(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl.gz"
    good = line(chat("Hi", "Hello"))
    src.write_bytes(gzip.compress(good + line(chat("Hi ", "Hello"))))
    summary = fixed(src, tmp_path / "out.jsonl.gz")
    assert gzip.decompress((tmp_path / "out.jsonl.gz").read_bytes()) == good + good.replace(b", ", b",").replace(
        b": ", b":")
    assert summary.values == 1
    fixed(src, tmp_path / "plain.jsonl")  # the output's name decides, not the input's
    assert (tmp_path / "plain.jsonl").read_bytes()[:2] != b"\x1f\x8b"


def test_nothing_to_fix_is_a_byte_copy(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(line(chat("Hi", "Hello")) * 3 + b"\n" + b"[1, 2]\n" + b'{"unknown": "  x  "}\n')
    summary = fixed(src, tmp_path / "out.jsonl")
    assert (tmp_path / "out.jsonl").read_bytes() == src.read_bytes()
    assert not summary.fixed and not summary.bom and summary.describe() == "nothing to fix in 5 records"


def test_a_line_that_is_not_utf8_is_copied_not_mended(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(line(chat("Hi ", "Yo"))[:-3] + b"\xff\"}]}\n")  # valid JSON but for one byte
    summary = fixed(src, tmp_path / "out.jsonl")
    assert (tmp_path / "out.jsonl").read_bytes() == src.read_bytes()
    assert summary.records == 1 and summary.describe() == "nothing to fix in 1 record"


# -- whitespace that is syntax, fields that must not become empty ------------------------------------
def test_hh_rlhf_whitespace_untouched(tmp_path: Path) -> None:
    plain = {"chosen": "\n\nHuman: Hi there \n\nAssistant: Hello ",
             "rejected": "\n\nHuman: Hi there \n\nAssistant: Go."}
    control = {"chosen": "\n\nHuman: Hi\x00 \n\nAssistant: Hello ", "rejected": "\n\nHuman: Hi \n\nAssistant: No. "}
    src = tmp_path / "hh.jsonl"
    src.write_bytes(line(plain) + line(control))
    summary = fixed(src, tmp_path / "out.jsonl")
    lines = (tmp_path / "out.jsonl").read_bytes().splitlines(keepends=True)
    assert lines[0] == line(plain)
    assert json.loads(lines[1]) == {**control, "chosen": "\n\nHuman: Hi \n\nAssistant: Hello "}
    assert [f.values for f in summary.examples] == [(("/chosen", (CONTROL,)),)]


@pytest.mark.parametrize("record", [
    {"prompt": "The sky is", "completion": " blue."},  # TRL standard: joined without a template
    {"prompt": "The sky is", "chosen": " blue.", "rejected": " green."},
    {"text": "  A pretraining document.\n"},
    chat("   ", "Hello"),  # whitespace only: empty-turn's to report, not ours to empty
    chat("\x00", "Hello"),  # control characters only: likewise
    chat("Fix this:\n\n    x = 1\n    y = 2", "    x = 1\n    y = 2\n"),  # a code answer's indentation
])
def test_whitespace_that_is_syntax_or_content_stays(tmp_path: Path, record: dict[str, Any]) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(line(record))
    summary = fixed(src, tmp_path / "out.jsonl")
    got = json.loads((tmp_path / "out.jsonl").read_bytes())
    if record.get("messages", [{}])[-1].get("content", "").endswith("\n"):  # the code answer: trailing newline only
        assert got["messages"][1]["content"] == "    x = 1\n    y = 2" and got["messages"][0] == record["messages"][0]
        assert [f.values for f in summary.examples] == [(("/messages/1/content", (WHITESPACE,)),)]
    else:
        assert got == record and not summary.fixed


def test_message_list_sides_are_trimmed(tmp_path: Path) -> None:
    record = {"prompt": [{"role": "user", "content": "Hi "}], "completion": [{"role": "assistant", "content": " Yo"}]}
    src = tmp_path / "in.jsonl"
    src.write_bytes(line(record))
    fixed(src, tmp_path / "out.jsonl")
    got = json.loads((tmp_path / "out.jsonl").read_bytes())
    assert (got["prompt"][0]["content"], got["completion"][0]["content"]) == ("Hi", "Yo")


def test_content_parts_and_other_formats(tmp_path: Path) -> None:
    parts = {"messages": [
        {"role": "user", "content": [{"type": "text", "text": " Hi\x00 "},
                                     {"type": "image_url", "image_url": {"url": "u"}}]},
        {"role": "assistant", "content": [{"type": "text", "text": "a "}, {"type": "text", "text": " b\x07"}]}]}
    vertex = {"contents": [{"role": "user", "parts": [{"text": "Hi "}]}, {"role": "model", "parts": [{"text": "Yo"}]}]}
    bedrock = {"system": "<noinput>", **chat("Hi", "Yo")}
    sharegpt = {"system": "N/A", "conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Yo "}]}
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"".join(line(r) for r in (parts, vertex, bedrock, sharegpt)))
    summary = fixed(src, tmp_path / "out.jsonl")
    got = [json.loads(x) for x in (tmp_path / "out.jsonl").read_bytes().splitlines()]
    assert got[0]["messages"][0]["content"][0]["text"] == "Hi"  # the turn's only text part: trimmed
    assert [p["text"] for p in got[0]["messages"][1]["content"]] == ["a ", " b"]  # one of two: control only
    assert got[1]["contents"][0]["parts"][0]["text"] == "Hi"
    assert got[2] == bedrock  # Bedrock keeps an empty system turn: emptying it would create an empty turn
    assert got[3]["system"] == "" and got[3]["conversations"][1]["value"] == "Yo"
    assert list(summary.fixed) == [0, 1, 3]


def test_lenient_json_is_kept_lenient(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"messages": [{"role": "user", "content": "Hi "}, {"role": "assistant", "content": "Yo"}],'
                    b' "score": NaN, "big": 123456789012345678901234567890, "half": "\\ud800"}\n')
    fixed(src, tmp_path / "out.jsonl")
    out = (tmp_path / "out.jsonl").read_bytes()
    assert b"NaN" in out and b"123456789012345678901234567890" in out and b'"Hi"' in out
    assert b'"\\ud800"' in out  # a lone surrogate can only be written escaped


def test_fixed_problems_are_gone_on_relint(tmp_path: Path) -> None:
    records = [{"instruction": f"Name colour number {i}.", "input": "<noinput>" if i % 3 == 0 else "",
                "output": f"Colour {i} is a shade of blue number {i}." + ("\x07" if i % 5 == 0 else "")}
               for i in range(30)]
    src = tmp_path / "in.jsonl"
    src.write_bytes(BOM + b"".join(line(r) for r in records))
    out = tmp_path / "out.jsonl"
    fixed(src, out)
    before = {f.rule for f in ftdata.lint(str(src), jobs=1).findings}
    after = {f.rule for f in ftdata.lint(str(out), jobs=1).findings}
    fixable = {"CNT002", "CNT008", "FMT003"}  # empty-input marker, encoding damage (control), byte-order mark
    assert fixable <= before
    assert not fixable & after
    assert after <= before  # no fix creates a problem


# -- atomic output and refusals ----------------------------------------------------------------------
def test_existing_output_replaced_only_on_success(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_bytes(b"old")
    broken = tmp_path / "broken.json"
    broken.write_text('[{"instruction": "Hi ", "output": "Yo"},\n {"instruction": "x", "output": ', encoding="utf-8")
    with pytest.raises(ValueError, match="not valid JSON"):
        fixed(broken, out)
    assert out.read_bytes() == b"old"
    broken.write_bytes(b'[{"instruction": "Hi ", "output": "Yo \xff"}]')
    with pytest.raises(ValueError, match="not valid UTF-8"):
        fixed(broken, out)
    assert out.read_bytes() == b"old"
    good = tmp_path / "good.json"
    good.write_text('[{"instruction": "Hi ", "output": "Yo"}]', encoding="utf-8")
    fixed(good, out)
    assert json.loads(out.read_bytes()) == [{"instruction": "Hi", "output": "Yo"}]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.json", "good.json", "out.json"]


def test_api_refuses_to_overwrite_the_input(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(line(chat("Hi ", "Yo")))
    (tmp_path / "link.jsonl").symlink_to(src)
    for target in (src, tmp_path / "." / "in.jsonl", tmp_path / "link.jsonl"):
        with pytest.raises(ValueError, match="refusing to overwrite the input"):
            fix_file(str(src), str(target))
    assert src.read_bytes() == line(chat("Hi ", "Yo"))


# -- the command line --------------------------------------------------------------------------------
def test_cli_reports_the_input_and_writes_the_fix(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"".join(line(chat(f"Question {i}? ", f"Answer number {i}.")) for i in range(12)))
    before = digest(src)
    # with --format, -o would be the report's: the fixed data needs --fix-output (test_workflow_fix.py)
    code, out, err = cli("lint", src, "--fix", "--fix-output", tmp_path / "out.jsonl", "--format", "json",
                         "--jobs", "1")
    assert digest(src) == before
    report = json.loads(out)
    assert report["summary"]["examples"] == 12 and code == report["exit_code"]
    assert err == f"fixed 12 values in 12 records (12 with surrounding whitespace): wrote {tmp_path / 'out.jsonl'}\n"
    code, _, err = cli("lint", tmp_path / "out.jsonl", "--fix", "-o", tmp_path / "again.jsonl", "--jobs", "1")
    assert err == f"nothing to fix in 12 records: wrote a copy to {tmp_path / 'again.jsonl'}\n"
    assert (tmp_path / "again.jsonl").read_bytes() == (tmp_path / "out.jsonl").read_bytes()


IN = "{tmp}/in.jsonl"
BAD_INVOCATIONS = {
    "fix without -o": ([IN, "--fix"], "needs -o PATH"),
    "--fix-output without fix": ([IN, "--fix-output", "{tmp}/out.jsonl"], "add --fix"),
    "output is the input": ([IN, "--fix", "-o", IN], "refusing to overwrite the input"),
    "output is the input, spelt otherwise": ([IN, "--fix", "-o", "{tmp}/./in.jsonl"],
                                             "refusing to overwrite the input"),
    "output is the eval file": ([IN, "--fix", "-o", "{tmp}/eval.jsonl", "--eval", "{tmp}/eval.jsonl"],
                                "refusing to overwrite the input"),
    "several inputs": ([IN, "{tmp}/eval.jsonl", "--fix", "-o", "{tmp}/out.jsonl"], "one input"),
    "stdin": (["-", "--fix", "-o", "{tmp}/out.jsonl"], "needs a regular file"),
    "missing folder": ([IN, "--fix", "-o", "{tmp}/no/out.jsonl"], "does not exist"),
    "output is a directory": ([IN, "--fix", "-o", "{tmp}"], "is a directory"),
    "output is stdout": ([IN, "--fix", "-o", "-"], "not '-'"),
    "output is empty": ([IN, "--fix", "-o", ""], "give a path"),
}


@pytest.mark.parametrize("args, expected", list(BAD_INVOCATIONS.values()), ids=list(BAD_INVOCATIONS))
def test_bad_invocations_exit_2(tmp_path: Path, args: list[str], expected: str) -> None:
    for name in ("in.jsonl", "eval.jsonl"):
        (tmp_path / name).write_bytes(line(chat("Hi ", "Yo")))
    code, out, err = cli("lint", *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert code == 2 and out == ""  # refused before linting: no report precedes the error
    assert err.startswith("ftdata: error: ") and expected in err and len(err.splitlines()) == 1
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eval.jsonl", "in.jsonl"]


def test_installed_command_exit_codes(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(line(chat("Hi ", "Yo")))
    cmd = ftdata_command()
    env = {k: v for k, v in os.environ.items() if k != "FTDATA_DEBUG"}
    p = subprocess.run([*cmd, "lint", str(src), "--fix", "-o", str(src)], capture_output=True, timeout=120, env=env)
    assert p.returncode == 2 and p.stdout == b"" and len(p.stderr.decode().splitlines()) == 1
    p = subprocess.run([*cmd, "lint", str(src), "--fix", "-o", str(tmp_path / "out.jsonl"), "--jobs", "1"],
                       capture_output=True, timeout=120, env=env)
    assert p.returncode in (0, 1) and p.stderr.decode().startswith("fixed 1 value in 1 record")
    assert json.loads((tmp_path / "out.jsonl").read_bytes()) == chat("Hi", "Yo")


def test_broken_json_array_is_an_io_error(tmp_path: Path) -> None:
    src = tmp_path / "broken.json"
    src.write_text('[{"instruction": "Hi ", "output": "Yo"},\n {"instruction": ', encoding="utf-8")
    code, _, err = cli("lint", src, "--fix", "-o", tmp_path / "out.json", "--jobs", "1")
    assert code == 2 and err.startswith("ftdata: error: cannot fix") and len(err.splitlines()) == 1
    assert not (tmp_path / "out.json").exists()


# -- real data ---------------------------------------------------------------------------------------
ALPACA = DATASETS / "llama_factory" / "alpaca_en_demo.json"


@pytest.mark.skipif(not ALPACA.exists(), reason="../shared/datasets is absent")
def test_real_alpaca_markers_emptied_and_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "alpaca.json"
    summary = fixed(ALPACA, out)
    original = json.loads(ALPACA.read_bytes())
    got = json.loads(out.read_bytes())
    assert len(got) == len(original)
    changed = {i for i, (a, b) in enumerate(zip(original, got)) if a != b}
    by_line = {f.line: f.record_index for f in summary.examples}
    assert {182, 922, 1827, 2572} <= set(by_line)
    assert changed == set(by_line.values())
    for i in changed:
        assert original[i]["input"].strip() and got[i]["input"] == ""
        assert {**got[i], "input": original[i]["input"]} == original[i]  # nothing else in the record
    named = {original[by_line[n]]["input"] for n in (182, 922, 1827, 2572)}
    assert named == {"No input.", "noinput", "Noinput", "No input"}
    # re-serialised the way the file was written: only the emptied inputs differ, line for line
    old_lines, new_lines = ALPACA.read_text(encoding="utf-8").splitlines(), out.read_text(encoding="utf-8").splitlines()
    assert len(old_lines) == len(new_lines)
    assert sum(a != b for a, b in zip(old_lines, new_lines)) == len(changed)


def test_pretty_printed_objects_stay_a_sequence(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    src.write_text(json.dumps(chat("Hi ", "Yo"), indent=2) + "\n" + json.dumps(chat("Hi", "Yo"), indent=2) + "\n",
                   encoding="utf-8")
    summary = fixed(src, tmp_path / "out.json")
    text = (tmp_path / "out.json").read_text(encoding="utf-8")
    assert text == json.dumps(chat("Hi", "Yo"), indent=2) + "\n" + json.dumps(chat("Hi", "Yo"), indent=2) + "\n"
    assert summary.records == 2 and summary.values == 1


def test_summary_keeps_counts_of_all_and_details_of_the_first(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"".join(line(chat(f"Question {i} ", "Answer.")) for i in range(EXAMPLES + 50)))
    summary = fixed(src, tmp_path / "out.jsonl")
    assert list(summary.fixed) == list(range(EXAMPLES + 50)) and summary.values == EXAMPLES + 50
    assert len(summary.examples) == EXAMPLES and summary.examples[-1].record_index == EXAMPLES - 1
