"""DUP006: one answer given to many different inputs."""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np
from pydantic import Field

from ftdata.checks.base import CheckOptions, Dataset, DatasetCheck
from ftdata.checks.duplicates._clusters import output_of, where
from ftdata.model import SFT, TASKS, Finding, Severity
from ftdata.similarity import groups, first_of_equal


class RepeatedOutputOptions(CheckOptions):
    min_inputs: int = Field(3, ge=2, description="distinct inputs from which a repeated answer is reported")
    min_words: int = Field(4, ge=1, description="shorter answers (labels, 'Yes.') are not boilerplate")


class RepeatedOutput(DatasetCheck):
    """The same answer is given to several different inputs (boilerplate).

    What it does: groups supervised records by their normalised final answer and reports every
    record of a group whose answer (of at least `min_words` words) answers at least
    `min_inputs` different inputs. Classification-like data is left alone: its labels repeat by
    design.
    Why it matters: a canned answer repeated across prompts ("I'm sorry, I can't help with
    that.", a template reply) teaches the model to fall back on it, whatever it is asked.
    Example: "Thank you for contacting us. We will get back to you." after 40 different questions.
    Options: `min_inputs` (default 3), `min_words` (default 4).
    """

    code = "DUP006"
    name = "repeated-output"
    category = "duplicates"
    severity = Severity.WARNING
    fingerprints = "exact"
    Options = RepeatedOutputOptions
    options: RepeatedOutputOptions

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        if data.labels():
            return
        rows = np.flatnonzero(data.task_codes == TASKS.index(SFT))
        if len(rows) < 2:
            return
        out, inp = data.columns["output"][rows], data.columns["input"][rows]
        first = first_of_equal(out)
        # distinct inputs per answer: distinct (first, input) pairs, counted per first, all at once
        order = np.lexsort((inp, first))
        new = np.r_[True, (first[order][1:] != first[order][:-1]) | (inp[order][1:] != inp[order][:-1])]
        inputs = np.bincount(first[order][new], minlength=len(rows))
        first[inputs[first] < self.options.min_inputs] = -1  # too few inputs: not a group
        found = groups(np.where(first >= 0, first, np.arange(len(rows))))
        answers = data.fetch(rows[list(found)])  # one read for every group's first record
        for head, members in found.items():
            text = output_of(answers.get(int(rows[head])))
            if text is not None and len(text.split(None, self.options.min_words)) < self.options.min_words:
                continue
            group = rows[members].tolist()
            for r in group:
                others = [x for x in group[:6] if x != r][:5]  # not the whole group: it may be huge
                yield self.at(data, r, f"the same answer is given to {len(group)} records "
                                       f"({inputs[head]} different inputs), e.g. {where(data, others[0])}",
                              text=text, related=data.locations(others))
