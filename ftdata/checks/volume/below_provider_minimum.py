"""VOL001: fewer examples than the provider accepts."""
from __future__ import annotations

from typing import Any, Iterator

from ftdata.checks.base import Dataset, DatasetCheck
from ftdata.model import Finding, Severity, plural


class BelowProviderMinimum(DatasetCheck):
    """The dataset has fewer examples than the provider's hard minimum.

    What it does: compares the number of examples (rows, as the provider counts them) with
    `volume.provider_minimum` (OpenAI: 10).
    Why it matters: the provider rejects the training job outright.
    Example: 8 examples for OpenAI.
    Options: `provider-minimum` in the configuration's `[volume]` table (`--min-examples-provider`, or a `--profile`).
    """

    code = "VOL001"
    name = "below-provider-minimum"
    category = "volume"
    severity = Severity.ERROR

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        minimum = data.settings.volume.provider_minimum
        if data.n < minimum:
            who = "the provider"
            if data.settings.profile:
                from ftdata.profiles import PROFILES

                who = PROFILES[data.settings.profile].title if data.settings.profile in PROFILES else who
            yield self.finding(f"{plural(data.n, 'example')}; {who} requires at least {minimum}",
                               file=data.file)
