"""Third-party checks, installed as packages that register under the entry-point group
`ftdata.checks`. In the plugin's pyproject.toml:

    [project.entry-points."ftdata.checks"]
    shouting = "my_package:ShoutingAnswer"   # one Check subclass
    house-style = "my_package:CHECKS"        # or a list or tuple of them

A plugin check is a RecordCheck or DatasetCheck subclass held to the built-ins' rules: a code of
2-5 capitals and 3 digits, a kebab-case name, a lowercase category (its own one is allowed), a
Severity, a docstring (`ftdata rule CODE` prints it) and Options buildable from defaults. One
that breaks a rule, fails to import, or reuses a code or name is skipped and described in one
sentence by `problems()`: an installed plugin never stops a lint. Loading happens once per process.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib.metadata import EntryPoint
from typing import Iterable

from ftdata.checks.base import Check, CheckOptions, DatasetCheck, RecordCheck
from ftdata.model import TASKS, Severity

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
