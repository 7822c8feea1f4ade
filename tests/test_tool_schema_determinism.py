"""FMT031 names one meta-schema violation per tool; jsonschema's error order can follow set
iteration, so which one was named changed with PYTHONHASHSEED (four seeds, four reports)."""
from __future__ import annotations

import os
import subprocess
import sys

from ftdata.checks.format.invalid_tool_schema import _schema_problem

import orjson


def test_the_named_violation_does_not_depend_on_the_hash_seed() -> None:
    # a real tool of llama_factory/reason_tool_use_demo_50.jsonl: Python type names, not JSON types
    schema = {"type": "object", "properties": {
        "items": {"type": "List[float]", "description": "prices"},
        "sequence_id": {"type": "str, optional", "description": "id"},
        "discount": {"type": "float"}}, "required": ["items"]}
    code = ("import orjson, sys; from ftdata.checks.format.invalid_tool_schema import _schema_problem; "
            f"print(_schema_problem(orjson.dumps({schema!r})))")
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(6)}
    assert len(seen) == 1, seen
    message, where = _schema_problem(orjson.dumps(schema))  # type: ignore[misc]
    assert "is not a JSON Schema type" in message and where.startswith("/properties/")
