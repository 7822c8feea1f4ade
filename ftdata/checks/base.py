"""The kinds of check. Pick one by base class; the engine knows how to run each.

- ReadRule: a problem with the bytes or JSON of a line, found while reading (no record yet).
- SchemaRule: claims errors of the format's JSON Schema (one validation per record serves all).
- RecordCheck: sees one normalised record; never reaches across records.
- DatasetCheck: `collect` a small value per record (runs in worker processes), then `finish`
  once over all values with the dataset's per-record arrays.
"""
from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterable, Iterator, NamedTuple

from pydantic import BaseModel, ConfigDict

from ftdata.model import TASKS, Finding, Location, Record, Severity, excerpt

if TYPE_CHECKING:
    import numpy as np

    from ftdata.config import Settings
    from ftdata.schemas import SchemaError
    from ftdata.tokens import ModelSpec


class CheckOptions(BaseModel):
    """A check's options; subclasses add typed fields with defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Check:
    code: ClassVar[str]
    name: ClassVar[str]
    category: ClassVar[str]
    severity: ClassVar[Severity]
    Options: ClassVar[type[CheckOptions]] = CheckOptions
    tasks: ClassVar[frozenset[str]] = frozenset(TASKS)

    def __init__(self, options: CheckOptions | None = None) -> None:
        self.options = options if options is not None else self.Options()

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    def finding(self, message: str, record: Record | None = None, pointer: str = "",
                text: str | None = None, related: Iterable[Location] = (), *, file: str | None = None,
                line: int | None = None, index: int | None = None, column: int | None = None) -> Finding:
        if record is not None:
            file, line, index, column = record.file, record.line, record.index, record.column
        return Finding(rule=self.code, name=self.name, category=self.category, severity=self.severity, file=file,
                       line=line, column=column, record_index=index, pointer=pointer, message=message,
                       excerpt=excerpt(text) if text is not None else None, related=tuple(related))


    def at(self, data: Dataset, i: int, message: str, pointer: str = "", text: str | None = None,
           related: Iterable[Location] = ()) -> Finding:
        """A finding located at the i-th record of a dataset (dataset and leakage checks)."""
        file, line, index = data.location(i)
        return self.finding(message, None, pointer, text, related, file=file, line=line, index=index,
                            column=data.column_of(i) if line is not None else None)


class ReadRule(Check):
    """Emitted by the reader for a problem of kind `kind` (see ftdata.io.ReadProblem)."""

    kind: ClassVar[str]
    category = "format"

    def message(self, detail: str) -> str:
        return detail


class SchemaRule(Check):
    """Claims JSON Schema errors by keyword; the first rule in the registry that claims one wins."""

    keywords: ClassVar[frozenset[str]]
    category = "format"

    def claims(self, error: SchemaError) -> bool:
        return error.keyword in self.keywords

    def findings(self, error: SchemaError, record: Record, pointer: str) -> Iterator[Finding]:
        yield self.finding(f"{pointer or 'record'}: {error.message}", record, pointer)


class RecordCheck(Check):
    # True when whether the check fires depends only on (format, task, sequences of roles of the
    # conversation and of its rejected alternative): the
    # engine then skips it for a role sequence that has already passed, a large saving at scale.
    roles_only: ClassVar[bool] = False
    # True when the check can fire only if some turn carries a weight or tool calls; the engine
    # skips it for records whose turns are all plain role + text.
    turn_data_only: ClassVar[bool] = False

    def check(self, record: Record) -> Iterator[Finding]:
        raise NotImplementedError

    def run(self, records: Iterable[Record]) -> list[Finding]:
        """Run on its own, e.g. in a notebook: `Check().run(ftdata.records(path))`."""
        return [f for r in records if r.task in self.tasks for f in self.check(r)]


class Dataset(NamedTuple):
    """What a dataset check sees at the end: one row per record, in file order."""

    file: str
    settings: Settings
    spec: ModelSpec
    lines: np.ndarray  # 1-based start line per record (0 when not from a file)
    indices: np.ndarray  # 0-based record index
    format_codes: np.ndarray  # per record, index into ftdata.formats.NAMES
    task_codes: np.ndarray  # per record, index into ftdata.model.TASKS
    n_messages: np.ndarray
    tokens: np.ndarray  # tokens per record (max over chosen/rejected); exact or estimated
    tokens_exact: np.ndarray  # bool: was this row counted exactly?
    estimates: np.ndarray  # the calibrated estimate of every row, exact rows included
    recount: Callable[[np.ndarray], None]  # count these rows exactly, updating tokens/tokens_exact
    columns: dict[str, np.ndarray]  # every per-row column of the scan (fingerprints among them)
    signatures: np.ndarray | None  # MinHash signatures (rows x 64, uint16) when fingerprinted
    fetch: Callable[[Any], dict[int, Record]]  # re-read these rows' records ({} when impossible)
    cache: dict[str, Any]  # results shared between dataset checks (e.g. duplicate clusters)

    def near(self, threshold: float, limit: int = 500) -> np.ndarray:
        """Rows whose estimate is close enough to `threshold` that an exact count could put them
        on the other side: within 3 sigma of the estimator's error, measured on exactly counted
        rows of about that size; at most `limit`, the closest first (an exact count costs a re-read)."""
        import numpy as np

        if self.tokens_exact.all():
            return np.zeros(0, np.int64)
        exact = self.tokens_exact
        log_est = np.log(np.maximum(self.estimates, 1.0))
        resid = np.log(np.maximum(self.tokens[exact], 1.0)) - log_est[exact]
        similar = np.abs(log_est[exact] - np.log(threshold)) < np.log(2)
        sigma = float(resid[similar].std()) if similar.sum() >= 30 else float(resid.std()) if len(resid) > 1 else 0.5
        dist = np.abs(log_est - np.log(max(threshold, 1.0)))
        rows = ((dist < 3 * sigma) & ~exact).nonzero()[0]
        return np.asarray(rows[np.argsort(dist[rows], kind="stable")[:limit]], np.int64)

    @property
    def n(self) -> int:
        return len(self.indices)

    @property
    def distinct(self) -> int:
        """Examples after collapsing duplicate clusters (all rows when duplicates are not checked)."""
        clusters = self.cache.get("clusters")
        return self.n if clusters is None else int(clusters.distinct)

    def labels(self) -> int:
        """How many distinct labels the data has if it looks like classification (at least 90%
        of final answers are short, from a small set), else 0."""
        if "label_count" not in self.cache:  # asked by several rules and the stats
            from ftdata.arrays import distinct

            answers = self.columns["answer"]
            short = answers[answers >= 0]
            k, n = len(distinct(short)), self.n
            self.cache["label_count"] = k if n >= 10 and len(short) >= 0.9 * n and 2 <= k <= max(2, min(200, n // 5)) \
                else 0
        return int(self.cache["label_count"])

    def format_of(self, i: int) -> str:
        from ftdata.formats import NAMES

        return NAMES[int(self.format_codes[i])]

    def format_counts(self) -> dict[str, int]:
        """Records per detected format, most frequent first."""
        from ftdata.formats import NAMES

        return _counts(self.format_codes, NAMES)

    def task_counts(self) -> dict[str, int]:
        return _counts(self.task_codes, TASKS)

    def line_of(self, i: int) -> int | None:
        return self.location(i).line

    def column_of(self, i: int) -> int | None:
        """Row i's 1-based column on its line (Finding.column), None when not known."""
        column = self.columns.get("column")
        return int(column[i]) or None if column is not None and i < len(column) else None

    def location(self, i: int) -> Location:
        """Where row i is: (file, line or None, record index)."""
        lists = self.cache.get("locations")
        if lists is None:
            return self.locations((i,))[0]
        return _location((self.file, lists[0][i] or None, lists[1][i]))

    def locations(self, rows: Iterable[int]) -> tuple[Location, ...]:
        """Where these rows are. After many calls, from Python lists of every row's line and index
        (the duplicate rules ask for hundreds of thousands of rows, and numpy is slow item by
        item); until then from the arrays, since the lists cost ~70 bytes a row."""
        lists = self.cache.get("locations")
        if lists is None:
            calls = self.cache["location_calls"] = self.cache.get("location_calls", 0) + 1
            if calls < 10_000:
                picked = list(rows)
                lines, indices = self.lines[picked].tolist(), self.indices[picked].tolist()
                return tuple([_location((self.file, line or None, i)) for line, i in zip(lines, indices)])
            lists = self.cache["locations"] = (self.lines.tolist(), self.indices.tolist())
        lines, indices = lists
        file = self.file
        return tuple([_location((file, lines[r] or None, indices[r])) for r in rows])


