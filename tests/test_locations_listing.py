"""`ftdata rules` in a stable, meaningful order with whole summaries; `--statistics` on a clean run;
JUnit that stays green when the run passes with warnings."""
from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from typing import Any

from click.testing import CliRunner

from ftdata.cli import cli
from ftdata.model import CATEGORIES
from ftdata.registry import all_checks
from independent import ROOT, ftdata_command

IDENTITY = ROOT / "sample_datasets" / "identity_alpaca.json"  # real: placeholders (warnings), no errors


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _key(code: str) -> tuple[str, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", code)
    assert m
    return m.group(1), int(m.group(2))


def test_rules_by_category_then_code() -> None:
    rules = json.loads(invoke("rules", "--format", "json").stdout)
    ranks = [CATEGORIES.index(r["category"]) for r in rules]
    assert ranks == sorted(ranks)
    for category in CATEGORIES:
        codes = [r["code"] for r in rules if r["category"] == category]
        assert codes == sorted(codes, key=_key)
    order = [r["code"] for r in rules]
    assert order.index("FMT041") < order.index("FMT042")
    content = [c for c in order if c.startswith("CNT")]
    assert content == sorted(content, key=_key)  # CNT004 ... CNT012, not registry order


def test_rules_wrap_whole_sentences() -> None:
    # at the narrowest width, whatever the terminal running the tests (`ftdata rules` fills a wider one)
    text = CliRunner().invoke(cli, ["rules"], env={"COLUMNS": "100"}, catch_exceptions=False).stdout
    rows: dict[str, str] = {}
    code = ""
    for line in text.splitlines():
        if line and not line[0].isspace():
            code = line.split()[0]
            rows[code] = line
        else:
            rows[code] += " " + line.strip()
    assert set(rows) == {c.code for c in all_checks()}
    for c in all_checks():
        summary = rows[c.code].split(f" {c.severity.value} ", 1)[1].strip()
        assert summary.endswith((".", ".)", '."')), summary  # never cut mid-sentence
        assert " ".join(c.doc().split()).startswith(summary)
    # DUP001's first sentence runs past the first line of its docstring: it is shown whole
    assert rows["DUP001"].endswith("(same canonical JSON: key order and spacing do not matter).")
    assert max(len(line) for line in text.splitlines()) <= 100


def test_statistics_says_no_findings() -> None:
    p = subprocess.run([*ftdata_command(), "lint", str(IDENTITY), "--isolated", "--select", "FMT001",
                        "--statistics"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0
    assert p.stdout == "no findings: 0 errors, 0 warnings, 0 infos in 91 examples\n"


def test_junit_is_green_when_the_run_passes_with_warnings() -> None:
    p = subprocess.run([*ftdata_command(), "lint", str(IDENTITY), "--isolated", "--format", "junit"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0  # placeholders are warnings
    root = ET.fromstring(p.stdout)
    assert int(root.get("tests") or 0) > 1 and root.get("failures") == "0"
    assert [c.findtext("system-out", "").split(":")[0] for c in root.iter("testcase")
            if c.get("name", "").startswith("CNT001")][:1] == ["warning"]
