"""Output formats, one module each behind one interface: `write(report, out, options)` writes the
report as bytes to `out` (stdout's buffer, or the atomic temporary file of `--output FILE`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Protocol

from ftdata.report.base import FileResult, Report


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False  # ANSI colours (text only; never when writing a file)
    max_examples: int = 5  # locations shown per rule in human output


class Writer(Protocol):
    def __call__(self, report: Report, out: IO[bytes], options: RenderOptions) -> None: ...


def _formats() -> dict[str, Writer]:
    from ftdata.report import json as json_format
    from ftdata.report import text as text_format

    return {
        "text": text_format.write,
        "json": json_format.write,
    }


FORMATS: dict[str, Writer] = _formats()

__all__ = ["FORMATS", "FileResult", "RenderOptions", "Report", "Writer"]
