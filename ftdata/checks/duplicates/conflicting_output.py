"""DUP005: the same input answered with different free text."""
from __future__ import annotations

from typing import Any, Iterator

from ftdata.checks.base import Dataset, DatasetCheck
from ftdata.checks.duplicates._clusters import of, output_of, where
from ftdata.model import Finding, Severity


class ConflictingOutput(DatasetCheck):
    """Records with the same input (after normalisation) have contradicting answers.

    What it does: groups records by their normalised input (tool definitions and every turn
    before the final answer) and reports each record whose answer contradicts the first
    record's, where one answer is expected: JSON answers whose values differ once parsed;
    answers opening with opposite yes/no ("Yes, we ship to Canada." / "No, only within the
    US."); short answers (up to 40 words, a CJK character counting half) stating other numbers
    ("within 30 days" / "for 14 days"; list numbering and web addresses aside, and a figure
    given rounded as "about"/"约" within 5%: "about 40,000 km" / "40,075 km"); closed answers
    (at most 3 words, or 8 CJK characters) neither of which holds the other's words, a CJK
    character or a digit run counting as a word ("Canberra" / "Sydney"; but "2" / "等于2" agree),
    or whose extra words negate ("true" / "not true", "正确" / "不正确"); and answers alike by
    the near-duplicate threshold but for their numbers. The message gives their similarity
    (rapidfuzz on the normalised answers).
    Not reported: two free-text answers to one prompt, which many answers can serve (an open
    question, "write a review"); inputs with three or more different answers (sampled on
    purpose) but for JSON and near-identical answers; small talk ("hello", "thanks", "你好");
    requests to create something or to role-play or simulate ("Act as a Linux terminal. pwd":
    "/home/user" and "/home/root" are both fine examples); code; tool calls
    (conflicting-tool-call's). Answers at least 0.9 alike with the same numbers are near
    duplicates instead. Classification-like data is left to conflicting-label.
    Yes/no openings and negations are known in English, Chinese, French, Spanish, German and
    Russian, small talk, creative and role-play requests in English and Chinese; the rest is
    language-independent.
    Why it matters: the model is taught two incompatible answers to one question and learns to
    be inconsistent: sometimes one answer, sometimes the other.
    Example: "What is the refund window?" -> "30 days." (line 4) and -> "14 days." (line 90).
    Options: none.
    """

    code = "DUP005"
    name = "conflicting-output"
    category = "duplicates"
    severity = Severity.WARNING
    fingerprints = "exact"

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        if data.labels():
            return
        found = [c for c in of(data).conflicts if c.contradicts]
        records = data.fetch(sorted({c.row for c in found}))
        for first, r, similarity, _ in found:
            numbers = ", with different numbers" if similarity is not None and similarity >= data.settings.near_threshold \
                else ""
            sim = f" (answers {similarity:.2f} similar{numbers})" if similarity is not None else ""
            yield self.at(data, r, f"same input as {where(data, first)}, different answer{sim}",
                          text=output_of(records.get(r)), related=data.locations([first]))
