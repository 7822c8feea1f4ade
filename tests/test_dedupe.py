"""`ftdata dedupe`: nothing lost (output + rejects == input), the input untouched, atomic output."""
from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import ftdata
from ftdata.curate.dedupe import dedupe, rejects_path
from independent import DATASETS, needs_datasets, write_jsonl
from independent import chat_record as rec

BASE = [
    rec("How do I reset my password on the mobile app?", "Open Settings, tap Security, then Reset password."),
    rec("What currencies can I hold in my account?", "Pounds, euros and US dollars, switchable at any time in the app."),
    rec("Can I freeze my card if I misplaced it?", "Yes. Tap your card in the app and choose Freeze; unfreeze it when found."),
    rec("How long does a new card take to arrive?", "A new card usually arrives within three to five working days of ordering."),
]


def _sample(tmp_path: Path) -> Path:
    near = rec("Can I freeze my card if I misplaced it?", "Yes. Tap your card in the app and choose Freeze; unfreeze it when found!")
    longer = rec("What currencies can I hold in my account?",
                 "Pounds, euros and US dollars, switchable at any time in the app.")
    return write_jsonl(tmp_path / "in.jsonl", [BASE[0], BASE[1], BASE[0], BASE[2], near, BASE[3], longer,
                                               "{not json", ""])


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_nothing_is_lost_and_the_input_is_untouched(tmp_path: Path) -> None:
    src = _sample(tmp_path)
    before, mtime = src.read_bytes(), src.stat().st_mtime_ns
    out = tmp_path / "out.jsonl"
    result = dedupe(str(src), str(out))
    assert src.read_bytes() == before and src.stat().st_mtime_ns == mtime
    kept, rejects = _lines(out), [json.loads(x) for x in _lines(Path(rejects_path(str(out))))]
    # every input line is either in the output (verbatim; the blank line too) or a rejected record
    assert sorted(kept + [json.dumps(r["record"]) for r in rejects]) == sorted(_lines(src))
    assert {r["line"] for r in rejects} == {3, 5, 7}
    by_line = {r["line"]: r for r in rejects}
    assert by_line[3]["reason"] == "exact-duplicate" and by_line[3]["matched"]["line"] == 1
    assert by_line[5]["reason"] == "normalized-duplicate" and by_line[5]["matched"]["line"] == 4
    assert by_line[7]["reason"] == "exact-duplicate" and by_line[7]["matched"]["line"] == 2
    assert result.kept == len([x for x in kept if x.strip()]) == 5  # the output holds the kept records
    assert "{not json" in kept  # what is not a duplicate record is kept, even if broken


def test_near_duplicates_by_edits_are_dropped_with_their_measure(tmp_path: Path) -> None:
    """A one-line typo (same answer) and a near-identical answer (same prompt) are near
    duplicates by edits; the rejects say how the similarity was measured."""
    typo = rec("How do I reset my pasword on the mobile app?", BASE[0]["messages"][1]["content"])
    answer = rec(BASE[1]["messages"][0]["content"], "Pounds, euros and US dollars, switchable any time in the app.")
    src = write_jsonl(tmp_path / "in.jsonl", BASE + [typo, answer])
    out = tmp_path / "out.jsonl"
    dedupe(str(src), str(out))
    rejects = {r["line"]: r for r in (json.loads(x) for x in _lines(Path(rejects_path(str(out)))))}
    assert rejects[5]["reason"] == "near-duplicate" and rejects[5]["matched"]["line"] == 1
    assert rejects[5]["measure"] == "prompt-edits" and rejects[5]["similarity"] >= 0.9
    assert rejects[6]["matched"]["line"] == 2 and rejects[6]["measure"] == "answer-edits"
    assert [json.loads(x) for x in _lines(out)] == BASE


def test_a_copy_of_a_dropped_near_duplicate_goes_too(tmp_path: Path) -> None:
    """A normalised copy of a member matched by edits goes with it (linting the output finds
    nothing more), reported against the record it copies."""
    rows = [rec("Cna I get a refund?", "Yes."), rec("Can I get a refund?", "Yes."), rec("can i get a refund", "yes")]
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out.jsonl"
    dedupe(str(src), str(out))
    rejects = {r["line"]: r for r in (json.loads(x) for x in _lines(Path(rejects_path(str(out)))))}
    assert [json.loads(x) for x in _lines(out)] == rows[:1]
    assert rejects[2]["reason"] == "near-duplicate" and rejects[2]["measure"] == "prompt-edits"
    assert rejects[3]["reason"] == "normalized-duplicate" and rejects[3]["matched"]["line"] == 2
    assert not [f for f in ftdata.lint(str(out)).findings if f.category == "duplicates"]


def test_keep_longest_keeps_the_longest_member(tmp_path: Path) -> None:
    short = rec("Where is my refund?", "Refunds take five days.")
    long = rec("Where is my refund?", "Refunds take five days.!!")  # same text once normalised, longer
    src = write_jsonl(tmp_path / "in.jsonl", [short, long, BASE[0]])
    out = tmp_path / "out.jsonl"
    dedupe(str(src), str(out), keep="longest")
    assert [json.loads(x) for x in _lines(out)] == [long, BASE[0]]
    (reject,) = [json.loads(x) for x in _lines(Path(rejects_path(str(out))))]
    assert reject["line"] == 1 and reject["matched"]["line"] == 2


