"""Run settings, validated by pydantic; the CLI and the notebook API both build one of these."""
from __future__ import annotations

import difflib
from typing import Any, Iterable

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ftdata.model import Severity
from ftdata.tokens import DEFAULT_MODEL, MODELS, ModelSpec, model_spec


class VolumeSettings(BaseModel):
    """Example-count thresholds: provider minimum (error), minimum to learn (error), recommended."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    provider_minimum: int = Field(10, ge=0, description="OpenAI rejects fewer than 10 examples")
    minimum: int = Field(50, ge=0, description="below this a fine-tune rarely learns a behaviour")
    recommended: int = Field(100, ge=0, description="below this results are often disappointing")


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str = DEFAULT_MODEL
    max_tokens: int | None = Field(None, gt=0, description="override the model's per-example limit")
    input_format: str | None = None
    volume: VolumeSettings = VolumeSettings()
    checks: dict[str, dict[str, Any]] = Field(default_factory=dict, description="per-check options")
    # rule selection (ftdata.selection): codes, code prefixes, names, categories or ALL
    select: tuple[str, ...] = ("ALL",)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = Field(default_factory=dict,
                                                          description="glob -> selectors ignored in matching files")
    severity: dict[str, Severity] = Field(default_factory=dict, description="selector -> severity override")
    root: str | None = Field(None, description="folder per-file-ignores globs are relative to (the config's)")
    profile: str | None = Field(None, description="the provider profile applied (ftdata.profiles)")
    limit_source: str | None = Field(None, description="where max_tokens comes from, cited by the length rule")
    jobs: int | None = Field(None, ge=1, description="worker processes (default: CPU count)")
    exact_tokens_bytes: int = Field(32 << 20, ge=0,
                                    description="count every record exactly up to this file size")
    eval: tuple[str, ...] = Field((), description="evaluation sets checked for leakage from the training files")
    near_threshold: float = Field(0.8, gt=0, le=1, description="Jaccard similarity of character 5-grams from "
                                                                "which two records are near duplicates")
    label_field: str | None = Field(None, min_length=1, description="the record field (a dotted path) holding a "
                                                                     "label or category, for the balance rules")
    label_key: str | None = Field(None, min_length=1, description="the key of the JSON object in the final "
                                                                   "answer holding the label")

    @field_validator("checks", mode="before")
    @classmethod
    def _plain_lists(cls, checks: Any) -> Any:
        """A list option of a check given as one string (`--check-option X.KEY=a,b`, or `KEY = "a"`
        in a config file) holds its comma-separated items."""
        from ftdata.registry import find

        if not isinstance(checks, dict):
            return checks
        out = dict(checks)
        for key, opts in checks.items():
            found = find(key) if isinstance(key, str) else None
            if found is not None and isinstance(opts, dict):
                fields = found.Options.model_fields
                out[key] = {name: comma_list(v) if isinstance(v, str) and name in fields
                            and _is_list(fields[name].annotation) else v for name, v in opts.items()}
        return out

    @model_validator(mode="after")
    def _one_label_source(self) -> Settings:
        if self.label_field and self.label_key:
            raise ValueError("give --label-field or --label-key, not both")
        return self

    @model_validator(mode="after")
    def _known_rules(self) -> Settings:
        from ftdata.registry import all_checks, find
        from ftdata.selection import specificity

        for field, selectors in (("select", self.select), ("extend-select", self.extend_select),
                                 ("ignore", self.ignore), ("severity", tuple(self.severity)),
                                 *((f"per-file-ignores {glob!r}", sel) for glob, sel in self.per_file_ignores.items())):
            for sel in selectors:
                if not sel.strip():
                    raise ValueError(f"{field} takes a rule code, code prefix, name or category, not an empty string")
                if sel.strip().upper() != "ALL" and not any(specificity(c, sel) for c in all_checks()):
                    raise ValueError(f"{field} {sel!r} matches no rule{suggest(sel)}")
        for key, opts in self.checks.items():
            cls = find(key)
            if cls is None:
                raise ValueError(f"options for unknown check {key!r}{suggest(key)}")
            fields = cls.Options.model_fields
            for name in opts:
                if name not in fields:
                    known = ", ".join(fields) or "none"
                    raise ValueError(f"{cls.name} has no option {name!r}{did_you_mean(name, fields)} "
                                     f"(its options: {known})")
            try:
                cls.Options(**opts)
            except ValidationError as e:
                err = e.errors()[0]
                raise ValueError(f"{cls.name}.{err['loc'][0]}: {err['msg'].removeprefix('Value error, ')}") from None
        return self

    @model_validator(mode="after")
    def _known_input_format(self) -> Settings:
        from ftdata.formats import NAMES

        if self.input_format is not None and self.input_format not in NAMES:
            hint = did_you_mean(self.input_format, NAMES, f" (known: {', '.join(NAMES)})")
            raise ValueError(f"input-format {self.input_format!r} is not a format ftdata reads{hint}")
        return self

    @model_validator(mode="after")
    def _known_model(self) -> Settings:
        if self.model not in MODELS and self.max_tokens is None:
            raise ValueError(f"unknown model {self.model!r} (known: {', '.join(MODELS)}); "
                             "give its per-example limit with --max-tokens")
        return self

    def spec(self) -> ModelSpec:
        spec = model_spec(self.model, self.max_tokens)
        return spec._replace(source=self.limit_source) if self.max_tokens and self.limit_source else spec


def comma_list(text: str) -> list[str]:
    """The comma-separated items of a list option given as one string ("a, b" -> ["a", "b"])."""
    return [p.strip() for p in text.split(",") if p.strip()]


def _is_list(annotation: Any) -> bool:
    """Is a field's type a tuple or list (optionally with None)?"""
    import typing

    return any(typing.get_origin(a) in (tuple, list) for a in (annotation, *typing.get_args(annotation)))


def suggest(word: str) -> str:
    """A ", did you mean X?" suffix naming the closest rule code or name, if any is close."""
    from ftdata.registry import all_checks

    names = [c.name for c in all_checks()] + [c.code for c in all_checks()]
    return did_you_mean(word, names, " (`ftdata rules` lists them)")


def did_you_mean(word: str, choices: Iterable[str], otherwise: str = "") -> str:
    """A "; did you mean X?" suffix naming the choice closest to `word`, else `otherwise`."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else otherwise
