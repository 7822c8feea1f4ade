"""CNT012: a dataset that looks like an attempt to teach facts, which fine-tuning does poorly."""
from __future__ import annotations

import re
from typing import Any, Iterator

import numpy as np
from pydantic import Field

from ftdata.checks.base import CheckOptions, Dataset, DatasetCheck
from ftdata.model import SFT, TASKS, Finding, Record, Severity

WORD = re.compile(r"[^\W_][\w'’.-]*")
NUMBER = re.compile(r"\d")
MONTHS = frozenset("january february march april may june july august september october november december".split())
QUESTION = re.compile(r"^\W*(?:who|what|when|where|which|whom|whose|how (?:many|much|old|long|far|tall|big|high)|"
                      r"in (?:what|which) (?:year|country|city)|name the|list the)\b", re.IGNORECASE)
SAMPLE = 1000  # answers read to judge the dataset: enough for a share within a few points


class KnowledgeInjectionOptions(CheckOptions):
    min_share: float = Field(0.5, gt=0, le=1, description="share of answers that must be fact statements")
    min_density: float = Field(0.25, gt=0, le=1, description="share of an answer's words that are numbers, dates "
                                                             "or names for it to be a fact statement")


class KnowledgeInjection(DatasetCheck):
    """The data looks like an attempt to teach the model facts: most prompts are factual
    questions and most answers are short statements dense in numbers, dates and names, with
    no shared format to learn.

    What it does: reads an even sample of up to 1,000 supervised records and counts answers
    of at most 80 words in which at least `min_density` (25%) of the words are numbers, dates
    or capitalised names (not sentence starts), given to prompts that ask who, what, when,
    where, which or how many. When at least `min_share` (50%) of the sample is such, it
    reports once, with the shares and the first examples. Classification data is left alone.
    Questions are recognised in English; numbers and dates in any language.
    Why it matters: fine-tuning teaches behaviour (format, tone, task), not knowledge. A model
    fine-tuned on facts learns to state facts in that style, including ones it does not
    know; it recalls trained facts unreliably and cannot be updated without retraining.
    Facts belong in retrieval (RAG): fine-tune, if at all, on how to answer from retrieved text.
    Example: "When was the company founded?" / "Acme was founded in 1987 in Dayton, Ohio, by Jane Roe."
    Options: `min_share` (0.5), `min_density` (0.25).
    """

    code = "CNT012"
    name = "knowledge-injection"
    category = "content"
    severity = Severity.INFO
    Options = KnowledgeInjectionOptions
    options: KnowledgeInjectionOptions

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        rows = np.flatnonzero(data.task_codes == TASKS.index(SFT))
        if len(rows) < 20 or data.labels():
            return
        picked = np.unique(rows[np.linspace(0, len(rows) - 1, min(SAMPLE, len(rows))).astype(np.int64)])
        records = data.fetch(picked)
        judged = [(int(i), records[int(i)]) for i in picked if int(i) in records]  # rows that could be re-read
        if len(judged) < 20:
            return
        facts = [row for row, r in judged if self._factual(r)]
        share = len(facts) / len(judged)
        if share < self.options.min_share:
            return
        examples = data.locations(facts[:5])
        yield self.finding(
            f"{share:.0%} of {len(judged):,} sampled records are factual questions answered by short statements "
            f"dense in numbers, dates and names: this looks like teaching facts, which fine-tuning does poorly (the "
            f"model learns to state facts in this style, known or not). Put the facts in retrieval (RAG) and "
            f"fine-tune on behaviour", file=data.file, related=examples)

    def _factual(self, record: Record) -> bool:
        final = record.final_answer()
        if final < 1:
            return False
        prompt = next((m.content for m in reversed(record.messages[:final]) if m.role == "user"), "")
        if not QUESTION.search(prompt):
            return False
        words = WORD.findall(record.messages[final].content)
        if not 3 <= len(words) <= 80:
            return False
        facts = 0
        starts = True  # the first word of a sentence is capitalised anyway
        for w in words:
            if NUMBER.search(w) or w.lower() in MONTHS or not starts and w[0].isupper() and w != "I":
                facts += 1
            starts = w.endswith((".", "!", "?"))
        return facts >= 2 and facts >= self.options.min_density * len(words)
