"""FMT042: records in an input format the provider does not accept."""
from __future__ import annotations

from typing import Any, Iterator

from pydantic import Field, field_validator

from ftdata.checks.base import CheckOptions, Dataset, DatasetCheck
from ftdata.formats import NAMES
from ftdata.model import Finding, Severity


class UnsupportedFormatOptions(CheckOptions):
    formats: tuple[str, ...] | None = Field(None, description="the input formats the provider accepts "
                                                              "(None: every format, the check is off)")
    provider: str = Field("", description="the provider's name, for the messages")

    @field_validator("formats")
    @classmethod
    def _known(cls, formats: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return known_formats(formats)


def known_formats(formats: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """The formats, if every one is an input format ftdata reads (a misspelt one would silently
    match no record)."""
    for f in formats or ():
        if f not in NAMES:
            raise ValueError(f"unknown input format {f!r} (known: {', '.join(NAMES)})")
    return formats


class UnsupportedFormat(DatasetCheck):
    """Records are in an input format the target provider does not accept (off unless a profile
    sets `formats`).

    What it does: one finding per foreign format present, at its first record, with how many
    records have it and the formats the provider accepts.
    Why it matters: the provider rejects the file, or (a trainer) reads the records with the
    wrong keys; ShareGPT or Alpaca data must be converted before an OpenAI upload.
    Example: 412 `conversations`/`from`/`value` records for OpenAI (accepted: openai-chat,
    openai-dpo, prompt-completion).
    Options: `formats` (default none: off), `provider` (for the message).
    """

    code = "FMT042"
    name = "unsupported-format"
    category = "format"
    severity = Severity.ERROR

    Options = UnsupportedFormatOptions
    options: UnsupportedFormatOptions

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        accepted = self.options.formats
        if accepted is None:
            return
        who = self.options.provider or "the provider"
        for name, n in data.format_counts().items():
            if name in accepted:
                continue
            first = int((data.format_codes == NAMES.index(name)).argmax())
            are = "records are" if n != 1 else "record is"
            yield self.at(data, first, f"{n:,} {are} {name}, which {who} does not accept "
                                       f"(accepted: {', '.join(accepted)}); convert {'them' if n != 1 else 'it'}")
