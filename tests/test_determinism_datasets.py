"""The same input gives the same report: the JSON report of every shared dataset is byte-identical
under two PYTHONHASHSEED values and two worker counts (issue 15). One child process per setting
lints every file in process, so the sweep costs two interpreter starts, not two per file."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from independent import DATASETS, needs_datasets

SUFFIXES = (".jsonl", ".json", ".gz")
LINT_ALL = """
import gc, sys
from ftdata.cli import _run
out = sys.argv[1]
for i, path in enumerate(sys.argv[3:]):
    code = _run(["lint", path, "--isolated", "--format", "json", "--jobs", sys.argv[2], "-o", f"{out}/{i}.json"])
    gc.enable()  # lint turns it off for rendering, expecting the process to end
    print(code)
"""


def _sweep(files: list[str], out: Path, seed: str, jobs: str) -> list[str]:
    out.mkdir()
    run = subprocess.run([sys.executable, "-c", LINT_ALL, str(out), jobs, *files], capture_output=True, text=True,
                         env={**os.environ, "PYTHONHASHSEED": seed}, timeout=1200)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout.split()


@needs_datasets
def test_every_shared_dataset_gives_one_report_whatever_the_hash_seed_and_workers(tmp_path: Path) -> None:
    files = sorted(str(p) for p in DATASETS.rglob("*") if p.is_file() and p.name.endswith(SUFFIXES)
                   and p.name != "dataset_info.json")
    assert len(files) >= 20
    codes_a = _sweep(files, tmp_path / "a", "1", "1")
    codes_b = _sweep(files, tmp_path / "b", "2", "2")
    assert codes_a == codes_b and set(codes_a) <= {"0", "1", "2"}
    differ = [f for i, f in enumerate(files)
              if (tmp_path / "a" / f"{i}.json").read_bytes() != (tmp_path / "b" / f"{i}.json").read_bytes()]
    assert differ == []
