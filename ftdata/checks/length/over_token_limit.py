"""LEN001: an example longer than the model trains on."""
from __future__ import annotations

from typing import Any, Iterator

from ftdata.checks.base import Dataset, DatasetCheck
from ftdata.model import Finding, Severity
from ftdata.tokens import limit_phrase


class OverTokenLimit(DatasetCheck):
    """An example has more tokens than the chosen model's per-example training limit.

    What it does: counts tokens exactly (tiktoken encodings, offline; chat accounting of
    OpenAI's cookbook: 3 per message, role, name, 3 for the reply) for every example that could
    be near the limit, and reports those over it. Preference pairs count their longer side.
    Why it matters: the provider truncates from the end, so the assistant answer, the part that
    is learned, is cut or lost; some providers reject the file instead.
    Example: a 5,000-token example with `--model gpt-3.5-turbo-0613` (limit 4,096).
    The message credits the limit to its source: the model's own limit, or the profile
    (`--profile trl`: TRL's SFTConfig.max_length, 1,024), `--max-tokens` or `max-tokens` in the
    configuration. Counts are OpenAI encodings; other models' tokenizers differ by some percent.
    Options: `--model`, `--max-tokens`, `--profile`.
    """

    code = "LEN001"
    name = "over-token-limit"
    category = "length"
    severity = Severity.ERROR

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        spec = data.spec
        for i in (data.tokens > spec.limit).nonzero()[0]:
            n = int(data.tokens[i])
            yield self.at(data, int(i), f"example has {n:,} tokens{limit_phrase(spec)}: the last "
                                        f"{n - spec.limit:,} tokens, assistant text included, would be truncated")
