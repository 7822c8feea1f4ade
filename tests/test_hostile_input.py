"""Huge, endless and damaged inputs (issue 14, defects 8 and 9): a record over the size cap is
reported and skipped (bounded memory), a damaged gzip is linted up to the damage, endless
devices are refused, and an endless line stops the reading instead of filling memory.

Real excerpts come from ../shared/datasets (LIMA's long answers, HH-RLHF's gzip file); the
tests skip cleanly without them."""
from __future__ import annotations

import gzip
import io
import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import ftdata
from ftdata import engine, fingerprint, tokens
from ftdata.io.json_values import iter_json_located
from ftdata.io.readers import Oversized, bounded_lines

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"
LIMA = SHARED / "lima" / "lima.json"
HH = SHARED / "hh_rlhf" / "harmless-base" / "test.jsonl.gz"
OASST_ZH = SHARED / "oasst1_zh" / "oaast_sft_zh.json"
CAP = 1 << 16  # a small cap, so that a test record over it stays small


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is missing (../shared is not in a user's clone)")
    return path


def lima(n: int) -> list[dict[str, Any]]:
    return json.loads(need(LIMA).read_text(encoding="utf-8"))[:n]


def huge(record: dict[str, Any], size: int) -> dict[str, Any]:
    """The record with its answer repeated to about `size` bytes (a dump pasted into one record)."""
    out = dict(record)
    out["output"] = (record["output"] + "\n\n") * (size // len(record["output"].encode()) + 1)
    return out


def rule_findings(report: Any, code: str) -> list[Any]:
    return [f for f in report.findings if f.rule == code]


def run(*args: str, limit: int | None = 1 << 30, **kw: Any) -> subprocess.CompletedProcess[str]:
    """The CLI in a child whose address space is capped: unbounded growth fails instead of swapping."""
    def cap() -> None:
        if limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return subprocess.run([sys.executable, "-m", "ftdata.cli", *args], capture_output=True, text=True,
                          preexec_fn=cap, timeout=120, check=False, **kw)


# -- records over the cap ------------------------------------------------------------------------
def test_a_huge_line_is_reported_with_its_size_and_the_rest_is_linted(tmp_path: Path) -> None:
    records = lima(8)
    records[3] = huge(records[3], 3 * CAP)
    p = tmp_path / "train.jsonl"
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    size = len(p.read_bytes().split(b"\n")[3])
    report = ftdata.lint(str(p), jobs=1, max_record_bytes=CAP)
    [found] = rule_findings(report, "FMT008")
    assert (found.line, found.record_index) == (4, 3)
    assert f"{size:,} bytes" in found.message and "not checked" in found.message
    result = report.results[0]
    assert (result.records, result.examples) == (8, 7)  # still a record, not an example
    assert not any(f.record_index == 3 for f in report.findings if f.rule != "FMT008")


def test_a_huge_array_element_is_reported_where_it_starts(tmp_path: Path) -> None:
    records = lima(6)
    records[2] = huge(records[2], 3 * CAP)
    p = tmp_path / "train.json"
    p.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")
    report = ftdata.lint(str(p), jobs=1, max_record_bytes=CAP)
    [found] = rule_findings(report, "FMT008")
    starts = [item[0] for item in iter_json_located(io.BytesIO(p.read_bytes()))]
    assert (found.line, found.record_index, found.column) == (starts[2], 2, 3)
    assert (report.results[0].records, report.results[0].examples) == (6, 5)
    assert not rule_findings(report, "FMT001")  # the elements after it are read as usual


def test_the_array_reader_skips_any_value_over_the_cap_at_any_window() -> None:
    """Strings with escapes, nesting and multi-byte text, cut by windows of every size: each value
    comes whole or as an Oversized at the same place, never an invalid-json problem."""
    records = lima(5) + [{"a": ['q"\\\n', {"b": "中文" * 40}], "c": [1, -2.5e3, True, None]}]
    data = json.dumps(records, ensure_ascii=False, indent=1).encode()
    whole = list(iter_json_located(io.BytesIO(data)))
    for chunk in (1, 7, 64, 1000):
        for cap in (100, 2000, 3000):  # 64 x the cap is over every element: none is endless
            items = list(iter_json_located(io.BytesIO(data), chunk, cap))
            assert len(items) == len(whole)
            for got, want in zip(items, whole):
                if isinstance(got, Oversized):
                    assert (got.line, got.column) == (want[0], want[2]) and got.size > cap
                else:
                    assert got == want


def test_bounded_lines_never_hold_a_line_over_the_cap() -> None:
    data = b'{"a": 1}\n' + b"x" * 100 + b'\n{"b": 2}\n' + b"0" * 5000
    lines = list(bounded_lines(io.BytesIO(data), 20))
    assert lines[0] == b'{"a": 1}\n' and lines[2] == b'{"b": 2}\n'
    assert lines[1] == Oversized(100, 101)
    assert lines[3].ended is False  # 5,000 bytes without an end: over 64 x the cap, reading stops


def test_jobs_do_not_change_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records = lima(40)
    for i in (5, 17, 33):
        records[i] = huge(records[i], 2 * CAP)
    p = tmp_path / "train.jsonl"
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    gz = tmp_path / "cut.jsonl.gz"
    packed = gzip.compress(p.read_bytes(), mtime=0)
    gz.write_bytes(packed[: len(packed) * 2 // 3])
    monkeypatch.setattr(engine, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(engine, "CHUNK_BYTES", 20_000)  # many chunks, some holding a huge record
    for path in (p, gz):
        one, two = (ftdata.lint(str(path), jobs=j, max_record_bytes=CAP) for j in (1, 2))
        key = [(f.rule, f.line, f.record_index, f.message) for f in one.findings]
        assert key == [(f.rule, f.line, f.record_index, f.message) for f in two.findings]
        assert one.results[0].records == two.results[0].records
    assert len(rule_findings(one, "FMT009")) == 1


@pytest.mark.skipif(sys.platform != "linux", reason="/proc/self/status VmHWM in KiB: Linux")
def test_a_20_mib_record_costs_no_more_than_a_few_times_its_size(tmp_path: Path) -> None:
    """Before: 1.1 GB of memory for a 20 MB record; now it is skipped, read in blocks."""
    p = tmp_path / "big.jsonl"
    small = json.dumps({"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]})
    big = json.dumps({"messages": [{"role": "user", "content": "Say a."},
                                   {"role": "assistant", "content": "a" * (20 << 20)}]})
    p.write_text(f"{small}\n{big}\n{small}\n", encoding="utf-8")
    probe = ("import sys; from ftdata.cli import _run; "
             "rc = _run(['lint', sys.argv[1], '--isolated', '--format', 'json', '--jobs', '1', '-o', sys.argv[2]]); "
             # the peak of this process's own memory: ru_maxrss would carry over the parent's peak
             # (Linux keeps it across fork and exec), so a long test session would fail this test
             "print(rc, next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:')))")
    r = subprocess.run([sys.executable, "-c", probe, str(p), str(tmp_path / "out.json")], capture_output=True,
                       text=True, timeout=300, check=False)
    rc, peak_kib = map(int, r.stdout.split())
    assert rc == 1
    assert peak_kib < 450 * 1024, f"{peak_kib / 1024:.0f} MiB"  # about 150 MiB of it is Python and the tokenizer
    report = json.loads((tmp_path / "out.json").read_text())
    assert [f["line"] for f in report["findings"] if f["rule"] == "FMT008"] == [2]


# -- cheaper work on long texts below the cap ---------------------------------------------------
@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base"])
def test_long_texts_are_counted_exactly_in_pieces(name: str) -> None:
    english = "\n\n".join(r["output"] for r in lima(60))
    chinese = "".join(r["output"] for r in json.loads(need(OASST_ZH).read_text(encoding="utf-8"))[:80])
    enc = tokens.encoding(name)
    for text in (english * 3, chinese * 4, "a" * 70_000 + english, english + "\ud800 lone" * 9000):
        assert len(text) > tokens.LONG_TEXT
        assert tokens._count_long(enc, text) == len(enc.encode_ordinary(text))


def test_long_text_normalises_as_short_text_does(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "\n\n".join(r["output"] for r in lima(30)) + " \t\x0b\x0c end"
    wide = text + " Ünïcödé ｆｕｌｌ\u3000width"  # the non-ASCII path
    want = [fingerprint.normalise(text), fingerprint.normalise(wide)]
    monkeypatch.setattr(fingerprint, "COLLAPSE_BLOCK", 100)
    assert [fingerprint.normalise(text), fingerprint.normalise(wide)] == want


# -- damaged gzip -------------------------------------------------------------------------------
def hh_lines(n: int) -> list[bytes]:
    return gzip.decompress(need(HH).read_bytes()).split(b"\n")[:n]


def test_a_truncated_gzip_lints_the_records_before_the_damage(tmp_path: Path) -> None:
    packed = need(HH).read_bytes()
    p = tmp_path / "test.jsonl.gz"
    p.write_bytes(packed[: len(packed) // 2])
    whole = gzip.decompress(packed)
    r = run("lint", str(p), "--isolated", "--format", "json")
    assert r.returncode == 1, r.stderr
    report = json.loads(r.stdout)
    [found] = [f for f in report["findings"] if f["rule"] == "FMT009"]
    examples = report["stats"]["files"][0]["examples"]
    assert found["line"] == examples + 1 and 100 < examples < whole.count(b"\n")
    assert "ends early" in found["message"] and "missing" in found["message"]


def test_a_truncated_gzip_of_a_json_array(tmp_path: Path) -> None:
    records = lima(40)
    packed = gzip.compress(json.dumps(records, ensure_ascii=False, indent=2).encode(), mtime=0)
    p = tmp_path / "lima.json.gz"
    p.write_bytes(packed[: len(packed) // 2])
    r = run("lint", str(p), "--isolated", "--format", "json")
    assert r.returncode == 1, r.stderr
    report = json.loads(r.stdout)
    rules = [f["rule"] for f in report["findings"]]
    assert rules.count("FMT009") == 1 and "FMT001" not in rules  # the cut element is no syntax error
    assert 5 < report["stats"]["files"][0]["examples"] < 40


def test_a_corrupt_deflate_block(tmp_path: Path) -> None:
    data = b"\n".join(hh_lines(200)) + b"\n"
    packed = bytearray(gzip.compress(data, mtime=0))
    packed[len(packed) // 2:len(packed) // 2 + 16] = b"\xff" * 16
    p = tmp_path / "test.jsonl.gz"
    p.write_bytes(bytes(packed))
    r = run("lint", str(p), "--isolated", "--format", "json")
    assert r.returncode == 1, r.stderr
    [found] = [f for f in json.loads(r.stdout)["findings"] if f["rule"] == "FMT009"]
    assert "corrupt" in found["message"]


def test_dedupe_still_refuses_a_broken_gzip(tmp_path: Path) -> None:
    packed = need(HH).read_bytes()
    p = tmp_path / "test.jsonl.gz"
    p.write_bytes(packed[: len(packed) // 2])
    out = tmp_path / "out.jsonl"
    r = run("dedupe", str(p), "-o", str(out))
    assert r.returncode == 2 and "cannot read" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()


def test_a_gzip_with_nothing_readable_is_still_unreadable(tmp_path: Path) -> None:
    p = tmp_path / "x.jsonl.gz"
    p.write_bytes(gzip.compress(b'{"text": "hello"}\n' * 10)[:10])  # the header, no data
    r = run("lint", str(p))
    assert r.returncode == 2 and "x.jsonl.gz" in r.stderr


# -- endless inputs -----------------------------------------------------------------------------
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_endless_devices_are_refused_quickly(device: str, tmp_path: Path) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    for args in (("lint", device), ("show", device, "1")):
        r = run(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert "never ends" in r.stderr and "Traceback" not in r.stderr
    r = run("dedupe", device, "-o", str(tmp_path / "out.jsonl"))  # it needs a regular file anyway
    assert r.returncode == 2 and "Traceback" not in r.stderr and not (tmp_path / "out.jsonl").exists()
    with open(device, "rb") as f:
        r = run("lint", "-", stdin=f)
    assert r.returncode == 2 and "never ends" in r.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_an_endless_pipe_without_newlines_is_bounded(tmp_path: Path) -> None:
    fifo = tmp_path / "zeros"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"cat /dev/zero > '{fifo}'"], stderr=subprocess.DEVNULL)
    probe = ("import sys, ftdata; r = ftdata.lint(sys.argv[1], jobs=1, max_record_bytes=1 << 16); "
             "print([(f.rule, f.line) for f in r.findings if f.rule.startswith('FMT')]); print(r.findings[0].message)")
    try:
        r = subprocess.run([sys.executable, "-c", probe, str(fifo)], capture_output=True, text=True, timeout=120,
                           preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)), check=False)
    finally:
        writer.kill()
        writer.wait()
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "[('FMT008', 1)]" and "reading stopped" in r.stdout


def test_pipes_and_dev_stdin_still_work() -> None:
    line = json.dumps({"messages": [{"role": "user", "content": "What is 2+2?"},
                                    {"role": "assistant", "content": "4."}]}) + "\n"
    for path in ("-", "/dev/stdin"):
        r = run("lint", path, "--isolated", "--format", "json", input=line * 12)
        assert r.returncode in (0, 1), r.stderr
        assert json.loads(r.stdout)["stats"]["files"][0]["examples"] == 12