def test_exact_only_keeps_near_duplicates(tmp_path: Path) -> None:
    a = rec("Summarise the meeting notes for the product launch in three bullet points please.",
            "The launch moves to May, marketing needs the final copy by Friday, and QA signs off next week.")
    b = rec("Summarise the meeting notes for the product launch in three bullet points please.",
            "The launch moves to May, marketing needs the final copy by Friday, and QA signs off next week!")
    c = rec("Summarise the meeting notes for the product launch in three bullet point please.",
            "The launch moves to May, marketing needs the final copy by Friday, and QA signs off next week.")
    src = write_jsonl(tmp_path / "in.jsonl", [a, b, c])
    out = tmp_path / "out.jsonl"
    assert {d.reason for d in dedupe(str(src), str(out)).dropped} == {"normalized-duplicate", "near-duplicate"}
    assert [d.reason for d in dedupe(str(src), str(out), near=False).dropped] == ["normalized-duplicate"]


def test_against_drops_only_what_the_other_file_has(tmp_path: Path) -> None:
    existing = write_jsonl(tmp_path / "train.jsonl", [BASE[0], BASE[3]])
    src = write_jsonl(tmp_path / "new.jsonl", [BASE[1], BASE[0], BASE[1], BASE[3], BASE[2]])
    out = tmp_path / "out.jsonl"
    result = dedupe(str(src), str(out), against=str(existing))
    assert sorted(d.record_index for d in result.dropped) == [1, 3]
    assert [json.loads(x) for x in _lines(out)] == [BASE[1], BASE[1], BASE[2]]  # its own copies stay
    matched = {json.loads(x)["matched"]["file"] for x in _lines(Path(rejects_path(str(out))))}
    assert matched == {str(existing)}


