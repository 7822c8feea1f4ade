"""Output formats, one module each behind one interface: `write(report, out, options)` writes the
report as bytes to `out` (stdout's buffer, or the atomic temporary file of `--output FILE`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Callable, Protocol

from ftdata.report._common import json_printable, printable
from ftdata.report.base import FileResult, Report


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False  # ANSI colours (text only; never when writing a file)
    max_examples: int = 5  # locations shown per rule in human output
    # A rule's documentation by code, for formats that carry it (SARIF): the caller passes the
    # registry's (`registry.find(code).doc()`), since reports may not import the registry.
    rule_doc: Callable[[str], str | None] | None = None


class Writer(Protocol):
    def __call__(self, report: Report, out: IO[bytes], options: RenderOptions) -> None: ...


def _formats() -> dict[str, Writer]:
    from ftdata.report import concise, github, jsonl, junit, markdown, sarif
    from ftdata.report import json as json_format
    from ftdata.report import text as text_format

    return {
        "text": text_format.write,
        "concise": concise.write,
        "json": json_format.write,
        "jsonl": jsonl.write,
        "sarif": sarif.write,
        "github": github.write,
        "junit": junit.write,
        "markdown": markdown.write,
    }


FORMATS: dict[str, Writer] = _formats()

__all__ = ["FORMATS", "FileResult", "RenderOptions", "Report", "Writer", "json_printable", "printable"]
