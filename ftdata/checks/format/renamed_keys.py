"""FMT007: records in a convention ftdata reads but most trainers do not."""
from __future__ import annotations

from typing import Any, Iterator

from ftdata.checks.base import Dataset, DatasetCheck
from ftdata.formats import NAMES, by_name, conventions
from ftdata.model import PREFERENCE, TASKS, Finding, Severity, plural


class RenamedKeys(DatasetCheck):
    """Records follow a convention with its own key names, which ftdata reads but most trainers
    do not: one finding per convention, naming it and how to map it.

    What it does: for Dolly/GPTeacher records (`instruction`, `context`, `response`), prompt/
    response pairs, preference pairs with the prompt under `instruction` or `question` (LLaMA-
    Factory's Alpaca DPO layout, Orca pairs), ShareGPT preference records with plain-string
    `chosen`/`rejected`, and `conversation: [{human, assistant}]` pairs: one info finding at the
    first such record (the first record is read to word it), with the count, what the keys
    are read as, and the renames or `dataset_info.json` columns that map them for Alpaca readers,
    TRL and LLaMA-Factory. The records themselves are checked like any other (schema, content).
    Why it matters: the records are fine, but a trainer expecting another layout drops the keys
    it does not know (often the answer), or rejects the file; reported once, not on every record.
    Example: 15,011 records `{"instruction", "context", "response", "category"}` -> rename
    'response' to 'output' and 'context' to 'input' for Alpaca readers.
    Options: none.
    """

    code = "FMT007"
    name = "renamed-keys"
    category = "format"
    severity = Severity.INFO

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        for name in data.format_counts():
            if name not in conventions.FORMATS:
                continue
            mask = data.format_codes == NAMES.index(name)
            if name == "sharegpt":  # a convention of its preference records only
                mask &= data.task_codes == TASKS.index(PREFERENCE)
            rows = mask.nonzero()[0]
            if not len(rows):
                continue
            first = int(rows[0])
            record = data.fetch(rows[:1]).get(first)
            if record is not None:
                text = conventions.describe(name, record.raw)
            else:  # not re-readable: say what it is (a ShareGPT record is a convention only by its answers)
                text = None if name == "sharegpt" else by_name(name).title
            if text is not None:
                yield self.at(data, first, f"{plural(len(rows), 'record')} in the {name} convention: {text}")
