"""DUP006: one answer given to many different inputs."""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterator

import numpy as np
from pydantic import Field

from ftdata.answers import looks_like_code, prompt_before, short_text, small_talk, words
from ftdata.checks.base import CheckOptions, Dataset, DatasetCheck
from ftdata.checks.duplicates._clusters import output_of, where
from ftdata.fingerprint import normalise
from ftdata.model import SFT, TASKS, Finding, Severity
from ftdata.similarity import distinct_counts, first_of_equal, groups

SAMPLE = 20  # records of a group whose prompts are read to tell a reply to small talk


class RepeatedOutputOptions(CheckOptions):
    min_inputs: int = Field(3, ge=2, description="distinct inputs from which a repeated answer is reported")
    min_words: int = Field(4, ge=1, description="shorter answers (labels, 'Yes.') are not boilerplate")
    min_records: int = Field(5, ge=2, description="records from which a repeated short answer is reported")
    min_records_long: int = Field(10, ge=2, description="records from which a repeated program or long answer "
                                                        "(over 40 words) is reported")


def closed_set(outputs: np.ndarray, short: np.ndarray) -> bool:
    """Are the answers labels from a small set, as a classifier's are (at least 90% of them short,
    up to 64 characters, and among max(2, min(200, n / 5)) distinct answers)? Then an answer
    repeats by design, even one of four words ("They didn't like it!"), which data.labels(),
    counting short answers only, may not see: one label, or long answers among the short ones."""
    n = len(outputs)
    counts = np.sort(np.unique(outputs, return_counts=True)[1])[::-1]
    k = max(2, min(200, n // 5))
    return n >= 10 and int(np.count_nonzero(short >= 0)) >= 0.9 * n and int(counts[:k].sum()) >= 0.9 * n


class RepeatedOutput(DatasetCheck):
    """The same answer is given to many different inputs (boilerplate).

    What it does: groups supervised records by their normalised final answer and reports every
    record of a group whose answer (of at least `min_words` words, a CJK character counting
    half) answers at least `min_inputs` different inputs in at least `min_records` records, and
    a program or a long answer (over 40 words) in at least `min_records_long`: a few paraphrases
    of one task rightly share one answer (a self-introduction for "Who are you?" and "Introduce
    yourself", one correct program for "Write a factorial function" and "Fix this factorial
    code"), while a canned reply repeated across many inputs is boilerplate. A reply to small
    talk worded many ways is left alone (most of the group's first 20 last prompts greetings,
    thanks or goodbyes, none the same in half of them: "Thanks for the help!", "Thank you for
    the information." -> "You're welcome! If you have any other questions, feel free to ask."
    closing 38 distinct tool chats), but not the same small talk answered the same way in a
    template ("Goodbye" -> "Goodbye! If you have any more questions ..." ending 166 chats);
    small talk is known in English and Chinese. Labels repeat by design and are left alone
    (classification-like data: at least 90% of the answers short, up to 64 characters, and
    drawn from at most one distinct answer per five records), unless one label is at least 90%
    of all answers: that is reported once, on its first record. Otherwise any language.
    Why it matters: a canned answer repeated across prompts ("I'm sorry, I can't help with
    that.", a template reply) teaches the model to fall back on it, whatever it is asked.
    Example: "Thank you for contacting us. We will get back to you." after 40 different questions.
    Options: `min_inputs` (default 3), `min_words` (default 4), `min_records` (default 5),
    `min_records_long` (default 10).
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
        if closed_set(out, data.columns["answer"][rows]):
            yield from self._one_label(data, rows, out)
            return
        first = first_of_equal(out)
        inputs = distinct_counts(first, inp, len(rows))  # distinct inputs per answer
        first[inputs[first] < self.options.min_inputs] = -1  # too few inputs: not a group
        found = groups(np.where(first >= 0, first, np.arange(len(rows))))
        least = min(self.options.min_records, self.options.min_records_long)
        found = {head: members for head, members in found.items() if len(members) >= least}
        answers = data.fetch(rows[list(found)])  # one read for every group's first record
        for head, members in found.items():
            text = output_of(answers.get(int(rows[head])))
            if text is not None and words(text, self.options.min_words) < self.options.min_words:
                continue
            if len(members) < self._least(text) or self._fitting_reply(data, rows[members[:SAMPLE]]):
                continue
            group = rows[members].tolist()
            for r in group:
                others = [x for x in group[:6] if x != r][:5]  # not the whole group: it may be huge
                yield self.at(data, r, f"the same answer is given to {len(group)} records "
                                       f"({inputs[head]} different inputs), e.g. {where(data, others[0])}",
                              text=text, related=data.locations(others))

    def _least(self, text: str | None) -> int:
        """The records a group needs: more for a program or a long answer, which a few paraphrases
        of one task share rightly, than for a short canned reply."""
        long = text is not None and (looks_like_code(text) or not short_text(text))
        return self.options.min_records_long if long else self.options.min_records

    def _one_label(self, data: Dataset, rows: np.ndarray, out: np.ndarray) -> Iterator[Finding]:
        """Labels repeat by design, but one label for (nearly) every input teaches nothing but that
        label: one finding, on the first record, when at least 90% of the answers are one."""
        values, first, counts = np.unique(out, return_index=True, return_counts=True)
        top = int(np.argmax(counts))
        if counts[top] < 0.9 * len(rows):
            return
        row = int(rows[first[top]])
        text = output_of(data.fetch([row]).get(row))
        yield self.at(data, row, f"{counts[top]:,} of {len(rows):,} answers are this same label: the data teaches "
                                 f"one answer whatever the input", text=text)

    @staticmethod
    def _fitting_reply(data: Dataset, rows: np.ndarray) -> bool:
        """Do most of these records answer small talk worded many ways ("Thanks for the help!",
        "Thank you for the information." -> "You're welcome! ..."), where one fitting reply
        closes otherwise distinct conversations? Not when the small talk itself repeats word for
        word in half of them ("Goodbye" -> "Goodbye! ..." ending 166 templated chats)."""
        records = data.fetch(rows)
        prompts = [prompt_before(r.messages, r.final_answer()) for r in records.values()]
        talk = [normalise(p) for p in prompts if small_talk(p)]
        return len(talk) > len(prompts) / 2 and Counter(talk).most_common(1)[0][1] < len(prompts) / 2
