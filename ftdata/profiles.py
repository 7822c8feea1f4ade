"""Provider profiles (`--profile NAME`): the format rules and limits of one fine-tuning provider.

A profile is data, not code: the provider's hard minimum of examples, its per-example token
limit, and options and severities for the checks that encode its rules (accepted input formats,
roles, weights). It is the lowest settings layer: the configuration file and the command line
override it. Facts and their sources: ../shared/FORMATS.md, "Provider rules worth a profile each".
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True)
class Profile:
    name: str  # the --profile value
    title: str  # what the profile targets, for help and reports
    provider_minimum: int  # VOL001's hard minimum of examples
    max_tokens: int | None = None  # per-example limit; None keeps the model's own (ftdata.tokens.MODELS)
    limit_source: str | None = None  # the phrase the length rule cites for max_tokens: "the NAME profile, why"
    checks: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # check name -> options
    severity: Mapping[str, str] = field(default_factory=dict)  # check code or name -> severity


# Input formats are ftdata.formats names; roles are canonical (model.ROLES).
PROFILES: dict[str, Profile] = {p.name: p for p in [
    Profile(
        "openai", "OpenAI fine-tuning API",
        provider_minimum=10,  # the API rejects fewer than 10 examples (50-100 recommended)
        # max_tokens: none, the model's own (65,536 gpt-4o/4.1; 16,385 or 4,096 gpt-3.5)
        checks={
            # weight: the integer 0 or 1, on assistant turns only
            "invalid-weight": {"mode": "binary-assistant", "provider": "OpenAI"},
            # chat SFT, DPO, and the legacy prompt/completion of babbage-002 / davinci-002
            "unsupported-format": {"formats": ["openai-chat", "openai-dpo", "prompt-completion"],
                                   "provider": "OpenAI"},
            # roles: system, user, assistant, tool (function is legacy tool): all canonical, no restriction
        },
        # last message: implicitly the assistant's: last-turn-not-assistant stays an error
    ),
    Profile(
        "together", "Together AI fine-tuning",
        provider_minimum=1,  # no minimum beyond one example
        # max_tokens: none, the limit is per model and enforced server-side
        checks={
            # weight: 0 or 1 on any message (together-python's check_file)
            "invalid-weight": {"mode": "binary", "provider": "Together"},
            # conversation (messages), instruction (prompt/completion), general (text), preference
            # (OpenAI's DPO shape)
            "unsupported-format": {"formats": ["openai-chat", "prompt-completion", "text", "openai-dpo"],
                                   "provider": "Together"},
            # roles: system, user, assistant, tool (server-side): all canonical, no restriction
        },
        severity={
            # last message: no rule; turns after the last assistant turn are only wasted
            "last-turn-not-assistant": "warning",
            # consecutive-same-role stays a warning: the docs ask for alternation, but the current
            # client no longer rejects a repeated role
        },
    ),
    Profile(
        "mistral", "Mistral fine-tuning API",
        # FORMATS.md: a minimum of 10 exists only in dead code, so nothing enforces it; 1 avoids
        # an error the API would not raise (too-few-examples still warns below 50)
        provider_minimum=1,
        # max_tokens: none, counted with the model's own tokenizer
        checks={
            # weight: 0 or 1, on assistant messages only (FinetuningAssistantMessage.weight)
            "invalid-weight": {"mode": "binary-assistant", "provider": "Mistral"},
            "unsupported-format": {"formats": ["openai-chat", "mistral-interactions"], "provider": "Mistral"},
            # roles: system, user, assistant, tool: all canonical; at most one system message
            # (multiple-system) and the last message the assistant's (last-turn-not-assistant) are
            # errors already
        },
    ),
    Profile(
        "bedrock", "Amazon Bedrock fine-tuning (Nova, Claude)",
        # Nova's minimum for fine-tuning; distillation needs 100 (set volume.provider-minimum)
        provider_minimum=8,
        # max_tokens: none, the limit is per model
        checks={
            # user and assistant turns only; the system prompt is the top-level `system` field
            "unsupported-role": {"roles": ["user", "assistant"], "provider": "Bedrock", "system_field": "system",
                                 "formats": ["bedrock", "openai-chat", "prompt-completion"]},
            # no per-turn weights
            "invalid-weight": {"mode": "none", "provider": "Bedrock"},
            # the conversation schema (a record without `system` reads as openai-chat), and
            # prompt/completion of the text models (Titan, Llama, Cohere)
            "unsupported-format": {"formats": ["bedrock", "openai-chat", "prompt-completion"],
                                   "provider": "Bedrock"},
        },
        severity={
            # strict user/assistant alternation: the record is rejected
            "consecutive-same-role": "error",
            # last message: the assistant's (last-turn-not-assistant stays an error)
        },
    ),
    Profile(
        "vertex", "Vertex AI Gemini supervised tuning",
        provider_minimum=16,  # older guidance; the current docs state no minimum
        max_tokens=131_072, limit_source="the vertex profile, Vertex AI's per-example limit for Gemini 2.5",
        checks={
            # user and model turns only; the system prompt is the top-level `systemInstruction`
            "unsupported-role": {"roles": ["user", "assistant"], "provider": "Vertex AI",
                                 "system_field": "systemInstruction", "formats": ["vertex"]},
            # no per-turn weights
            "invalid-weight": {"mode": "none", "provider": "Vertex AI"},
            "unsupported-format": {"formats": ["vertex"], "provider": "Vertex AI"},
        },
        severity={
            # last message: no rule; turns after the last model turn are only wasted
            "last-turn-not-assistant": "warning",
        },
    ),
    Profile(
        "trl", "Hugging Face TRL trainers (SFT, DPO, KTO, GRPO)",
        provider_minimum=1,  # a local trainer takes any non-empty dataset
        # SFTConfig.max_length defaults to 1024 tokens and cuts longer sequences (keep_start)
        max_tokens=1024, limit_source="the trl profile, TRL's SFTConfig.max_length default",
        checks={
            # TRL has no per-turn weights: a weight of 0 does not mask the turn (warning below)
            "invalid-weight": {"mode": "none", "provider": "TRL"},
            # conversational and standard language modelling, prompt-completion, prompt-only,
            # preference (explicit and implicit prompt; HH-RLHF transcripts are implicit-prompt
            # string pairs) and unpaired preference
            "unsupported-format": {"formats": ["openai-chat", "prompt-completion", "prompt-only", "preference",
                                               "hh-rlhf", "kto", "text"], "provider": "TRL"},
            # roles: whatever the chat template renders: no restriction
        },
        severity={
            # the weight is ignored rather than rejected
            "invalid-weight": "warning",
            # last message: no rule; a trailing user turn is trained on or masked, never rejected
            "last-turn-not-assistant": "warning",
        },
    ),
]}


def profile(name: str) -> Profile:
    """The profile called `name`; ValueError naming the known ones when there is none."""
    try:
        return PROFILES[name.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown profile {name!r} (known: {', '.join(PROFILES)})") from None


def profile_settings(name: str) -> dict[str, Any]:
    """The profile as Settings fields (snake_case, the layer ftdata.configfile.settings_fields
    takes): `profile`, `volume.provider_minimum`, `checks` and `severity`, and `max_tokens` with
    `limit_source` when the profile sets a limit. A fresh copy: callers may merge into it."""
    p = profile(name)
    out: dict[str, Any] = {
        "profile": p.name,
        "volume": {"provider_minimum": p.provider_minimum},
        "checks": {check: copy.deepcopy(dict(opts)) for check, opts in p.checks.items()},
        "severity": dict(p.severity),
    }
    if p.max_tokens is not None:
        out["max_tokens"] = p.max_tokens
        out["limit_source"] = p.limit_source
    return out
