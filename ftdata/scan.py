"""Scan a chunk of input: parse, detect, normalise, validate, run record checks, measure.

Runs in worker processes on byte ranges of a file, or in-process. Everything it returns is
small and positional (lines and indices are relative to the chunk) so the engine can stitch
chunks together in order.
"""
from __future__ import annotations

import json
from zlib import crc32
from typing import Any, Iterable, Iterator

import numpy as np
import orjson

from ftdata import fingerprint, formats, schemas, style, tokens
from ftdata.config import Settings
from ftdata.checks.format._schema import json_type
from ftdata.formats.base import Format
from ftdata.io import BOM, ReadProblem
from ftdata.io.readers import Broken, Oversized
from ftdata.model import TASKS, TEXT, Finding, Message, Record
from ftdata.plugins import GuardedDatasetCheck
from ftdata.records import make_record
from ftdata.registry import Plan
from ftdata.report._common import encodable



class Partial:
    """The result of scanning one chunk."""

    # One row per recognised record (lines and indices relative to the chunk), in this order.
    COLUMNS = {"line": np.int64, "index": np.int64,
               "offset": np.int64,  # byte offset of the record's line in the file, or -1
               "column": np.int64,  # 1-based column (in characters) where the record starts on its line, or 0
               "format": np.int16,  # index into formats.NAMES
               "task": np.int8,  # index into model.TASKS
               "n_messages": np.int32, "chars": np.int64, "extra": np.int64, "overhead": np.int64,
               "tokens": np.int64,  # exact count, or -1 when not counted
               "answer": np.int64,  # crc32 of a short final assistant turn (label-like), or -1
               # fingerprints (0 when no check needs them): the record (its line, or its canonical
               # JSON: fingerprint.record_hashes), normalised text, input (turns before the final
               # answer) and output
               "exact": np.int64, "normal": np.int64, "input": np.int64, "output": np.int64}

    def __init__(self, n_dataset_checks: int) -> None:
        self.n_lines = 0
        self.n_records = 0  # every non-blank line / array element is a record, valid or not
        self.findings: list[Finding] = []
        self.rows: list[tuple[int, ...]] = []
        self.collected: list[list[Any]] = [[] for _ in range(n_dataset_checks)]
        self.columns: dict[str, np.ndarray] = {}
        self.texts: list[bytes] = []  # normalised texts, turned into MinHash signatures at freeze
        self.signatures: np.ndarray | None = None
        self.short: list[bytes] = []  # per row with signatures: fingerprint.Hashes.short
        self.conversations: list[tuple[Message, ...]] = []  # per row, when profiling: profiled at freeze
        self.profiles: style.Profiles | None = None

    def freeze(self) -> Partial:
        """Turn the rows into column arrays (in the worker: arrays pickle far faster than lists)."""
        width = len(self.rows[0]) if self.rows else len(self.COLUMNS)
        table = np.array(self.rows, np.int64).reshape(len(self.rows), width)
        zeros = np.zeros(len(self.rows), np.int64)  # rows without fingerprints lack the last columns
        self.columns = {k: (table[:, i] if i < width else zeros).astype(t)
                        for i, (k, t) in enumerate(self.COLUMNS.items())}
        self.rows = []
        if self.texts:
            self.signatures = fingerprint.signatures(self.texts)
            self.texts = []
        if self.conversations:  # in one loop, which runs faster than interleaved with the scan
            self.profiles = style.profile_chunk(self.conversations)
            self.conversations = []
        return self


