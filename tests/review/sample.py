"""List findings of the reviewed files that have no label yet, with the text to judge them by.

    python tests/review/sample.py                  # every (file, rule) group, sampled
    python tests/review/sample.py --new-groups     # only groups with no label at all
    python tests/review/sample.py --files lima/lima.json --rules CNT003 -k 10

Sampling is deterministic: per (file, rule) group, the first K findings and K more drawn with
a seed made of the file and rule, so reruns on the same code list the same records. Each line
printed after `LABEL` is a labels.jsonl line to complete (defect true/false, why) and append.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402


def sample(keys: list[harness.Flag], k: int, file: str, rule: str) -> list[harness.Flag]:
    keys = sorted(keys, key=lambda f: (-1 if f.record_index is None else f.record_index))
    rest = keys[k:]
    drawn = random.Random(f"{file}|{rule}").sample(rest, min(k, len(rest)))
    return keys[:k] + sorted(drawn, key=lambda f: (-1 if f.record_index is None else f.record_index))


def show(record: object, width: int) -> str:
    text = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)
    return text if len(text) <= width else text[: width * 2 // 3] + " [...] " + text[-width // 3:]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-k", type=int, default=4, help="first K and K random per group (default 4)")
    ap.add_argument("--files", nargs="*", help="only these runs (paths relative to the datasets folder)")
    ap.add_argument("--rules", nargs="*", help="only these rule codes")
    ap.add_argument("--new-groups", action="store_true", help="only (file, rule) groups with no label")
    ap.add_argument("--width", type=int, default=900, help="characters of record text shown")
    args = ap.parse_args()
    if not harness.DATASETS.is_dir():
        sys.exit(f"{harness.DATASETS} is absent")
    labelled = {harness.Flag(x["file"], x["index"], x["rule"]) for x in harness.labels()} \
        if harness.LABELS.exists() else set()
    found = harness.lint_all(set(args.files) if args.files else None)
    groups: dict[tuple[str, str], list[harness.Flag]] = defaultdict(list)
    for key in found:
        if not args.rules or key.rule in args.rules:
            groups[(key.file, key.rule)].append(key)
    cache: dict[str, list[object]] = {}
    for (file, rule), keys in sorted(groups.items()):
        if args.new_groups and any(x.file == file and x.rule == rule for x in labelled):
            continue
        todo = [x for x in sample(keys, args.k, file, rule) if x not in labelled]
        if not todo:
            continue
        print(f"\n=== {file} {rule} ({len(keys)} findings, {len(todo)} to label)")
        for key in todo:
            d = found[key]
            print(f"--- #{key.record_index} {rule} {d['pointer']} :: {d['message']}")
            if key.record_index is not None:
                recs = cache.setdefault(file, harness.records(file))
                if 0 <= key.record_index < len(recs):
                    print("    " + show(recs[key.record_index], args.width))
            print("LABEL " + json.dumps({"file": file, "index": key.record_index, "rule": rule, "defect": None, "why": ""},
                                        ensure_ascii=False))


if __name__ == "__main__":
    main()
