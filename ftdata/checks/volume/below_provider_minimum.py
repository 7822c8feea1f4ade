"""VOL001: fewer examples than the provider accepts."""
from __future__ import annotations

from typing import Any, Iterator

from ftdata.checks.base import Dataset, DatasetCheck
from ftdata.checks.volume._size import judged
from ftdata.model import Finding, Severity, plural


class BelowProviderMinimum(DatasetCheck):
    """The dataset has fewer examples than the provider's hard minimum.

    What it does: compares the number of examples (rows, as the provider counts them) with
    `volume.provider_minimum` (OpenAI: 10).
    Not judged when under half of the file's records are in a format ftdata recognises (a CSV,
    unknown keys): the size is then unknown, and the format rules report each record.
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
        if judged(data) and data.n < minimum:
            yield self.finding(f"{plural(data.n, 'example')}; {_required(data, minimum)}", file=data.file)


def _required(data: Dataset, minimum: int) -> str:
    """The minimum, credited to who sets it: the profile's provider, the default (OpenAI's) or a
    setting; never a provider whose minimum it is not."""
    from ftdata.config import VolumeSettings
    from ftdata.profiles import PROFILES

    profile = PROFILES.get(data.settings.profile or "")
    if profile is not None and profile.provider_minimum == minimum:
        return f"{profile.title} requires at least {minimum}"
    if profile is None and minimum == VolumeSettings().provider_minimum:
        return f"the provider requires at least {minimum} (OpenAI's minimum, the default)"
    return f"fewer than the provider minimum of {minimum} (--min-examples-provider, or provider-minimum in [volume])"
