"""FMT031: tool definitions whose parameters are not a valid JSON Schema."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterator

import orjson
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from ftdata.checks.base import RecordCheck
from ftdata.model import Finding, Record, Severity
from ftdata.schemas import json_pointer


JSON_TYPES = "string, number, integer, boolean, object, array, null"


@lru_cache(maxsize=4096)
def _schema_problem(dumped: bytes) -> tuple[str, str] | None:
    """(message, JSON Pointer inside the schema) of the first meta-schema violation, or None."""
    schema = orjson.loads(dumped)
    # jsonschema yields errors in an order that can follow set iteration (PYTHONHASHSEED), and
    # best_match keeps the first of equally relevant ones: sort them first, so the report is stable
    errors = sorted(_META.iter_errors(schema), key=lambda e: (json_pointer(list(e.absolute_path)), e.message))
    e = best_match(errors)
    if e is not None:
        path = list(e.absolute_path)
        where = json_pointer(path)
        if path and path[-1] == "type":
            return f"{e.instance!r} is not a JSON Schema type (types are {JSON_TYPES})", where
        return e.message, where
    return None


_META = Draft202012Validator(Draft202012Validator.META_SCHEMA)


class InvalidToolSchema(RecordCheck):
    """A tool definition is malformed: its `parameters` is not a valid JSON Schema, or it has no name.

    What it does: validates each tool's `parameters` against the JSON Schema meta-schema
    (jsonschema, Draft 2020-12); ShareGPT's `tools` string must be a JSON list. Identical tool
    lists are validated once.
    Why it matters: providers reject invalid tool schemas; a model trained on them learns to
    call tools with arguments no schema describes.
    Example: `"parameters": {"type": "obj"}`.
    Options: none.
    """

    code = "FMT031"
    category = "format"
    name = "invalid-tool-schema"
    severity = Severity.ERROR

    def check(self, record: Record) -> Iterator[Finding]:
        tools: Any = record.tools
        if not tools:
            return
        raw = record.raw
        base = "/input/tools" if record.format == "openai-dpo" else \
            "/functions" if "tools" not in raw and "functions" in raw else "/tools"
        in_string = isinstance(tools, str)  # the schema cannot see inside a JSON string: check more here
        if in_string:
            if not tools.strip():
                return
            try:
                tools = orjson.loads(tools)
            except orjson.JSONDecodeError as e:
                yield self.finding(f"tools is not valid JSON ({e})", record, base, tools)
                return
        if not isinstance(tools, list):
            return
        for i, tool in enumerate(tools):
            if not isinstance(tool, dict):
                continue
            fn = tool.get("function", tool)
            if not isinstance(fn, dict):
                continue
            at = f"{base}/{i}/function" if "function" in tool else f"{base}/{i}"
            name = fn.get("name")
            if isinstance(name, str) and not name.strip():
                yield self.finding(f"tool {i + 1} has an empty name", record, base if in_string else f"{at}/name")
            elif in_string and not isinstance(name, str):  # outside a string, the schema reports it
                yield self.finding(f"tool {i + 1} has no name", record, base)
            params = fn.get("parameters")
            if params is None:
                continue
            if not isinstance(params, dict):
                yield self.finding(f"parameters of tool {fn.get('name')!r} is not an object", record,
                                   f"{at}/parameters")
                continue
            try:
                dumped = orjson.dumps(params, option=orjson.OPT_SORT_KEYS)  # the cache key
            except (TypeError, ValueError):  # nested over 255 levels: the schema check reports it
                continue
            problem = _schema_problem(dumped)
            if problem:
                message, where = problem
                pointer = base if in_string else f"{at}/parameters{where}"  # no pointer into a string
                yield self.finding(f"parameters of tool {fn.get('name')!r} is not a valid JSON Schema: {message}",
                                   record, pointer)
