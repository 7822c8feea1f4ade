"""`--format jsonl`: one JSON object per finding per line (Finding.to_dict's keys) and nothing else,
so `jq`, pandas and log pipelines can consume findings as a stream without a JSON parser that
holds the whole report."""
from __future__ import annotations

from typing import IO, TYPE_CHECKING

import orjson

from ftdata.model import Finding
from ftdata.report._common import dumps
from ftdata.report.base import Report

if TYPE_CHECKING:
    from ftdata.report import RenderOptions

BATCH = 10_000  # findings serialised, then written, at once
_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_APPEND_NEWLINE


def write(report: Report, out: IO[bytes], options: RenderOptions) -> None:
    findings = report.findings
    for start in range(0, len(findings), BATCH):
        out.write(b"".join(line(f) for f in findings[start:start + BATCH]))


def line(f: Finding) -> bytes:
    return dumps(f.to_dict(), _OPTIONS)  # a lone surrogate escaped: see dumps
