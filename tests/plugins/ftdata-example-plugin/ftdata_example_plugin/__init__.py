"""An example ftdata plugin: one record check, registered under the `ftdata.checks` entry points."""
from __future__ import annotations

from typing import Iterator

from pydantic import Field

from ftdata.checks.base import CheckOptions, RecordCheck
from ftdata.model import Finding, Record, Severity

RATIO = 0.8  # share of capitals among cased letters from which an answer shouts


class ShoutingOptions(CheckOptions):
    min_letters: int = Field(20, ge=1, description="answers with fewer cased letters are not judged")


class ShoutingAnswer(RecordCheck):
    """An assistant turn is written mostly in capital letters.

    What it does: reports each trained assistant turn with at least `min_letters` cased letters of
    which 80% or more are capitals. Turns with a training weight of 0 are not judged.
    Why it matters: the model learns the tone of its answers as readily as their content; a few
    shouted answers (often a scraped forum or a caps-lock template) make it shout now and then.
    Example: `{"role": "assistant", "content": "PLEASE RESTART THE ROUTER AND TRY AGAIN."}`.
    Options: `min_letters` (default 20): shorter answers, such as "OK" or an acronym, are skipped.
    """

    code = "EXA001"
    name = "shouting-answer"
    category = "tone"  # a plugin may bring its own category
    severity = Severity.WARNING
    Options = ShoutingOptions

    def __init__(self, options: CheckOptions | None = None) -> None:
        super().__init__(options)
        assert isinstance(self.options, ShoutingOptions)
        self.min_letters = self.options.min_letters

    def check(self, record: Record) -> Iterator[Finding]:
        for i, m in enumerate(record.messages):
            if m.role != "assistant" or not m.trained:
                continue
            upper = sum(c.isupper() for c in m.content)
            cased = upper + sum(c.islower() for c in m.content)
            if cased >= self.min_letters and upper >= RATIO * cased:
                yield self.finding(f"assistant turn {i + 1} is {upper / cased:.0%} capitals "
                                   f"({upper} of {cased} letters)", record, m.content_pointer, m.content)
