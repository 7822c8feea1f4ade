"""ftdata: lint and curate LLM fine-tuning data. The notebook API is the CLI's API.

    import ftdata
    report = ftdata.lint("train.jsonl", model="gpt-4o-mini")
    report.verdict, report.to_pandas()
    df = ftdata.load("train.jsonl")
"""
from __future__ import annotations

from ftdata._version import __version__

from ftdata.config import Settings, VolumeSettings
from ftdata.model import Finding, Message, Record, Severity
from ftdata.records import records
from ftdata.report.base import Report
from ftdata.api import lint, load

__all__ = ["Finding", "Message", "Record", "Report", "Settings", "Severity", "VolumeSettings", "__version__",
           "lint", "load", "records"]
