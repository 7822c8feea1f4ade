"""STY001: several wordings of one system prompt."""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np
from pydantic import Field

from ftdata import fingerprint, style
from ftdata.checks.base import CheckOptions, Dataset, DatasetCheck
from ftdata.model import Finding, Severity, plural


class SystemPromptVariantsOptions(CheckOptions):
    similarity: float = Field(0.9, gt=0, le=1, description="edit similarity (rapidfuzz ratio, ignoring case and "
                                                           "punctuation) from which two system prompts are "
                                                           "wordings of one instruction")
    max_variants: int = Field(2000, ge=2, description="more distinct system prompts than this are "
                                                      "per-record prompts, not variants: not compared")


class SystemPromptVariants(DatasetCheck):
    """The records use several slightly different wordings of one system prompt.

    What it does: groups records by their system turns as written, compares the distinct ones
    (up to `max_variants`) by edit similarity ignoring case and punctuation (rapidfuzz ratio,
    from `similarity`) and reports each group of near-identical prompts: every wording with its
    count, the most used first (each other one shown where it departs from it), and the first
    record of each other wording. Deliberately different system prompts are not reported, nor
    are prompts with other numbers (a date, a limit), nor templates filled in per record (a
    group of more than 5 wordings, most used once).
    Why it matters: the model learns each wording as its own instruction, with fewer examples
    each; at inference only one is used, and behaviour learned under the others may not carry.
    Example: "You are a helpful assistant." (950 records), "You are a helpful assistant" (40),
    "you are a helpful assistant!" (10).
    Options: `similarity` (default 0.9), `max_variants` (default 2000).
    """

    code = "STY001"
    name = "system-prompt-variants"
    category = "style"
    severity = Severity.WARNING
    Options = SystemPromptVariantsOptions
    options: SystemPromptVariantsOptions

    profiles = True  # for the hash of each record's system turns as written (Profiles.systems)

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        from rapidfuzz.fuzz import ratio
        from rapidfuzz.process import cdist
        from rapidfuzz.utils import default_process
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import connected_components

        system = data.cache["profiles"].systems
        rows = np.flatnonzero(system != 0)
        if len(rows) < 2:
            return
        _, first, counts = np.unique(system[rows], return_index=True, return_counts=True)  # sorts: fast
        if not 2 <= len(first) <= self.options.max_variants:
            return
        first = rows[first]  # each wording's first record
        records = data.fetch(first)
        if len(records) < len(first):  # not readable again (a stream gone): nothing to compare
            return
        texts = [style.system_text(records[int(r)].messages) for r in first]
        near = cdist(texts, texts, scorer=ratio, processor=default_process, score_cutoff=100 * self.options.similarity,
                     dtype=np.uint8, workers=-1)
        numbers = [fingerprint.numbers(t) for t in texts]  # other numbers (dates, limits): another prompt
        i, j = np.nonzero(near)
        keep = np.fromiter((numbers[a] == numbers[b] for a, b in zip(i.tolist(), j.tolist())), bool, len(i))
        edges = csr_matrix((np.ones(int(keep.sum())), (i[keep], j[keep])), shape=near.shape)
        n_groups, group = connected_components(edges, directed=False)
        for g in range(n_groups):
            members = np.flatnonzero(group == g)
            if len(members) < 2 or (len(members) > 5 and (counts[members] == 1).sum() > len(members) / 2):
                continue  # alone, or a template filled in per record (a name, an id): not variants
            members = members[np.lexsort((first[members], -counts[members]))]  # most used first
            main = texts[members[0]]
            shown = "; ".join(f"{_quote(main) if m == members[0] else repr(_departure(texts[m], main))} "
                              f"({plural(int(counts[m]), 'record')})" for m in members[:5])
            more = f"; and {len(members) - 5} more" if len(members) > 5 else ""
            yield self.finding(f"{len(members)} wordings of one system prompt: {shown}{more}", file=data.file,
                               related=data.locations([int(first[m]) for m in members[1:5]]))


def _departure(text: str, main: str, context: int = 20, limit: int = 60) -> str:
    """The part of `text` where it departs from `main`, with a little context before it."""
    start = next((i for i, (a, b) in enumerate(zip(text, main)) if a != b), min(len(text), len(main)))
    begin = max(0, start - context)
    return ("…" if begin else "") + text[begin:begin + limit] + ("…" if begin + limit < len(text) else "")


def _quote(text: str, limit: int = 64) -> str:
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")  # repr: whitespace stays visible
