"""The style profile of an answer, feature by feature, and the style rules on constructed sets."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import ftdata
from ftdata import style
from ftdata.checks.style._profile import LENGTH_RATIO
from independent import DATASETS
from independent import style_values as values


@pytest.mark.parametrize("text, feature, expected", [
    ("One line.", "layout", "one line"),
    ("Two\nlines.", "layout", "several lines"),
    ("Para one.\n\nPara two.", "layout", "paragraphs"),
    ("Intro:\n- a\n- b", "bullets", "'- '"),
    ("Intro:\n* a\n* b", "bullets", "'* '"),
    ("• a\n• b", "bullets", "'• '"),
    ("x = a - b", "bullets", "none"),
    ("Steps:\n1. open\n2. close", "numbered lists", "numbered list"),
    ("# Title\n\nText.", "headings", "markdown headings"),
    ("```python\n# a comment, not a heading\nx = 1\n```", "headings", "none"),
    ("```python\n- x\n```", "bullets", "none"),
    ("Use **this** one.", "bold", "**bold**"),
    ("y = x**2 + z**2", "bold", "none"),
    ("| a | b |\n|---|---|\n| 1 | 2 |", "tables", "markdown table"),
    ("a | b", "tables", "none"),
    ("Run:\n```bash\nls\n```", "code language", "named"),
    ("Run:\n```\nls\n```", "code language", "not named"),
    ("In ```git``` you have:\n\n* the ```HEAD``` pointer", "code fences", "none"),
    ("In ```git``` you have:\n\n* the ```HEAD``` pointer", "bullets", "'* '"),
    ("Plain text.", "code language", "n/a"),
    ("Sure! Here it is.", "opening", "'Sure'"),
    ("Surely not.", "opening", "none"),
    ("Certainly there is a link.", "opening", "none"),
    ("Certainly, there is a link.", "opening", "'Certainly'"),
    ("As an AI language model, I cannot.", "opening", "'As an AI'"),
    ("Hi! Welcome.", "opening", "a greeting"),
    ("High winds today.", "opening", "none"),
    ("Do this. I hope this helps!", "closing", "'I hope this helps'"),
    ("Let me know if it works.", "closing", "'Let me know'"),
    ("I think so.", "first person", "I/me/my"),
    ("It's my card.", "first person", "I/me/my"),
    ("Imagine a mine shaft.", "first person", "none"),
    ("THIS IS ALL CAPITALS.", "case", "all caps"),
    ("OK.", "case", "n/a"),
    ("this whole answer is in lower case.", "case", "all lower case"),
    ("starts low, then Goes up.", "case", "starts lower case"),
    ("Normal sentence.", "case", "sentence case"),
    ("Ends well.", "ending", "'.'"),
    ("Ends loudly!", "ending", "'!'"),
    ("Does it?", "ending", "'?'"),
    ('He said "done."', "ending", "'.'"),
    ("No punctuation", "ending", "no punctuation"),
    ("终于完成了。", "ending", "'.'"),
    ('He said "yes".', "quotes", "straight"),
    ("He said “yes”.", "quotes", "curly"),
    ("It’s \"mixed\".", "quotes", "mixed"),
    ("No quoting here.", "quotes", "n/a"),
    ("Great 🎉", "emoji", "emoji"),
    ("Done ✅", "emoji", "emoji"),
    ("Copyright © 2024 – all “rights”.", "emoji", "none"),
    ('{"a": 1, "b": 2}', "structure", "JSON object"),
    ("[1, 2]", "structure", "JSON array"),
    ('{"a": 1, "b": ', "structure", "broken JSON"),
    ("Plain prose.", "structure", "prose"),
    ("{{name}} is here to help.", "structure", "prose"),  # a template placeholder, not JSON
    ("[Verse 1]\nWalking down the road", "structure", "prose"),
    ("{'a': 1, 'b': 2}", "structure", "broken JSON"),  # single-quoted: a near miss
    ("<think>reason</think>The answer.", "reasoning", "leading <think> block"),
    ("<think>reason</think>", "reasoning", "<think> block only"),
    ("<think>\n</think>\nThe answer.", "reasoning", "empty <think> block"),
    ("<think>reason without end", "reasoning", "unclosed <think>"),
    ("The answer.<think>late</think>", "reasoning", "<think> not at start"),
    ("Plain.", "language", "unaccented Latin"),
    ("Ceci est une réponse en français, écrite pour vérifier la détection de la langue.", "language", "French"),
    ("这是一个用中文写的回答，用来检查语言检测是否正常工作。", "language", "Chinese"),
])
def test_profile_feature(text: str, feature: str, expected: str) -> None:
    assert values(text)[feature] == expected


def test_json_keys_hash_follows_names_and_order() -> None:
    ab, ba, ab2 = (style.profile(t)[1] for t in ('{"a": 1, "b": 2}', '{"b": 2, "a": 1}', '{"a": 3, "b": 4}'))
    assert ab == ab2 and ab != ba and ab != 0


def _reference_marks(text: str) -> dict[str, bool]:
    """Line by line, outside fenced code: a plainly written second opinion on the line markers."""
    fenced, found = False, {"headings": False, "bullets": False, "numbered lists": False}
    for line in text.strip().split("\n"):
        stripped = line.lstrip(" \t")
        indent = len(line) - len(stripped)
        if indent <= 3 and (stripped.rstrip() == "```" if fenced else
                            stripped.startswith("```") and "`" not in stripped[3:]):
            fenced = not fenced  # an opening fence's info string has no backticks
            continue
        if fenced or indent > 3:
            continue
        hashes = len(stripped) - len(stripped.lstrip("#"))
        if 1 <= hashes <= 6 and stripped[hashes:hashes + 1] in (" ", "\t"):
            found["headings"] = True
        if stripped[:1] in ("-", "*", "+", "•") and stripped[1:2] in (" ", "\t"):
            found["bullets"] = True
        if stripped[:2] in ("1.", "1)") and stripped[2:3] in (" ", "\t"):
            found["numbered lists"] = True
    return found


def test_line_markers_agree_with_a_line_by_line_reading_on_lima() -> None:
    path = DATASETS / "lima" / "lima.json"
    if not path.is_file():
        pytest.skip("../shared/datasets is absent")
    answers = [m.content for r in ftdata.records(str(path)) for m in r.messages if m.role == "assistant" and m.content.strip()]
    disagree = []
    for text in answers:
        got = values(text)
        mine = {k: got[k] != "none" for k in ("headings", "bullets", "numbered lists")}
        if mine != _reference_marks(text):
            disagree.append(text[:80])
    assert len(answers) > 1000 and not disagree, disagree[:5]


# -- the rules on constructed sets -------------------------------------------------------------------
QUESTIONS = [f"How do I do task number {i}?" for i in range(60)]
ANSWERS = [f"Task {i} is done from the settings page of the app." for i in range(60)]


def _write(path: Path, answers: list[str]) -> str:
    rows = [{"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]}
            for q, a in zip(QUESTIONS, answers)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def _style(report: ftdata.Report) -> list[tuple[int | None, str]]:
    return [(f.line, f.message) for f in report.findings if f.category == "style"]


def test_consistent_set_is_quiet_and_its_profile_is_in_the_stats(tmp_path: Path) -> None:
    report = ftdata.lint(_write(tmp_path / "a.jsonl", ANSWERS))
    assert _style(report) == []
    profile = report.stats["files"][0]["style"]
    assert profile["answers"] == 60
    assert profile["features"]["layout"] == {"convention": "one line", "share": 1.0, "of": "answers", "answers": 60,
                                             "values": {"one line": 60}}
    assert profile["features"]["language"]["convention"] == "English"  # plain ASCII resolved on a sample


def test_length_band_is_relative_to_the_median(tmp_path: Path) -> None:
    answers = list(ANSWERS)
    answers[7] = "Done."  # far under the median / LENGTH_RATIO
    answers[8] = " ".join([ANSWERS[8]] * int(LENGTH_RATIO * 1.5))
    found = _style(ftdata.lint(_write(tmp_path / "a.jsonl", answers), checks={"style-deviation": {"minor": True}}))
    assert (8, "length: much shorter, where 97% of answers have typical") in found
    assert (9, "length: much longer, where 97% of answers have typical") in found


def test_threshold_is_configurable(tmp_path: Path) -> None:
    answers = list(ANSWERS)
    for i in range(0, 60, 12):  # 5 of 60 (8%) end with '!': no convention at 95%, one at 90%
        answers[i] = answers[i][:-1] + "!"
    path = _write(tmp_path / "a.jsonl", answers)
    assert _style(ftdata.lint(path)) == []
    # a final '!' is harmless variation: it counts against the stricter share (min_strict_share) too
    assert _style(ftdata.lint(path, checks={"style-deviation": {"min_share": 0.9}})) == []
    loose = ftdata.lint(path, checks={"style-deviation": {"min_share": 0.9, "min_strict_share": 0.9, "minor": True}})
    assert [line for line, _ in _style(loose)] == [1, 13, 25, 37, 49]
    quiet = ftdata.lint(path, checks={"style-deviation": {"min_share": 0.9, "min_strict_share": 0.9, "minor": True,
                                                          "ignore_features": ["ending"]}})
    assert _style(quiet) == []


def test_deviation_in_a_later_assistant_turn_points_at_it(tmp_path: Path) -> None:
    rows = [{"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a},
                          {"role": "user", "content": "And then?"},
                          {"role": "assistant", "content": "SHOUTING THE SECOND ANSWER." if i == 4 else f"Then task {i} is over."}]}
            for i, (q, a) in enumerate(zip(QUESTIONS, ANSWERS))]
    path = tmp_path / "multi.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    found = [f for f in ftdata.lint(str(path)).findings if f.rule == "STY002"]
    assert [(f.line, f.pointer, f.message.split(":")[0]) for f in found] == [(5, "/messages/3/content",
                                                                             "assistant turn 4")]
    assert "case: all caps" in found[0].message


def test_classification_answers_are_not_judged_for_style(tmp_path: Path) -> None:
    labels = ["billing", "card", "fraud", "LOAN"] * 15  # a label in capitals is a label, not a style
    report = ftdata.lint(_write(tmp_path / "a.jsonl", labels))
    assert _style(report) == [] and "style" not in report.stats["files"][0]


def test_text_report_shows_the_profile(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ftdata.cli import cli

    out = CliRunner().invoke(cli, ["lint", _write(tmp_path / "a.jsonl", ANSWERS)]).output
    assert "style of 60 answers" in out and "layout one line 100%" in out