class Scanner:
    """Per-process state: the plan, validators and tokenizer, built once."""

    def __init__(self, settings: Settings, file: str, stride: int = 1, train: bool = True) -> None:
        """`train`: False for an evaluation set, which only the leakage rules see (by fingerprints):
        no values are collected and no answers profiled for the dataset checks."""
        self.settings = settings
        self.file = file
        self.plan = Plan(settings, file)
        self.spec = settings.spec()
        self.stride = max(1, stride)
        self.forced: Format | None = formats.by_name(settings.input_format) if settings.input_format else None
        self._enc: Any = None
        self._clean_shapes: set[tuple[Any, ...]] = set()  # role sequences the roles-only checks passed
        # per task: checks for every record, for records with weights or tool calls, and roles-only ones
        self._checks = {t: (self.plan.record_checks(t, False), self.plan.record_checks(t, False, True),
                            self.plan.record_checks(t, True)) for t in TASKS}
        self._valid = {f.name: schemas.is_valid(f.schema) for f in formats.FORMATS} if self.plan.schema else {}
        self._collect = [i for i, c in enumerate(self.plan.dataset) if train and c.collects(settings)]
        self._guarded = [c for c in self.plan.dataset if isinstance(c, GuardedDatasetCheck)]  # plugins
        wanted = self.plan.fingerprints(bool(settings.eval))  # eval sets are compared by fingerprints
        self.fingerprints = bool(wanted)
        self.signatures = "near" in wanted
        self.profiles = train and self.plan.profiles
        self.cap = settings.max_record_bytes  # bytes: a larger record is reported, not parsed

    @property
    def enc(self) -> Any:
        if self._enc is None:
            self._enc = tokens.encoding(self.spec.encoding)
        return self._enc

    # -- input shapes -------------------------------------------------------------------------
    def lines(self, lines: Iterable[bytes | Oversized | Broken], first_chunk: bool, start: int = -1) -> Partial:
        """Scan JSON Lines; `start` is the byte offset of the first line in the file (-1: unknown).
        Every record whose line hashes to 0 modulo the stride is counted exactly."""
        out = Partial(len(self.plan.dataset))
        loads = orjson.loads
        decode_error = orjson.JSONDecodeError
        stride = self.stride
        rel = 0
        pos = start
        for rel, raw in enumerate(lines, 1):
            offset = pos
            if not isinstance(raw, bytes):  # a record over the size cap, or where a gzip stream broke
                rel = self._unread(out, raw, rel)
                pos += raw.consumed if start >= 0 and isinstance(raw, Oversized) else 0
                continue
            if start >= 0:
                pos += len(raw)
            if rel == 1 and first_chunk and raw.startswith(BOM):
                self._problem(out, ReadProblem("bom", 1, "file starts with a UTF-8 byte-order mark"))
                raw = raw[3:]
            try:
                obj = loads(raw)
            except decode_error:
                obj = self._recover(out, raw, rel)
                if obj is _SKIP:
                    continue
            # sample by content, not position, so results do not depend on chunking or --jobs
            self._record(out, obj, rel, out.n_records, stride == 1 or crc32(raw) % stride == 0, offset, raw, 1)
            out.n_records += 1
        out.n_lines = rel
        return self._done(out)

    def values(self, items: Iterable[tuple[int, Any] | tuple[int, Any, int] | ReadProblem | Oversized]) -> Partial:
        """Scan values: (line, value) or, from a JSON array (io.iter_json_located), (line, value, column)."""
        out = Partial(len(self.plan.dataset))
        for item in items:
            if isinstance(item, ReadProblem):  # it ends the array: no record index to give it
                self._problem(out, item)
                continue
            if isinstance(item, Oversized):
                self._problem(out, ReadProblem("record-too-large", item.line, item.detail(self.cap), item.column),
                              out.n_records)
                out.n_records += 1
                continue
            line, obj, column = item if len(item) == 3 else (*item, None)
            self._record(out, obj, line, out.n_records, out.n_records % self.stride == 0, -1, None, column)
            out.n_records += 1
        return self._done(out)

    def _unread(self, out: Partial, item: Oversized | Broken, rel: int) -> int:
        """Report a line that was not read: too large (counted as a record, like a line that is not
        JSON), or the point where a gzip stream broke off (no line: the lines read are rel - 1)."""
        if isinstance(item, Oversized):
            self._problem(out, ReadProblem("record-too-large", rel, item.detail(self.cap), 1), out.n_records)
            out.n_records += 1
            return rel
        self._problem(out, ReadProblem("broken-compression", rel, item.detail()))
        return rel - 1

    def _done(self, out: Partial) -> Partial:
        """The chunk, frozen, with the crashes of plugin checks' `collect` during it (ftdata.plugins)."""
        for check in self._guarded:
            out.findings.extend(check.crashes)
            check.crashes.clear()
        return out.freeze()

    # -- a line that orjson refused ------------------------------------------------------------
    def _recover(self, out: Partial, raw: bytes, rel: int) -> Any:
        if raw.isspace() or not raw:
            self._problem(out, ReadProblem("blank-line", rel, ""))
            return _SKIP
        index = out.n_records
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            self._problem(out, ReadProblem("invalid-utf8", rel, f"invalid UTF-8 byte {raw[e.start]:#04x} "
                                                                  f"at column {e.start + 1}", 1), index)
            text = raw.decode("utf-8", errors="replace")
        try:
            obj = json.loads(text.rstrip("\r\n"))  # so an error at the end reports the last column
        except json.JSONDecodeError as e:
            self._problem(out, ReadProblem("invalid-json", rel, f"{e.msg} at column {e.colno}", 1), index)
            out.n_records += 1
            return _SKIP
        except (ValueError, RecursionError) as e:  # an integer too long, nesting too deep
            self._problem(out, ReadProblem("invalid-json", rel, f"cannot be read: {e}", 1), index)
            out.n_records += 1
            return _SKIP
        try:
            orjson.loads(text)
        except orjson.JSONDecodeError as e:  # lenient-only JSON: NaN, Infinity, lone surrogates, 1e400
            self._problem(out, ReadProblem("invalid-json", rel, f"only lenient parsers accept it ({e})", 1), index)
        return obj

    def _problem(self, out: Partial, p: ReadProblem, index: int | None = None) -> None:
        rule = self.plan.read.get(p.kind)
        if rule is not None:
            out.findings.append(rule.finding(rule.message(p.detail), file=self.file, line=p.line, index=index,
                                             column=p.column))

    # -- one record ----------------------------------------------------------------------------
    def _record(self, out: Partial, obj: Any, line: int, index: int, sample: bool, offset: int,
                raw: bytes | None = None, column: int | None = None) -> None:
        if type(obj) is not dict:
            self._problem(out, ReadProblem("not-an-object", line, json_type(obj), column), index)
            return
        fmt = self.forced or formats.detect(obj)
        if fmt is None:
            keys = ", ".join(sorted(map(str, obj))[:8]) or "none"
            self._problem(out, ReadProblem("unknown-format", line, keys, column), index)
            return
        rec = make_record(fmt, obj, self.file, line, index, column)
        messages, rejected, task, roles = rec.messages, rec.rejected, rec.task, rec.roles
        findings = out.findings
        valid = self._valid.get(fmt.name)
        if valid is not None and not _safely(valid, obj):
            findings.extend(self._schema_findings(rec, fmt))
        every, turn_data, roles_only = self._checks[task]
        for check in every:
            findings.extend(check.check(rec))
        if turn_data and _has_turn_data(messages, rejected):
            for check in turn_data:
                findings.extend(check.check(rec))
        shape = (fmt.name, task, roles, tuple([m.role for m in rejected]) if rejected else None)
        if shape not in self._clean_shapes:
            before = len(findings)
            for check in roles_only:
                findings.extend(check.check(rec))
            if len(findings) == before and len(self._clean_shapes) < MAX_SHAPES:
                self._clean_shapes.add(shape)
        # size facts, and an exact token count where a decision needs one or for the calibration sample
        chat = task != TEXT
        size = tokens.size(messages, chat, rec.tools)
        if rejected:
            alt = tokens.size(rejected, chat, rec.tools)
            if alt.max_tokens > size.max_tokens:
                size = alt
        exact = tokens.count_record(self.enc, rec) if sample or size.max_tokens > self.spec.limit else -1
        # the final assistant turn, if short: a label, in classification data
        final = rec.final_answer()
        last = messages[final].content if final >= 0 else None
        # an empty answer is no label: a non-string one (a JSON object) is read as "" too
        answer = crc32(last.encode("utf-8", "replace")) if last and len(last) <= SHORT_ANSWER else -1
        row: tuple[int, ...] = (line, index, offset, column or 0, FORMAT_CODES[fmt.name], TASK_CODES[task],
                                len(messages), size.chars, size.extra, size.overhead, exact, answer)
        if self.fingerprints:
            h = fingerprint.record_hashes(rec, raw)
            row += (h.exact, h.normal, h.input, h.output)
            if self.signatures:
                out.texts.append(h.content)
                out.short.append(h.short)
        if self.profiles:
            out.conversations.append(messages)
        out.rows.append(row)
        for i in self._collect:
            out.collected[i].append(self.plan.dataset[i].collect(rec, self.settings))

    def _schema_findings(self, rec: Record, fmt: Format) -> Iterator[Finding]:
        try:
            try:
                errors = list(schemas.errors(fmt.schema, rec.raw))
            except UnicodeEncodeError:  # a lone surrogate (valid JSON) the validator cannot take: judged
                errors = list(schemas.errors(fmt.schema, encodable(rec.raw)))  # escaped, as reports show it
        except (ValueError, RecursionError) as e:  # the validator's recursion limit: nesting over ~255 levels
            errors = [schemas.SchemaError("", (), None, f"cannot be validated: {e}", {})]
        for error in errors:
            for rule in self.plan.schema:
                if rule.claims(error):
                    yield from rule.findings(error, rec, error.pointer)
                    break


def _safely(valid: Any, obj: Any) -> bool:
    """The yes/no validator, treating a value it cannot walk (nested too deeply) as invalid."""
    try:
        return bool(valid(obj))
    except ValueError:
        return False


def _has_turn_data(messages: tuple[Message, ...], rejected: tuple[Message, ...] | None) -> bool:
    """Does any turn carry a weight or tool calls (beyond role and text)?"""
    for m in messages:
        if m.weight is not None or m.tool_calls:
            return True
    return any(m.weight is not None or m.tool_calls for m in rejected) if rejected else False


FORMAT_CODES = {name: i for i, name in enumerate(formats.NAMES)}
TASK_CODES = {name: i for i, name in enumerate(TASKS)}
MAX_SHAPES = 100_000
SHORT_ANSWER = 64  # characters: answers this short may be labels
_SKIP: Any = object()
