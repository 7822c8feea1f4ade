#!/usr/bin/env python3
"""Benchmark `ftdata lint` against the orjson parse floor of the same file, in one run.

    python benchmarks/bench_lint.py                  # full default lint: 10k, 100k and 1M records
    python benchmarks/bench_lint.py -- --ignore duplicates --ignore balance --ignore style   # issue 2 checks (5x)
    python benchmarks/bench_lint.py --sizes 10000 100000 --repeat 3

Corpora come from ../shared/bench/make_corpus.py (real text, planted duplicates) and are cached
in --workdir. For each size it prints wall time, records/s, peak RSS of the lint process, the
parse floor (read + orjson.loads of every line, best of --repeat) and the ratio lint / floor.
Not a test: targets live here, in the output, not in the test suite.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"
TARGET_RATIO = 5.0  # issue 2: format, volume and length checks within 5x the parse floor at 1M records
ISSUE2_IGNORES = {"duplicates", "balance", "style"}  # the categories --ignore'd for TARGET_RATIO
FULL_TARGET_RATIO = 15.0  # issue 3: the full default lint, duplicates included, within 15x


def corpus(n: int, workdir: Path) -> Path:
    path = workdir / f"bench_{n}.jsonl"
    if not path.exists():
        if not MAKE_CORPUS.exists():
            sys.exit(f"cannot build corpora: {MAKE_CORPUS} is missing (it lives in ../shared)")
        subprocess.run([sys.executable, str(MAKE_CORPUS), "--n", str(n), "--out", str(path)], check=True)
    return path


def parse_floor(path: Path) -> float:
    start = time.perf_counter()
    loads = orjson.loads
    with open(path, "rb") as f:
        for line in f:
            loads(line)
    return time.perf_counter() - start


def run_lint(path: Path, extra: list[str]) -> tuple[float, int, int, bytes]:
    """Wall seconds, peak RSS in MiB (largest single process), exit code and JSON report of one
    `ftdata lint`."""
    cmd = [sys.executable, "-m", "ftdata.cli", "lint", str(path), "--format", "json", *extra]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status), out


def recall(path: Path, report: bytes) -> str:
    """Share of the duplicates make_corpus.py planted (OUT.truth.json) that the report flags by
    the rule meant for them: an exact copy by DUP001, a near copy (whitespace, case, punctuation
    or a dropped character) by DUP002 or DUP003."""
    truth_path = Path(str(path) + ".truth.json")
    if not truth_path.exists() or not report:
        return "-"
    truth = orjson.loads(truth_path.read_bytes())
    findings = orjson.loads(report)["findings"]
    parts = []
    for key, label, rules in (("exact_duplicate_of", "exact", ("DUP001",)),
                              ("near_duplicate_of", "near", ("DUP002", "DUP003"))):
        flagged = {f["line"] for f in findings if f["rule"] in rules}
        lines = {int(k) for k in truth.get(key, {})}
        if lines:
            parts.append(f"{label} {len(lines & flagged) / len(lines):.1%}")
    return ", ".join(parts) or "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")))
    ap.add_argument("--repeat", type=int, default=2, help="runs per size; the best is reported")
    ap.add_argument("lint_args", nargs="*", help="extra arguments for ftdata lint (after --)")
    a = ap.parse_args()
    print(f"{'records':>9} {'MB':>7} {'floor s':>8} {'lint s':>8} {'records/s':>11} {'x floor':>8} "
          f"{'peak MiB':>9} {'exit':>4}  recall of planted duplicates")
    for n in a.sizes:
        path = corpus(n, a.workdir)
        floor = min(parse_floor(path) for _ in range(a.repeat))
        runs = [run_lint(path, a.lint_args) for _ in range(a.repeat)]
        wall, rss, code, report = min(runs, key=lambda r: r[0])
        ratio = wall / floor
        target = TARGET_RATIO if ISSUE2_IGNORES <= set(a.lint_args) else FULL_TARGET_RATIO
        flag = "" if n < 1_000_000 or ratio <= target else f"  (over the {target:g}x target)"
        print(f"{n:>9,} {path.stat().st_size / 1e6:>7.1f} {floor:>8.2f} {wall:>8.2f} {n / wall:>11,.0f} "
              f"{ratio:>8.2f} {max(r[1] for r in runs):>9,} {code:>4}  {recall(path, report)}{flag}")


if __name__ == "__main__":
    main()
