"""Hostile inputs that fell between areas: a key holding a lone surrogate, and an EOFError that
click turns into a silent Abort."""
from __future__ import annotations

from pathlib import Path

import pytest

import ftdata
from independent import cli


def test_a_key_holding_a_lone_surrogate_is_an_unknown_key_not_an_unvalidated_record(tmp_path: Path) -> None:
    """The schema validator cannot take a lone surrogate (valid JSON): the record was reported as
    'cannot be validated' (FMT015) instead of judged; now its structure is judged as shown."""
    path = tmp_path / "k.jsonl"
    path.write_text('{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}], '
                    '"\\ud800note": 1}\n', encoding="utf-8")
    rules = {f.rule: f for f in ftdata.lint(str(path), select=("FMT",), jobs=1).findings}
    assert "FMT015" not in rules
    assert rules["FMT011"].pointer == "/\\ud800note" and rules["FMT011"].line == 1


def test_an_abort_says_why_in_one_sentence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """click turns an EOFError (a reader's) or Ctrl-C into Abort, which exited 2 without a word."""
    import ftdata.engine

    def cut(*args: object, **kwargs: object) -> None:
        raise EOFError("Compressed file ended before the end-of-stream marker was reached")

    monkeypatch.setattr(ftdata.engine, "lint_paths", cut)
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "x"}\n', encoding="utf-8")
    code, _, err = cli("lint", path, "--isolated")
    assert code == 2
    # (click writes a newline first, so the sentence starts its own line after a ^C)
    assert err.strip().startswith("ftdata: error: stopped before the end") and err.strip().count("\n") == 0