def _location(fields: tuple[str, int | None, int]) -> Location:
    """Location(*fields), without the named tuple's Python-level __new__ (hundreds of thousands
    are built for the duplicate rules)."""
    return tuple.__new__(Location, fields)


class DatasetCheck(Check):
    # "exact" when the check needs the per-record fingerprints (hashes) and the duplicate
    # clusters, "near" when it needs near-duplicate clusters too (MinHash signatures); the scanner
    # computes them only when some check asks.
    fingerprints: ClassVar[str] = ""
    # True when the check needs the style profile of every answer (ftdata.style.Profiles, in
    # `cache["profiles"]`), computed by the scanner only when some check asks
    profiles: ClassVar[bool] = False

    def collects(self, settings: Settings) -> bool:
        """Does this run need `collect` called on every record? (It is, when overridden.)"""
        return type(self).collect is not DatasetCheck.collect

    def collect(self, record: Record, settings: Settings) -> Any:
        """A small picklable value per record. Checks that need only the arrays do not override
        this; they are then not called per record and get an empty `values`."""
        return None

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        raise NotImplementedError



class LeakageCheck(Check):
    """Compares an evaluation set with a training set (`--eval`); findings sit on eval records."""

    fingerprints: ClassVar[str] = "exact"

    def finish(self, train: Dataset, evaluation: Dataset) -> Iterator[Finding]:
        raise NotImplementedError

    def finish_all(self, trains: list[Dataset], evaluation: Dataset) -> Iterator[Finding]:
        """Against every training set: each on its own, unless the check judges them together."""
        for train in trains:
            yield from self.finish(train, evaluation)


def _counts(codes: np.ndarray, names: tuple[str, ...]) -> dict[str, int]:
    import numpy as np

    counts = np.bincount(codes.astype(np.int64), minlength=len(names)) if len(codes) else np.zeros(len(names), int)
    order = sorted(range(len(names)), key=lambda i: (-counts[i], i))
    return {names[i]: int(counts[i]) for i in order if counts[i]}
