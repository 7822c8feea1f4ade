"""Run settings, validated by pydantic; the CLI and the notebook API both build one of these."""
from __future__ import annotations

import difflib
import math
from typing import Annotated, Any, Iterable

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

from ftdata.model import Severity
from ftdata.tokens import DEFAULT_MODEL, MODELS, ModelSpec, model_spec


# Bounds on numbers from a configuration file, an option or the API: far above any real use, far below
# what breaks arithmetic (numpy and C take 64-bit integers; a token or record count fits in 31 bits).
COUNT_MAX = 2**31 - 1  # records, tokens, examples
JOBS_MAX = 1024  # worker processes
BYTES_MAX = 2**62  # a file size


def _number(value: Any) -> Any:
    """A number must be one: TOML's `true` is no count (Python would take it for 1), and NaN or an
    infinity is no threshold."""
    if isinstance(value, bool):
        raise ValueError(f"must be a number, not {str(value).lower()}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"must be a finite number, not {value}")
    return value


Number = BeforeValidator(_number)


def shown(value: Any, width: int = 60) -> str:
    """`repr(value)` cut to `width` characters: an error message quotes a value, never a megabyte of it."""
    try:
        text = repr(value)
    except ValueError:  # an integer of over 4,300 digits, which Python will not print
        text = f"an integer of {value.bit_length():,} bits"
    return text if len(text) <= width else text[:width - 1] + "…"


class VolumeSettings(BaseModel):
    """Example-count thresholds: provider minimum (error), minimum to learn (error), recommended."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    provider_minimum: Annotated[int, Number] = Field(10, ge=0, le=COUNT_MAX,
                                                     description="OpenAI rejects fewer than 10 examples")
    minimum: Annotated[int, Number] = Field(50, ge=0, le=COUNT_MAX,
                                            description="below this a fine-tune rarely learns a behaviour")
    recommended: Annotated[int, Number] = Field(100, ge=0, le=COUNT_MAX,
                                                description="below this results are often disappointing")


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str = DEFAULT_MODEL
    max_tokens: Annotated[int | None, Number] = Field(None, gt=0, le=COUNT_MAX,
                                                      description="override the model's per-example limit")
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
    jobs: Annotated[int | None, Number] = Field(None, ge=1, le=JOBS_MAX, description="worker processes (default: CPU count)")
    exact_tokens_bytes: Annotated[int, Number] = Field(32 << 20, ge=0, le=BYTES_MAX,
                                                       description="count every record exactly up to this file size")
    max_record_bytes: Annotated[int, Number] = Field(8 << 20, ge=1, le=1 << 40, description="a larger record "
                                                     "(line or array element) is reported (FMT008), not parsed")
    eval: tuple[str, ...] = Field((), description="evaluation sets checked for leakage from the training files")
    near_threshold: Annotated[float, Number] = Field(0.8, gt=0, le=1, description="Jaccard similarity of character 5-grams from "
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

    @field_validator("select", "extend_select", "ignore", mode="after")
    @classmethod
    def _once_each(cls, selectors: tuple[str, ...]) -> tuple[str, ...]:
        """A selector given twice selects nothing more: kept once, so that a list repeated a
        million times costs nothing per rule."""
        return tuple(dict.fromkeys(selectors))

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
                                 *((f"per-file-ignores {shown(glob)}", sel) for glob, sel in self.per_file_ignores.items())):
            for sel in dict.fromkeys(selectors):
                if not sel.strip():
                    raise ValueError(f"{field} takes a rule code, code prefix, name or category, not an empty string")
                if sel.strip().upper() != "ALL" and not any(specificity(c, sel) for c in all_checks()):
                    raise ValueError(f"{field} {shown(sel)} matches no rule{suggest(sel)}")
        for key, opts in self.checks.items():
            cls = find(key)
            if cls is None:
                raise ValueError(f"options for unknown check {shown(key)}{suggest(key)}")
            fields = cls.Options.model_fields
            for name in opts:
                if name not in fields:
                    known = ", ".join(fields) or "none"
                    raise ValueError(f"{cls.name} has no option {shown(name)}{did_you_mean(name, fields)} "
                                     f"(its options: {known})")
            _check_options(cls, opts)
        return self

    @model_validator(mode="after")
    def _known_input_format(self) -> Settings:
        from ftdata.formats import NAMES

        if self.input_format is not None and self.input_format not in NAMES:
            hint = did_you_mean(self.input_format, NAMES, f" (known: {', '.join(NAMES)})")
            raise ValueError(f"input-format {shown(self.input_format)} is not a format ftdata reads{hint}")
        return self

    @model_validator(mode="after")
    def _known_model(self) -> Settings:
        if self.model not in MODELS and self.max_tokens is None:
            raise ValueError(f"unknown model {shown(self.model)} (known: {', '.join(MODELS)}); "
                             "give its per-example limit with --max-tokens")
        return self

    def spec(self) -> ModelSpec:
        spec = model_spec(self.model, self.max_tokens)
        return spec._replace(source=self.limit_source) if self.max_tokens and self.limit_source else spec


def _check_options(cls: type[Any], opts: dict[str, Any]) -> None:
    """A check's options, validated by its Options model and held to the bounds of every number
    setting (ValueError naming `check.option`): pydantic takes `true` for 1, and NaN, an infinity or
    a 30-digit integer for numbers, none of which a threshold or count can be."""
    from ftdata.registry import BUILTIN

    fields = cls.Options.model_fields
    for name, value in opts.items():
        kinds = _kinds(fields[name].annotation)
        if isinstance(value, bool) and bool not in kinds and kinds & {int, float}:
            raise ValueError(f"{cls.name}.{name}: must be a number, not {str(value).lower()}")
    try:
        built = cls.Options(**opts)
        if cls not in BUILTIN:  # a plugin's code may raise anything on options it was not tried with
            cls(built)
    except ValidationError as e:
        err = e.errors()[0]
        raise ValueError(f"{cls.name}.{'.'.join(map(str, err['loc']))}: {error_message(err)}") from None
    except Exception as e:  # only a plugin's: the built-in checks take what their Options validate
        if cls in BUILTIN:
            raise
        detail = " ".join(str(e).split())[:200]
        raise ValueError(f"{cls.name}: the plugin check refuses these options ({type(e).__name__}: {detail})") from None
    for name in opts:
        value = getattr(built, name)
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{cls.name}.{name}: must be a finite number, not {value}")
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > COUNT_MAX:
            raise ValueError(f"{cls.name}.{name}: must be at most {COUNT_MAX:,}, not {shown(value, 30)}")


def _kinds(annotation: Any) -> set[Any]:
    """The plain types a field's annotation admits (`int | None` -> {int, NoneType})."""
    import types
    import typing

    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        return _kinds(args[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return {k for a in args for k in _kinds(a)}
    return {annotation}


_BOUNDS = {"greater_than": "greater than", "greater_than_equal": "at least", "less_than": "less than",
           "less_than_equal": "at most"}
_KINDS = {"int": "a whole number", "float": "a number", "string": "text (a quoted string)", "bool": "true or false",
          "dict": "a table", "model": "a table", "tuple": "a list", "list": "a list"}


def error_message(err: Any) -> str:
    """One of pydantic's errors as the end of a sentence about a setting, quoting the value given
    ("must be at most 2,147,483,647, not 99999999999999999999")."""
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    got = f", not {_what(value)}"
    if kind in _BOUNDS:
        bound = next(iter(ctx.values()), None)
        bound = f"{bound:,}" if isinstance(bound, int) and not isinstance(bound, bool) else bound
        return f"must be {_BOUNDS[kind]} {bound}{got}"
    if kind in ("string_too_short", "string_pattern_mismatch"):
        return "must not be empty"
    if kind in ("int_from_float", "int_parsing", "int_parsing_size"):
        return f"must be a whole number{got}"
    if kind.startswith("float") and isinstance(value, int):  # beyond a float's range
        return f"must be a number of at most 308 digits{got}"
    if kind.endswith("_type") and kind.removesuffix("_type") in _KINDS:
        return f"must be {_KINDS[kind.removesuffix('_type')]}{got}"
    if kind == "literal_error" or kind == "enum":
        return f"must be {ctx.get('expected', 'one of the known values')}{got}"
    return str(err["msg"]).removeprefix("Value error, ")


def _what(value: Any) -> str:
    """A value a user gave, as an error message names it: short ones quoted, tables and lists by kind."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, bool):
        return str(value).lower()
    return shown(value, 40)


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
