"""Third-party checks, installed as packages that register under the entry-point group
`ftdata.checks`. In the plugin's pyproject.toml:

    [project.entry-points."ftdata.checks"]
    shouting = "my_package:ShoutingAnswer"   # one Check subclass
    house-style = "my_package:CHECKS"        # or a list or tuple of them

A plugin check is a RecordCheck or DatasetCheck subclass held to the built-ins' rules: a code of
2-5 capitals and 3 digits, a kebab-case name, a lowercase category (its own one is allowed), a
Severity, a docstring (`ftdata rule CODE` prints it) and Options buildable from defaults. One
that breaks a rule, fails to import, or reuses a code or name is skipped and described in one
sentence by `problems()`. One that raises while linting becomes one warning finding and is skipped
for the rest of the file (`guard`): an installed plugin never stops a lint. Loading happens once per process.
"""
from __future__ import annotations

import enum
import functools
import os
import re
from dataclasses import dataclass
from importlib.metadata import EntryPoint
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from ftdata.checks.base import Check, CheckOptions, Dataset, DatasetCheck, RecordCheck
from ftdata.model import TASKS, Finding, Record, Severity

if TYPE_CHECKING:
    from ftdata.config import Settings

GROUP = "ftdata.checks"
CODE = re.compile(r"[A-Z]{2,5}[0-9]{3}")
NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
CATEGORY = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


@dataclass(frozen=True)
class PluginCheck:
    """A loaded plugin check and where it came from."""

    cls: type[Check]
    dist: str  # distribution name, as its metadata spells it
    version: str
    entry_point: str  # "name = module:attr"

    @property
    def origin(self) -> str:
        return f"{self.dist} {self.version}"


@dataclass(frozen=True)
class Plugins:
    """What loading found: the usable checks (ordered by code) and one sentence per problem."""

    checks: tuple[PluginCheck, ...]
    problems: tuple[str, ...]

    @property
    def classes(self) -> tuple[type[Check], ...]:
        return tuple(p.cls for p in self.checks)


@functools.cache
def load() -> Plugins:
    """The installed plugins, validated against each other and the built-ins (once per process)."""
    from importlib.metadata import entry_points

    return collect(entry_points(group=GROUP))


def problems() -> list[str]:
    """One sentence per plugin skipped, for the CLI to warn about (see `warn`)."""
    return list(load().problems)


def warn() -> None:
    """Print each problem as `ftdata: warning: ...` on stderr (the CLI does so before a lint)."""
    import click

    for p in problems():
        click.echo(f"ftdata: warning: {p}", err=True)


def report_lines() -> list[str]:
    """What `ftdata plugins` prints: each distribution, its entry points and their checks, then
    the problems."""
    found = load()
    lines: list[str] = []
    dist = entry = ""
    for p in sorted(found.checks, key=lambda p: (p.dist.lower(), p.entry_point, p.cls.code)):
        if p.origin != dist:
            dist, entry = p.origin, ""
            lines.append(dist)
        if p.entry_point != entry:
            entry = p.entry_point
            lines.append(f"  {entry}")
        c = p.cls
        lines.append(f"    {c.code}  {c.name:<26} {c.category:<10} {c.severity.value:<8} {_summary(c)}")
    if not found.checks:
        lines.append(f"no plugin checks loaded (entry-point group {GROUP!r})")
    if found.problems:
        lines.append(f"{len(found.problems)} problem{'s' if len(found.problems) > 1 else ''}:")
        lines.extend(f"  {p}" for p in found.problems)
    return lines


def guard(checks: list[Check]) -> list[Check]:
    """These checks, each plugin check behind a guard (GuardedRecordCheck, GuardedDatasetCheck). The
    built-ins run bare: their bugs are ours and stop the lint, and the scan pays nothing for a guard."""
    origins = {p.cls: p.origin for p in load().checks}
    return [_guarded(c, origins[type(c)]) if type(c) in origins else c for c in checks] if origins else checks


def _guarded(check: Check, origin: str) -> Check:
    if isinstance(check, RecordCheck):
        return GuardedRecordCheck(check, origin)
    assert isinstance(check, DatasetCheck)  # the other kind a plugin may add (see _invalid)
    return GuardedDatasetCheck(check, origin)


class GuardedRecordCheck(RecordCheck):
    """A plugin record check whose first exception becomes one warning at the record it crashed on,
    after which it is skipped (for this file, in this process: each worker reports its own crash)."""

    def __init__(self, check: RecordCheck, origin: str) -> None:
        super().__init__(check.options)
        _adopt(self, check)
        self.inner, self.origin, self.crashed = check, origin, False

    def check(self, record: Record) -> Iterator[Finding]:
        if self.crashed:
            return iter(())
        try:
            return iter(_findings(self.inner.check(record)))
        except (Exception, SystemExit) as e:  # any failure of third-party code
            self.crashed = True
            return iter((_crash(self, e, record),))


