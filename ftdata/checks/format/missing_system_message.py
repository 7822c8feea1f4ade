"""FMT041: a record without the system message most records have."""
from __future__ import annotations

from typing import Any, Iterator

from pydantic import Field

from ftdata.checks.base import CheckOptions, Dataset, DatasetCheck
from ftdata.config import Settings
from ftdata.model import PROMPT, TEXT, Finding, Record, Severity


class MissingSystemOptions(CheckOptions):
    min_share: float = Field(0.8, ge=0.5, le=1.0, description="share of records with a system message "
                                                              "from which a missing one is reported")


class MissingSystemMessage(DatasetCheck):
    """A record has no system message although most records of the dataset have one.

    What it does: when at least `min_share` (default 80%) of the conversations have a system
    message, reports each that has none (one in the wrong place is system-not-first's).
    Datasets without system messages, or with no clear convention, are left alone.
    Why it matters: the model learns behaviour conditioned on the system prompt; examples
    without it teach a second, unconditioned behaviour. OpenAI's data-preparation notebook
    counts these.
    Example: 4 of 5 examples start with "You are Marv, ..." and one starts with the user turn.
    Options: `min_share` (0.5-1.0).
    """

    code = "FMT041"
    name = "missing-system-message"
    category = "format"
    severity = Severity.WARNING
    Options = MissingSystemOptions
    options: MissingSystemOptions

    def collect(self, record: Record, settings: Settings) -> Any:
        if record.task in (TEXT, PROMPT) or not record.messages:
            return None
        return "system" in record.roles  # a late one is system-not-first's

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        flags = [v for v in values if v is not None]
        if not flags:
            return
        share = sum(flags) / len(flags)
        if share < self.options.min_share or share == 1:
            return
        for i, v in enumerate(values):
            if v is False:
                yield self.at(data, i, f"no system message, while {share:.0%} of examples have one")
