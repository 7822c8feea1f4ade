"""Rules one hop away: a rule's first sentence, its order in listings, the path of its source,
and its generated page in docs/rules/ (one per built-in rule, from the registry and docstrings,
so the pages cannot drift from `ftdata rule CODE`; tests/test_rule_docs.py fails when they are stale).

    python -m ftdata.rule_docs docs/rules      # regenerate the pages
"""
from __future__ import annotations

import inspect
import os
import re
import sys
from typing import Any, Iterable

import ftdata

# the end of a sentence: a full stop not part of "e.g.", "i.e.", "etc." or "vs.", before a space
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bvs)[.!?](?=[)\"'”’]?(?:\s|$))")
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(ftdata.__file__)))  # the folder holding ftdata/


def summary(doc: str) -> str:
    """A check's documentation's first sentence, whole (over several lines if it runs on)."""
    paragraph = " ".join(doc.split("\n\n")[0].split())
    end = _SENTENCE_END.search(paragraph)
    return paragraph[:end.end()] if end else paragraph


def in_order(checks: Iterable[type[Any]]) -> list[type[Any]]:
    """Checks by category, in the pipeline order of model.CATEGORIES (a plugin's own categories
    after, by name), then by code prefix and number (FMT041 before FMT042, X9 before X10)."""
    from ftdata.model import CATEGORIES

    def key(c: type[Any]) -> tuple[int, str, str, int, str]:
        m = re.fullmatch(r"([A-Za-z]+)(\d+)", c.code)
        prefix, number = (m.group(1), int(m.group(2))) if m else (c.code, 0)
        rank = CATEGORIES.index(c.category) if c.category in CATEGORIES else len(CATEGORIES)
        return rank, c.category, prefix, number, c.code

    return sorted(checks, key=key)


def source(cls: type[Any]) -> str:
    """Where a rule is written: `ftdata/checks/format/record_too_large.py` for a built-in one (POSIX,
    from the repository root), the absolute path of a plugin's module."""
    path = os.path.abspath(inspect.getsourcefile(cls) or "")
    if path.startswith(_ROOT + os.sep):
        return os.path.relpath(path, _ROOT).replace(os.sep, "/")
    return path


def page(cls: type[Any]) -> str:
    """The Markdown page of one rule."""
    return (f"# {cls.code} {cls.name}\n\n"
            f"Category {cls.category}, {cls.severity.value} by default. Source: `{source(cls)}`.\n\n"
            f"{cls.doc()}\n")


def pages() -> dict[str, str]:
    """File name → content of every page of docs/rules/: one per built-in rule, and the index."""
    from ftdata.registry import BUILTIN

    checks = in_order(BUILTIN)
    out = {f"{c.code}.md": page(c) for c in checks}
    cells = [(c, summary(c.doc()).replace("|", "\\|")) for c in checks]  # a | would end the cell
    rows = "".join(f"| [{c.code}]({c.code}.md) | {c.name} | {c.category} | {c.severity.value} | {what} |\n"
                   for c, what in cells)
    out["README.md"] = ("# Rules\n\nGenerated from the registry and the rules' docstrings by "
                        "`python -m ftdata.rule_docs docs/rules`; `ftdata rule CODE` prints the same.\n\n"
                        "| code | name | category | severity | what it reports |\n|---|---|---|---|---|\n" + rows)
    return out


def write(folder: str) -> int:
    """Write the pages into `folder` (and remove pages of rules that are gone); how many were written."""
    os.makedirs(folder, exist_ok=True)
    wanted = pages()
    for name in os.listdir(folder):
        if name.endswith(".md") and name not in wanted:
            os.unlink(os.path.join(folder, name))
    for name, text in wanted.items():
        with open(os.path.join(folder, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    return len(wanted)


if __name__ == "__main__":
    print(f"wrote {write(sys.argv[1] if len(sys.argv) > 1 else 'docs/rules')} pages")
