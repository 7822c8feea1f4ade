"""`--format json`: one JSON object, the public schema in schemas/report.schema.json."""
from __future__ import annotations

import orjson

from ftdata.report.base import Report


def render(report: Report, color: bool = False) -> str:
    return orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY).decode() + "\n"
