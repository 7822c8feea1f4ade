"""The result of a lint run: findings, stats, verdict. Renderers turn it into text or JSON."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from ftdata._version import __version__
from ftdata.model import Finding, Severity
from ftdata.report._common import rows

READY, READY_WITH_WARNINGS, NOT_READY = "ready", "ready-with-warnings", "not-ready"


@dataclass(frozen=True)
class FileResult:
    file: str
    records: int
    examples: int
    findings: list[Finding]
    stats: dict[str, Any]
    data: Any = None  # the scanned dataset (ftdata.checks.base.Dataset), kept for leakage checks


class Report:
    """What `ftdata.lint` returns and every output format renders."""

    def __init__(self, results: list[FileResult], exit_zero: bool = False, suppressed: int = 0) -> None:
        self.results = results
        self.exit_zero = exit_zero
        self.suppressed = suppressed  # findings left out by the baseline and record ignores
        self.findings: list[Finding] = [f for r in results for f in r.findings]
        counts: Counter[Severity] = Counter()
        for f in self.findings:  # a collapsed finding (ftdata.collapse) counts every record it stands for
            counts[f.severity] += getattr(f, "count", 1)
        self.summary: dict[str, int] = {
            "files": len(results),
            "examples": sum(r.examples for r in results),
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "infos": counts[Severity.INFO],
        }
        self._fingerprints: list[str] | None = None
        self.stats: dict[str, Any] = {"examples": self.summary["examples"],
                                      "records": sum(r.records for r in results),
                                      "files": [r.stats for r in results]}

    @property
    def verdict(self) -> str:
        if self.summary["errors"]:
            return NOT_READY
        return READY_WITH_WARNINGS if self.summary["warnings"] else READY

    @property
    def reasons(self) -> list[str]:
        """The rules that decided the verdict, most frequent first."""
        deciding = Severity.ERROR if self.summary["errors"] else Severity.WARNING
        counts: Counter[tuple[str, str]] = Counter()
        for f in self.findings:
            if f.severity is deciding:
                counts[(f.rule, f.name)] += getattr(f, "count", 1)
        return [f"{n:,} x {name} ({code})" for (code, name), n in
                sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))]

    @property
    def exit_code(self) -> int:
        return 1 if self.summary["errors"] and not self.exit_zero else 0

    def to_dict(self, findings: bool = True) -> dict[str, Any]:
        """The JSON report; without its findings (an empty list) for a renderer that streams them."""
        return {
            "ftdata_version": __version__,
            "verdict": self.verdict,
            "reasons": self.reasons,
            "exit_code": self.exit_code,
            "summary": dict(self.summary),
            "suppressed": self.suppressed,
            "stats": self.stats,
            "findings": [f.to_dict() for f in self.findings] if findings else [],
        }

    def to_pandas(self) -> Any:
        """One row per finding (related locations as a list); text as in the JSON report, a lone
        surrogate escaped (`\\ud800`: see report._common.rows)."""
        import pandas as pd

        cols = ["rule", "name", "category", "severity", "file", "line", "column", "record_index", "pointer",
                "message", "excerpt", "related"]
        return pd.DataFrame(rows(self.findings), columns=cols)

    def fingerprints(self) -> list[str]:
        """A content fingerprint of each finding's record, in `findings` order (see
        ftdata.record_keys): stable when lines move, for baselines and SARIF."""
        if self._fingerprints is None:
            from ftdata.record_keys import record_keys

            self._fingerprints = record_keys(self.findings).fingerprints
        return self._fingerprints

    def _repr_html_(self) -> str:
        from ftdata.report.html import render

        return render(self)

    def __repr__(self) -> str:
        s = self.summary
        return (f"<Report {self.verdict}: {s['examples']} examples, {s['errors']} errors, "
                f"{s['warnings']} warnings, {s['infos']} infos>")