class GuardedDatasetCheck(DatasetCheck):
    """A plugin dataset check whose first exception in `collect` becomes one warning at the record it
    crashed on (held in `crashes` until the scanner hands it on with its chunk) and skips the check
    for the rest of the file, `finish` included; an exception in `finish` becomes a dataset-level one."""

    def __init__(self, check: DatasetCheck, origin: str) -> None:
        super().__init__(check.options)
        _adopt(self, check)
        self.inner, self.origin, self.crashed = check, origin, False
        self.crashes: list[Finding] = []

    def collects(self, settings: Settings) -> bool:
        return self.inner.collects(settings)

    def collect(self, record: Record, settings: Settings) -> Any:
        if self.crashed:
            return CRASHED
        try:
            return self.inner.collect(record, settings)
        except (Exception, SystemExit) as e:
            self.crashed = True
            self.crashes.append(_crash(self, e, record))
            return CRASHED

    def finish(self, values: list[Any], data: Dataset) -> Iterator[Finding]:
        if self.crashed or any(v is CRASHED for v in values):  # collect crashed (here or in a worker): reported
            return iter(())
        try:
            return iter(_findings(self.inner.finish(values, data)))
        except (Exception, SystemExit) as e:
            self.crashed = True
            return iter((_crash(self, e, file=data.file),))


class _Crashed(enum.Enum):
    """What a crashed `collect` gives for each record (an enum member pickles by name, so the parent
    recognises the values of a worker in which it crashed)."""

    CRASHED = "crashed"


CRASHED = _Crashed.CRASHED
_CRASH = "plugin check "  # how a crash finding's message begins (see settle)
# the plugin's class attributes, which Plan, the scanner and reports read on the instance
_ADOPTED = ("code", "name", "category", "severity", "Options", "tasks", "roles_only", "turn_data_only",
            "fingerprints", "profiles")


def _adopt(guard: Check, check: Check) -> None:
    vars(guard).update({a: getattr(check, a) for a in _ADOPTED if hasattr(check, a)})


def _findings(found: Iterable[Finding]) -> list[Finding]:
    """A plugin's findings as a list: a generator runs (and raises) as it is consumed, which must
    happen inside the guard; anything but a Finding would break the report later, so it raises here."""
    out = list(found)
    for f in out:
        if not isinstance(f, Finding):
            raise TypeError(f"it yielded {type(f).__name__}, not a Finding")
    return out


def _crash(check: GuardedRecordCheck | GuardedDatasetCheck, e: BaseException, record: Record | None = None,
           file: str | None = None) -> Finding:
    """The finding for a crash at `record` (None: in finish, on the whole `file`): a warning whatever
    the check's severity, since a crash must neither fail a run by itself nor pass silently. With
    FTDATA_DEBUG set the exception propagates instead, for its traceback."""
    if os.environ.get("FTDATA_DEBUG"):
        raise e
    where, rest, line, index = "on the whole file", "", None, None
    if record is not None:
        where, rest, file, line, index = "on this record", " for the rest of the file", record.file, record.line, record.index
    return Finding(rule=check.code, name=check.name, category=check.category, severity=Severity.WARNING, file=file,
                   line=line, record_index=index, message=f"{_CRASH}{check.name} ({check.origin}) crashed {where} "
                   f"({_error(e)}) and was skipped{rest}; report it to its authors")


def settle(findings: list[Finding]) -> list[Finding]:
    """The findings as a single process would give them: each worker disables a crashed plugin
    check on its own, so with several the crash could be reported more than once and the check
    keep reporting in chunks after it, making the verdict depend on --jobs. For each plugin check
    that crashed on a record, keep its findings before the earliest crash, and that crash."""
    codes = {p.cls.code for p in load().checks}
    if not codes:
        return findings
    first: dict[str, int] = {}
    for f in findings:
        if f.rule in codes and f.record_index is not None and f.message.startswith(_CRASH):
            first[f.rule] = min(first.get(f.rule, f.record_index), f.record_index)
    if not first:
        return findings
    return [f for f in findings if f.rule not in first or f.record_index is None
            or f.record_index < first[f.rule] or f.record_index == first[f.rule] and f.message.startswith(_CRASH)]


def collect(entry_points: Iterable[EntryPoint]) -> Plugins:
    """Load and validate these entry points (uncached: `load` is the cached one)."""
    from ftdata._version import __version__
    from ftdata.registry import BUILTIN

    problems: list[str] = []
    loaded: list[PluginCheck] = []
    for ep in sorted(entry_points, key=lambda ep: (_dist(ep)[0].lower(), ep.name, ep.value)):
        for p in _load(ep, problems):
            if not any(p.cls is q.cls for q in loaded):  # one class under two entry points: once
                loaded.append(p)
    builtin = {key: c for c in BUILTIN for key in (c.code, c.name)}
    kept: list[PluginCheck] = []
    for p in loaded:
        code, name = p.cls.code, p.cls.name
        if code in builtin or name in builtin:
            theirs = builtin.get(code) or builtin[name]
            what = code if code in builtin else f"the name {name!r} of {theirs.code}"
            problems.append(f"plugin check {code} ({name}) from {p.origin} duplicates {what} from ftdata "
                            f"{__version__}; the plugin check is skipped")
        else:
            kept.append(p)
    clash: set[int] = set()
    for i, p in enumerate(kept):
        for j, q in enumerate(kept[i + 1:], i + 1):
            if p.cls.code == q.cls.code or p.cls.name == q.cls.name:
                clash |= {i, j}
                what = q.cls.code if p.cls.code == q.cls.code else f"the name {p.cls.name!r} of {q.cls.code}"
                problems.append(f"plugin check {p.cls.code} ({p.cls.name}) from {p.origin} duplicates {what} "
                                f"from {q.origin}; both skipped")
    checks = sorted((p for i, p in enumerate(kept) if i not in clash), key=lambda p: p.cls.code)
    return Plugins(tuple(checks), tuple(problems))


