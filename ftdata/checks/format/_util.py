"""Small helpers for record checks that need the raw value behind a canonical message."""
from __future__ import annotations

from typing import Any

MISSING: Any = object()


def resolve(raw: Any, pointer: str) -> Any:
    """The value at a JSON Pointer, or MISSING."""
    node = raw
    if not pointer:
        return node
    for token in pointer[1:].split("/"):
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            if key not in node:
                return MISSING
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return MISSING
    return node
