"""The long hostile-input campaign: the property suite at random, many examples per property,
every distinct failure recorded (the smallest input of each) instead of stopping at the first.

    python tests/hostile/campaign.py [--examples 5000] [--out /tmp/fuzz_repro] [-k EXPR]
    python tests/hostile/campaign.py --summary --out /tmp/fuzz_repro   # the tally of a past run
    python tests/hostile/campaign.py --replay --out /tmp/fuzz_repro    # which reproducers still fail

It runs `FTDATA_FUZZ_EXAMPLES=N FTDATA_FUZZ_RECORD=OUT pytest tests/test_hostile_props.py`, then
prints the number of generated inputs checked (per property) and the distinct failures by area,
each with its reproducer file and command."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(examples: int, out: Path, select: str | None) -> int:
    env = {**os.environ, "FTDATA_FUZZ_EXAMPLES": str(examples), "FTDATA_FUZZ_RECORD": str(out)}
    env.pop("FTDATA_DEBUG", None)
    args = [sys.executable, "-m", "pytest", str(ROOT / "tests" / "test_hostile_props.py"), "-q", "-p",
            "no:cacheprovider"]
    if select:
        args += ["-k", select]
    return subprocess.call(args, cwd=ROOT, env=env)


def summary(out: Path) -> dict[str, object]:
    counts: Counter[str] = Counter()
    for f in out.glob("counts-*.json"):
        counts.update(json.loads(f.read_text(encoding="utf-8")))
    failures = [json.loads(f.read_text(encoding="utf-8")) for f in sorted(out.glob("*.meta.json"))]
    return {"inputs": sum(counts.values()), "per_property": dict(sorted(counts.items())),
            "failures": sorted(failures, key=lambda m: (m["area"], m["signature"]))}


def replay(out: Path) -> list[tuple[str, str, bool]]:
    """(signature, reproducer, still failing) for each recorded failure, run once more as recorded."""
    sys.path.insert(0, str(ROOT / "tests"))
    os.environ.pop("FTDATA_FUZZ_RECORD", None)
    from hostile import checks
    from hostile.strategies import Sample

    checks.RECORD = ""
    results = []
    for meta in summary(out)["failures"]:  # type: ignore[union-attr]
        path = Path(meta["reproducer"])
        sample = Sample(path.read_bytes(), path.name.split(".input", 1)[1], meta["how"])
        prop = meta["property"]
        try:
            if prop.startswith("dedupe"):
                checks.check_dedupe(sample)
            elif prop.startswith("api"):
                checks.check_api(sample)
            else:
                for fmt in checks.FORMATS:
                    checks.check_lint(sample, fmt, twice=prop == "determinism")
            failing = False
        except AssertionError:
            failing = True
        results.append((meta["signature"], str(path), failing))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=5000, help="examples per property (default 5000)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/fuzz_repro"), help="where failures are recorded")
    parser.add_argument("-k", dest="select", default=None, help="only the properties pytest -k selects")
    parser.add_argument("--summary", action="store_true", help="only print the tally of a past run")
    parser.add_argument("--replay", action="store_true", help="run each recorded reproducer again")
    a = parser.parse_args()
    if a.replay:
        for sig, path, failing in replay(a.out):
            print(f"{'STILL FAILS' if failing else 'fixed      '}  {sig}  ({path})")
        return
    if not a.summary:
        a.out.mkdir(parents=True, exist_ok=True)
        run(a.examples, a.out, a.select)
    s = summary(a.out)
    print(f"\n{s['inputs']:,} generated inputs checked")
    for prop, n in s["per_property"].items():  # type: ignore[union-attr]
        print(f"  {prop:<20} {n:,}")
    failures = s["failures"]
    print(f"{len(failures)} distinct failures")  # type: ignore[arg-type]
    for m in failures:  # type: ignore[union-attr]
        print(f"  [{m['area']}] x{m['count']}  {m['signature']}\n      {m['command']}")


if __name__ == "__main__":
    main()
