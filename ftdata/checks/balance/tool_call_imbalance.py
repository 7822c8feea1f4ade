"""BAL004: a fixed tool set whose tools are called far from evenly."""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterator

from pydantic import Field

from ftdata.answers import calls, definitions
from ftdata.checks.base import CheckOptions, Dataset, DatasetCheck
from ftdata.config import Settings
from ftdata.model import Finding, Record, Severity


class ToolCallImbalanceOptions(CheckOptions):
    max_ratio: float = Field(8.0, gt=1, description="calls of the most called tool / calls of the least called "
                                                    "one from which the set is reported")
    min_calls: int = Field(5, ge=1, description="calls per tool, on average, from which the tools form a fixed "
                                                "set worth balancing")


class ToolCallImbalance(DatasetCheck):
    """The tools of a fixed tool set are called far from evenly.

    What it does: counts the tool calls of the assistant turns by tool name (OpenAI
    `tool_calls[].function.name` and legacy `function_call`, ShareGPT/glaive `function_call`
    turns, LLaMA-Factory `tool_call` parts). Where records define their tools, the set is the
    tools at least half of those records define (never called ones included); calls of the
    others are not counted. When the data has a fixed tool set (at least `min_calls` calls per
    tool on average) and the most called tool has at least `max_ratio` times the calls of the
    least called one, reports the dataset, naming both. Corpora of many different tools, each
    record defining its own (glaive), are not a tool set to balance and are left alone.
    Why it matters: a model fine-tuned on skewed calls learns the skew: it reaches for the
    common tool when the rare one is right, and seldom learns the rare tool's arguments.
    Example: `search_orders` called 26 times, `cancel_order` twice (ratio 13).
    Options: `max_ratio` (default 8), `min_calls` (default 5).
    """

    code = "BAL004"
    name = "tool-call-imbalance"
    category = "balance"
    severity = Severity.WARNING
    Options = ToolCallImbalanceOptions
    options: ToolCallImbalanceOptions

    def collect(self, record: Record, settings: Settings) -> Any:
        if not record.tools and "assistant" not in record.roles:
            return None
        called = [c.name for m in record.messages if m.tool_calls and m.role == "assistant" for c in calls(m) if c.name]
        defined = sorted({fn["name"] for _, fn in definitions(record.tools) if isinstance(fn.get("name"), str)}) \
            if record.tools else []
        return (tuple(called), tuple(defined)) if called or defined else None

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        counts: Counter[str] = Counter()
        defined: Counter[str] = Counter()
        defining = 0  # records that define tools
        for value in values:
            if value is not None:
                counts.update(value[0])
                defined.update(value[1])
                defining += bool(value[1])
        if defining:  # the set is the tools most of them offer, none called included; not each record's own
            counts = Counter({name: counts[name] for name, n in defined.items() if n >= 0.5 * defining})
        total = sum(counts.values())
        if len(counts) < 2 or total < self.options.min_calls * len(counts):
            return
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        (top, most), (bottom, least) = ranked[0], ranked[-1]
        if most >= self.options.max_ratio * max(least, 1):
            ratio = f"ratio {most / least:.1f}" if least else "though most records with tools define it"
            yield self.finding(f"tool calls are imbalanced: {top!r} is called {_times(most)}, {bottom!r} "
                               f"{_times(least)} ({ratio}; {total:,} calls of {len(counts)} tools)", file=data.file)


def _times(n: int) -> str:
    return {0: "never", 1: "once", 2: "twice"}.get(n, f"{n:,} times")