def test_json_arrays_and_gzip_keep_their_container(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    src.write_text(json.dumps([BASE[0], BASE[1], BASE[0]], indent=2), encoding="utf-8")
    out = tmp_path / "out.json"
    dedupe(str(src), str(out))
    assert json.loads(out.read_text(encoding="utf-8")) == [BASE[0], BASE[1]]
    gz = tmp_path / "in.jsonl.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as f:
        f.write("\n".join(json.dumps(r) for r in [BASE[2], BASE[2], BASE[3]]) + "\n")
    out_gz = tmp_path / "out.jsonl.gz"
    dedupe(str(gz), str(out_gz))
    with gzip.open(out_gz, "rt", encoding="utf-8") as f:
        assert [json.loads(x) for x in f] == [BASE[2], BASE[3]]


def test_cli_refuses_to_overwrite_the_input(tmp_path: Path) -> None:
    src = _sample(tmp_path)
    before = src.read_bytes()
    run = subprocess.run([sys.executable, "-m", "ftdata.cli", "dedupe", str(src), "-o", str(src)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 2 and run.stderr.startswith("ftdata: error:") and "Traceback" not in run.stderr
    assert src.read_bytes() == before
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".ftdata-")]  # no temporary file left


def test_cli_summary(tmp_path: Path) -> None:
    src = _sample(tmp_path)
    run = subprocess.run([sys.executable, "-m", "ftdata.cli", "dedupe", str(src), "-o", str(tmp_path / "o.jsonl")],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    # 8 records: seven objects and an invalid line (kept); the blank line is not a record
    assert "kept 5 of 8 records" in run.stdout and "2 exact-duplicate" in run.stdout


@needs_datasets
def test_round_trip_on_real_data(tmp_path: Path) -> None:
    src = DATASETS / "llama_factory" / "alpaca_en_demo.json"
    out = tmp_path / "alpaca.json"
    result = dedupe(str(src), str(out))
    kept = json.loads(out.read_text(encoding="utf-8"))
    rejects = [json.loads(x) for x in _lines(Path(rejects_path(str(out))))]
    original = json.loads(src.read_text(encoding="utf-8"))
    assert len(kept) + len(rejects) == len(original) == result.records
    assert len(rejects) == 14 and all(r["reason"] == "exact-duplicate" for r in rejects)
    key = lambda r: json.dumps(r, sort_keys=True)  # noqa: E731
    assert sorted(map(key, kept + [r["record"] for r in rejects])) == sorted(map(key, original))


# -- regressions found in review -------------------------------------------------------------------
def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ftdata.cli", *args], capture_output=True, text=True, check=False)


def test_prompt_only_records_are_not_all_one_text(tmp_path: Path) -> None:
    topics = ["the sea", "a city at night", "old trains", "winter birds", "a kitchen", "mountains",
              "lost keys", "rain on glass", "a chess game", "bees", "a lighthouse", "first snow"]
    src = write_jsonl(tmp_path / "p.jsonl", [{"prompt": f"Write a haiku about {t}."} for t in topics])
    assert dedupe(str(src), str(tmp_path / "o.jsonl")).dropped == []


def test_turns_after_the_final_answer_count(tmp_path: Path) -> None:
    def conv(last: str) -> dict[str, object]:
        return {"messages": [{"role": "user", "content": "Book me a flight to the coast next Friday."},
                             {"role": "assistant", "content": "Which airport?"},
                             {"role": "user", "content": last}]}
    src = write_jsonl(tmp_path / "t.jsonl", [conv("London Heathrow"), conv("Paris CDG, please, economy class")])
    assert dedupe(str(src), str(tmp_path / "o.jsonl")).dropped == []


def test_dedupe_refuses_streams_and_broken_arrays(tmp_path: Path) -> None:
    src = _sample(tmp_path)
    run = subprocess.run(f"cat '{src}' | {sys.executable} -m ftdata.cli dedupe - -o '{tmp_path / 'o.jsonl'}'",
                         shell=True, capture_output=True, text=True, check=False)
    assert run.returncode == 2 and "regular file" in run.stderr and not (tmp_path / "o.jsonl").exists()
    broken = tmp_path / "b.json"
    one = json.dumps(BASE[0])
    broken.write_text(f"[{one},\n{one},\n{{\"messages\": oops}},\n{json.dumps(BASE[1])}]", encoding="utf-8")
    run = _cli("dedupe", str(broken), "-o", str(tmp_path / "b.out.json"))
    assert run.returncode == 2 and "not valid JSON at line 3" in run.stderr
    assert not (tmp_path / "b.out.json").exists()


def test_rejects_keep_the_original_bytes(tmp_path: Path) -> None:
    line = '{"messages": [{"role": "user", "content": "Big number?"}, {"role": "assistant", "content": "x"}], "n": 1000000000000000000000000000000}'
    src = tmp_path / "n.jsonl"
    src.write_text(line + "\n" + line + "\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    dedupe(str(src), str(out))
    (reject,) = _lines(Path(rejects_path(str(out))))
    assert '"record":' + line in reject  # not re-encoded (no 1e+30)
    assert _lines(out) == [line]


def test_a_bom_before_a_blank_first_line_does_not_shift_records(tmp_path: Path) -> None:
    src = tmp_path / "bom.jsonl"
    r1, r2 = json.dumps(BASE[0]), json.dumps(BASE[1])
    src.write_bytes(b"\xef\xbb\xbf\n" + f"{r1}\n{r2}\n{r1}\n".encode())
    out = tmp_path / "o.jsonl"
    result = dedupe(str(src), str(out))
    assert [d.record_index for d in result.dropped] == [2]
    assert _lines(out)[1:] == [r1, r2]


def test_large_groups_of_copies_do_not_hide_a_near_copy(tmp_path: Path) -> None:
    x = rec("Please summarise our refund policy for customers in two sentences for the help page.",
            "Refunds are available within thirty days of purchase with a receipt, paid back to the original card.")
    y = rec("Please summarise our refund policy for customers in two sentences for the help page.",
            "Refunds are available within thirty days of purchase with a receipt, paid back to the original bank card.")
    src = write_jsonl(tmp_path / "g.jsonl", [x] * 70 + [y])
    reasons = [d.reason for d in dedupe(str(src), str(tmp_path / "o.jsonl")).dropped]
    assert reasons.count("exact-duplicate") == 69 and reasons.count("near-duplicate") == 1


def test_keep_longest_drops_only_what_is_near_the_kept_record(tmp_path: Path) -> None:
    a = rec("q", "alpha beta gamma delta epsilon zeta eta theta iota kappa")
    b = rec("q", "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu")
    c = rec("q", "xalpha beta gamma delta epsilon zeta eta theta iota")
    src = write_jsonl(tmp_path / "l.jsonl", [a, b, c])
    out = tmp_path / "o.jsonl"
    dropped = dedupe(str(src), str(out), keep="longest").dropped
    # b is kept (longest); a is near it and goes; c is near a (0.93) but not near b, so it stays
    assert [(d.record_index, d.matched_index) for d in dropped] == [(0, 1)]
    for d in dropped:
        assert d.similarity >= 0.8, d


def test_eval_cannot_be_a_training_file(tmp_path: Path) -> None:
    src = _sample(tmp_path)
    for spelled in (str(src), os.path.join(str(tmp_path), ".", "in.jsonl")):
        run = _cli("lint", str(src), "--eval", spelled)
        assert run.returncode == 2 and "also a training file" in run.stderr


def test_outputs_follow_the_umask(tmp_path: Path) -> None:
    src = _sample(tmp_path)
    out = tmp_path / "o.jsonl"
    old = os.umask(0o022)
    try:
        dedupe(str(src), str(out))
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644
    assert Path(rejects_path(str(out))).stat().st_mode & 0o777 == 0o644


def test_keep_is_meaningless_with_against(tmp_path: Path) -> None:
    src = _sample(tmp_path)
    run = _cli("dedupe", str(src), "-o", str(tmp_path / "o.jsonl"), "--against", str(src), "--keep", "longest")
    assert run.returncode == 2 and run.stderr.startswith("ftdata: error:")
