"""DUP006: one answer given to many different inputs."""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np
from pydantic import Field

from ftdata.checks.base import CheckOptions, Dataset, DatasetCheck
from ftdata.checks.duplicates._clusters import locations, output_of, where
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
        for head, members in groups(first_of_equal(out)).items():
            if len({int(x) for x in inp[members]}) < self.options.min_inputs:
                continue
            group = [int(rows[m]) for m in members]
            text = output_of(data.fetch(np.asarray(group[:1])).get(group[0]))
            if text is not None and len(text.split()) < self.options.min_words:
                continue
            for r in group:
                others = [x for x in group if x != r]
                yield self.at(data, r, f"the same answer is given to {len(group)} records "
                                       f"({len({int(x) for x in inp[members]})} different inputs), e.g. "
                                       f"{where(data, others[0])}", text=text, related=locations(data, others[:5]))
