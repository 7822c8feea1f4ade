"""TRL prompt-only `{"prompt": str | [msgs]}`, the input of online RL (GRPO, PPO); task "prompt"."""
from __future__ import annotations

from typing import Any

from ftdata.formats._chat import side
from ftdata.formats.base import Format, Normalised
from ftdata.model import PROMPT


def detect(raw: dict[str, Any]) -> bool:
    return "prompt" in raw


def normalise(raw: dict[str, Any]) -> Normalised:
    return Normalised(PROMPT, side(raw.get("prompt"), "/prompt", "user"), tools=raw.get("tools"))


FORMAT = Format("prompt-only", "Prompt only (online RL)", "prompt-only.schema.json", detect, normalise,
                frozenset({"prompt"}))
