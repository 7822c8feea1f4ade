"""Rules one hop away (issue 15): `ftdata rule CODE` names the rule's source file, and docs/rules/
holds one generated page per built-in rule that must match the registry and the docstrings."""
from __future__ import annotations

from pathlib import Path

from ftdata.registry import BUILTIN
from ftdata.rule_docs import pages
from independent import ROOT, cli

PAGES = ROOT / "docs" / "rules"


def test_the_rule_pages_are_fresh() -> None:
    """Regenerate with `python -m ftdata.rule_docs docs/rules` after changing a rule's docstring,
    name, severity or the registry."""
    wanted = pages()
    present = {p.name: p.read_text(encoding="utf-8") for p in PAGES.glob("*.md")}
    assert sorted(present) == sorted(wanted), "pages missing or left over: python -m ftdata.rule_docs docs/rules"
    stale = [name for name, text in wanted.items() if present[name] != text]
    assert stale == [], f"stale pages {stale}: python -m ftdata.rule_docs docs/rules"
    assert len(wanted) == len(BUILTIN) + 1


def test_rule_prints_the_path_of_its_source() -> None:
    code, out, _ = cli("rule", "personal-data")
    assert code == 0
    path = out.strip().splitlines()[-1].removeprefix("Source: ")
    assert path == "ftdata/checks/content/personal_data.py" and (ROOT / path).is_file()
    assert "class PersonalData" in (ROOT / path).read_text(encoding="utf-8")


def test_every_page_names_a_source_that_holds_its_rule() -> None:
    for cls in BUILTIN:
        text = (PAGES / f"{cls.code}.md").read_text(encoding="utf-8")
        source = text.split("Source: `", 1)[1].split("`", 1)[0]
        assert f"class {cls.__name__}" in Path(ROOT / source).read_text(encoding="utf-8"), cls.code
