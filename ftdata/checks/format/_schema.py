"""Helpers shared by the rules that report JSON Schema errors."""
from __future__ import annotations

from typing import Any

JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer",
              float: "number", type(None): "null"}


def json_type(value: Any) -> str:
    if isinstance(value, float) and value != value:
        return "NaN (not valid JSON)"
    return JSON_TYPES.get(type(value), type(value).__name__)


def where(pointer: str) -> str:
    return pointer or "the record"