def _load(ep: EntryPoint, problems: list[str]) -> list[PluginCheck]:
    dist, version = _dist(ep)
    where = f"plugin {ep.name!r} from {dist} {version} ({ep.value})"
    try:
        obj = ep.load()
    except (Exception, SystemExit) as e:  # any failure of third-party code at import
        problems.append(f"{where} cannot be loaded ({_error(e)}); skipped")
        return []
    out: list[PluginCheck] = []
    for item in obj if isinstance(obj, (list, tuple)) else (obj,):
        why = _invalid(item)
        if why:
            problems.append(f"{where}: {_label(item)} {why}; skipped")
        else:
            out.append(PluginCheck(item, dist, version, f"{ep.name} = {ep.value}"))
    return out


def _invalid(item: object) -> str:
    """Why this is not a usable check ("" when it is), every reason at once."""
    if not (isinstance(item, type) and issubclass(item, Check)):
        return "is not a subclass of ftdata.checks.base.Check"
    if not issubclass(item, (RecordCheck, DatasetCheck)):
        return "is not a RecordCheck or DatasetCheck (the kinds a plugin may add)"
    code, name, category = (getattr(item, a, None) for a in ("code", "name", "category"))
    why = []
    if not (isinstance(code, str) and CODE.fullmatch(code)):
        why.append(f"has code {code!r}, not 2-5 capitals and 3 digits (e.g. ABC001)")
    if not (isinstance(name, str) and NAME.fullmatch(name)):
        why.append(f"has name {name!r}, not kebab-case (e.g. shouting-answer)")
    if not (isinstance(category, str) and CATEGORY.fullmatch(category)):
        why.append(f"has category {category!r}, not a lowercase word (e.g. style)")
    if not isinstance(getattr(item, "severity", None), Severity):
        why.append("has no severity of type ftdata.model.Severity")
    if not (item.__doc__ or "").strip():  # a class's docstring is not inherited
        why.append("has no docstring (`ftdata rule` prints it as the documentation)")
    tasks = getattr(item, "tasks", None)
    if not (isinstance(tasks, (set, frozenset)) and tasks and tasks <= set(TASKS)):
        why.append(f"has tasks {tasks!r}, not a non-empty set of {', '.join(TASKS)}")
    method = "check" if issubclass(item, RecordCheck) else "finish"
    base = RecordCheck if issubclass(item, RecordCheck) else DatasetCheck
    if getattr(item, method) is getattr(base, method):
        why.append(f"does not implement {method}()")
    if issubclass(item, DatasetCheck) and item.fingerprints not in ("", "exact", "near"):
        why.append(f"asks for fingerprints {item.fingerprints!r}, not '', 'exact' or 'near'")
    options = getattr(item, "Options", None)
    if not (isinstance(options, type) and issubclass(options, CheckOptions)):
        why.append("has Options that are not a ftdata.checks.base.CheckOptions subclass")
    elif not why:  # every run builds every check: one that cannot be built would stop the lint
        try:
            item(options())
        except Exception as e:
            why.append(f"cannot be built with its default options ({_error(e)})")
    return ", ".join(why)


def _label(item: object) -> str:
    if isinstance(item, type):
        code = getattr(item, "code", None)
        return f"check {code} ({item.__module__}.{item.__qualname__})" if isinstance(code, str) \
            else f"class {item.__module__}.{item.__qualname__}"
    return f"{type(item).__name__} object {item!r:.60}"


def _error(e: BaseException) -> str:
    """An exception in one line (a problem is one sentence), pydantic's many-line ones included."""
    from pydantic import ValidationError

    if isinstance(e, ValidationError) and e.errors():
        err = e.errors()[0]
        detail = f"{'.'.join(map(str, err['loc']))}: {err['msg']}"
    else:
        detail = " ".join(str(e).split())
    detail = detail if len(detail) <= 200 else detail[:199] + "…"
    return f"{type(e).__name__}: {detail}" if detail else type(e).__name__


def _dist(ep: EntryPoint) -> tuple[str, str]:
    dist = ep.dist
    if dist is None:
        return "an unknown distribution", "?"
    return dist.name or "an unnamed distribution", dist.version or "?"


def _summary(cls: type[Check]) -> str:
    doc = cls.doc()
    return doc.splitlines()[0] if doc else ""
