"""Output formats, one module each behind one signature: render(report, color) -> str."""
from __future__ import annotations

from typing import Callable

from ftdata.report import json as json_format
from ftdata.report import text as text_format
from ftdata.report.base import FileResult, Report

Renderer = Callable[[Report, bool], str]

RENDERERS: dict[str, Renderer] = {
    "text": text_format.render,
    "json": json_format.render,
}

__all__ = ["RENDERERS", "FileResult", "Report"]
