"""The suppressions a run applies: a baseline of accepted findings (`--baseline`, else the
configuration's `baseline`, else ftdata-baseline.json in the project root when it exists) and
the configuration's ignores by record id."""
from __future__ import annotations

import os
from dataclasses import dataclass

from ftdata.baseline import Entry, Keyed, judged_entries, keyed, load_baseline, write_baseline
from ftdata.config import Settings
from ftdata.configfile import Loaded
from ftdata.report.base import FileResult, Report
from ftdata.suppress_ids import suppress

DEFAULT_BASELINE = "ftdata-baseline.json"


@dataclass(frozen=True)
class Suppressions:
    loaded: Loaded
    baseline_path: str
    read_baseline: bool  # False with --no-baseline, and when writing a new one

    @classmethod
    def of(cls, loaded: Loaded, path: str | None, skip_baseline: bool) -> Suppressions:
        """Raises ValueError for a baseline named on the command line that does not exist (one
        named in the configuration may not exist yet: it is written by --write-baseline)."""
        if path is not None and not skip_baseline and not os.path.isfile(path):
            raise ValueError(f"cannot read the baseline {path!r}: it does not exist (write it with --write-baseline)")
        chosen = path or (loaded.resolve(loaded.config.baseline) if loaded.config.baseline
                          else os.path.join(loaded.root, DEFAULT_BASELINE))
        return cls(loaded, os.path.relpath(chosen) if not os.path.isabs(path or "") else chosen, not skip_baseline)

    def apply(self, results: list[FileResult], settings: Settings) -> tuple[list[FileResult], int]:
        """The results without the suppressed findings, with the unused suppressions reported, and
        how many findings were suppressed (a verdict of "ready" should say what it leaves out)."""
        out, _ = self._suppress(results, settings)
        kept = sum(f.category != "suppression" for r in out for f in r.findings)
        return out, sum(len(r.findings) for r in results) - kept

    def write_baseline(self, results: list[FileResult], settings: Settings) -> int:
        """Record the findings, except those ignored by record id, as accepted, keeping the
        entries of an existing baseline for files and rules this run did not lint (but not for
        files that no longer exist); returns the number of entries."""
        from ftdata.curate.atomic import check_target

        check_target(self.baseline_path, [r.file for r in results])
        keep: list[Entry] = []
        if os.path.isfile(self.baseline_path):
            old = load_baseline(self.baseline_path)
            judged = set(judged_entries(old, results, settings))
            keep = [e for e in old.entries if e.key not in judged and os.path.exists(old.resolve(e.file))]
        accepted, rows = self._suppress(results, settings)
        # keyed over every finding, as a lint keys them before suppressions apply (see record_keys)
        key_of = {id(f): fp for row in (keyed(results)[0] if rows is None else rows) for f, fp, _ in row}
        kept = [f for r in accepted for f in r.findings if f.category != "suppression"]
        return write_baseline(Report([FileResult("", 0, 0, kept, {})]), self.baseline_path, keep,
                              [key_of[id(f)] for f in kept])

    def _suppress(self, results: list[FileResult], settings: Settings) -> tuple[list[FileResult], Keyed | None]:
        use = self.read_baseline and os.path.isfile(self.baseline_path)
        cfg = self.loaded.config
        return suppress(results, settings, baseline=load_baseline(self.baseline_path) if use else None,
                        id_field=cfg.id_field, ignores=cfg.ignore_records or (), config_file=self.loaded.path)
