"""Access to the JSON Schemas shipped in schemas/ (inside the wheel: ftdata/schemas)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple

_HERE = Path(__file__).resolve().parent


def schema_dir() -> Path:
    for d in (_HERE / "schemas", _HERE.parent / "schemas"):
        if d.is_dir():
            return d
    raise FileNotFoundError("ftdata's schemas/ folder is missing from this installation")


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    with open(schema_dir() / name, encoding="utf-8") as f:
        return json.load(f)  # type: ignore[no-any-return]


class SchemaError(NamedTuple):
    """One violation of a format's schema, in terms the schema rules can claim."""

    keyword: str  # the failing JSON Schema keyword: "required", "type", "enum", ...
    path: tuple[str | int, ...]  # where in the record
    instance: Any  # the offending value
    message: str
    detail: dict[str, Any]  # keyword specifics: property, unexpected, types, options, limit

    @property
    def pointer(self) -> str:
        return json_pointer(self.path)


def json_pointer(path: Iterable[str | int]) -> str:
    """The JSON Pointer (RFC 6901) of a path of keys and indices: '~' and '/' in keys escaped."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


@lru_cache(maxsize=None)
def validator(name: str) -> Any:
    """jsonschema-rs (Rust): ~0.4 us to say yes for a valid record, ~10 us to list every error of
    an invalid one, ten times faster than the Python implementation; both matter at 1M records."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(load(name))


def is_valid(name: str) -> Callable[[Any], bool]:
    return validator(name).is_valid  # type: ignore[no-any-return]


def errors(name: str, instance: Any) -> Iterator[SchemaError]:
    """Every violation of the named schema, each with its keyword and path."""
    for e in validator(name).iter_errors(instance):
        keyword = str(e.schema_path[-1]) if e.schema_path else ""
        yield SchemaError(keyword, tuple(e.instance_path), e.instance, e.message, e.kind.as_dict())
