"""Settings from files: `ftdata.toml` or `[tool.ftdata]` in `pyproject.toml`, found by walking up
from the working directory (like ruff), validated by pydantic with "did you mean" suggestions,
then layered: provider profile < configuration file < command line.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ftdata.config import COUNT_MAX, JOBS_MAX, Number, did_you_mean, error_message, shown, suggest
from ftdata.model import Severity

if TYPE_CHECKING:
    from ftdata.config import Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

NAMES = ("ftdata.toml", ".ftdata.toml", "pyproject.toml")  # in a folder, the first found wins
MAX_BYTES = 4 << 20  # a configuration is a few lines; more is read no further (a FIFO, /dev/zero)
MAX_DEPTH = 8  # tables and arrays within the settings table (checks.NAME.OPTION = [...] is 3)


class ConfigError(ValueError):
    """An unusable configuration: the file, the key and what is wrong, in one sentence."""


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=_kebab)


Count = Annotated[int | None, Number]  # a whole number; `true` and NaN are not (see ftdata.config)
Text = Annotated[str | None, Field(min_length=1, pattern=r"\S")]  # a name or path: never empty


class VolumeTable(_Table):
    provider_minimum: Count = Field(None, ge=0, le=COUNT_MAX)
    minimum: Count = Field(None, ge=0, le=COUNT_MAX)
    recommended: Count = Field(None, ge=0, le=COUNT_MAX)


class RecordIgnore(_Table):
    """One record left out by id, with why (a reason is required: a suppression must explain itself)."""

    id: Annotated[str | int, Number]
    reason: str = Field(min_length=1, pattern=r"\S")
    rules: tuple[str, ...] = ()  # empty: every rule


class FileConfig(_Table):
    """The keys of `[tool.ftdata]` / `ftdata.toml`; every one optional."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    per_file_ignores: dict[str, tuple[str, ...]] | None = None
    severity: dict[str, Severity] | None = None
    checks: dict[str, dict[str, Any]] | None = None
    profile: Text = None
    model: Text = None
    max_tokens: Count = Field(None, gt=0, le=COUNT_MAX)
    max_record_bytes: Count = Field(None, ge=1, le=1 << 40)  # FMT008's bound (ftdata.config)
    input_format: Text = None  # checked by Settings against ftdata.formats.NAMES
    label_field: Text = None
    label_key: Text = None
    volume: VolumeTable | None = None
    near_threshold: Annotated[float | None, Number] = Field(None, gt=0, le=1)
    jobs: Count = Field(None, ge=1, le=JOBS_MAX)
    eval: tuple[Annotated[str, Field(min_length=1)], ...] | None = None
    output_format: Text = None
    baseline: Text = None
    id_field: Text = None
    ignore_records: tuple[RecordIgnore, ...] | None = None

    @model_validator(mode="after")
    def _ids_need_a_field(self) -> FileConfig:
        if self.ignore_records and not self.id_field:
            raise ValueError("ignore-records needs id-field, the record field that holds the id")
        return self


@dataclass(frozen=True)
class Loaded:
    """A configuration file read and validated (path None: none found, or --isolated)."""

    path: str | None = None
    config: FileConfig = field(default_factory=FileConfig)

    @property
    def root(self) -> str:
        """The project root: the configuration's folder, else the working directory."""
        return os.path.dirname(os.path.abspath(self.path)) if self.path else os.getcwd()

    def resolve(self, path: str) -> str:
        """A path from the file, relative to the file's folder."""
        return path if os.path.isabs(path) else os.path.normpath(os.path.join(self.root, path))

    @property
    def table(self) -> str:
        return "[tool.ftdata]" if self.path and os.path.basename(self.path) == "pyproject.toml" else ""


def find(start: str | None = None) -> str | None:
    """The nearest configuration file from `start` (default: the working directory) upwards; a
    pyproject.toml counts only when it has a [tool.ftdata] table."""
    folder = os.path.abspath(start or os.getcwd())
    while True:
        for name in NAMES:
            path = os.path.join(folder, name)
            if os.path.isfile(path) and (name != "pyproject.toml" or _has_table(path)):
                return path
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _has_table(path: str) -> bool:
    """Does the pyproject.toml configure ftdata? One that cannot be parsed does when its text
    has the table: its error is then ours to report, not a reason to run with the defaults."""
    try:
        return _ftdata_table(_read(path)) is not None
    except ConfigError:
        try:
            with open(path, "rb") as f:
                if b"[tool.ftdata" in f.read(MAX_BYTES + 1):
                    raise
        except OSError:
            raise ConfigError(f"cannot read the configuration {path!r}") from None
        return False


def _ftdata_table(data: dict[str, Any]) -> Any:
    """pyproject.toml's [tool.ftdata] (None without one; `tool` may be anything in a broken file)."""
    tool = data.get("tool")
    return tool.get("ftdata") if isinstance(tool, dict) else None


def _read(path: str) -> dict[str, Any]:
    """The TOML document at `path`, read no further than MAX_BYTES; ConfigError saying in one
    sentence why it cannot be (unreadable, too large, not UTF-8, not TOML, nested too deeply)."""
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise ConfigError(f"cannot read the configuration {path!r}: {e.strerror or e}") from None
    if len(raw) > MAX_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_BYTES >> 20} MiB, which no configuration is; read no further")
    try:
        return tomllib.loads(_text(raw, path))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML ({e})") from None
    except ValueError as e:  # Python reads no decimal integer of over 4,300 digits
        raise ConfigError(f"{path}: not valid TOML (a number too long to read: {str(e).split(';')[0]})") from None
    except RecursionError:  # the parser recurses once per level of nesting
        raise ConfigError(f"{path}: arrays or tables nested too deeply to read (ftdata's settings nest at most "
                          "3 levels)") from None


def _text(raw: bytes, path: str) -> str:
    """The file's text: TOML is UTF-8 (a UTF-8 byte-order mark, as Windows editors write, is skipped)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ConfigError(f"{path}: encoded as UTF-16 (it starts with a UTF-16 byte-order mark); save it as "
                          "UTF-8, the encoding TOML requires")
    nul = raw.find(b"\0")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise ConfigError(f"{path}: holds a NUL byte on line {line}, so it is no text "
                          "file (UTF-16 without a byte-order mark?); save it as UTF-8, the encoding TOML requires")
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise ConfigError(f"{path}: not UTF-8 (byte 0x{raw[e.start]:02x} on line {line} is invalid); save it as "
                          "UTF-8, the encoding TOML requires") from None


def _too_deep(value: Any) -> list[str] | None:
    """The key path at which `value` nests deeper than MAX_DEPTH tables and arrays (None: it does
    not), found without recursion."""
    stack: list[tuple[Any, list[str]]] = [(value, [])]
    while stack:
        item, keys = stack.pop()
        if len(keys) > MAX_DEPTH:
            return keys
        if isinstance(item, dict):
            stack.extend((v, [*keys, str(k)]) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, [*keys, str(i)]) for i, v in enumerate(item))
    return None


def load(path: str | None = None, isolated: bool = False) -> Loaded:
    """Read `path` (from --config), else the nearest configuration file; validate it."""
    if isolated:
        return Loaded()
    if path is not None and (os.path.isdir(path) or not os.path.exists(path)):  # a pipe (<(...)) is fine
        why = "is a directory" if os.path.isdir(path) else "does not exist"
        raise ConfigError(f"cannot read the configuration {shown(path)}: it {why}")
    path = find() if path is None else path
    if path is None:
        return Loaded()
    data = _read(path)
    if os.path.basename(path) == "pyproject.toml":
        data = _ftdata_table(data)
        if data is None:
            raise ConfigError(f"{path} has no [tool.ftdata] table")
    deep = _too_deep(data)
    if deep is not None:
        where = f"{path}: {Loaded(path).table + ' ' if Loaded(path).table else ''}"
        raise ConfigError(f"{where}{'.'.join(deep[:3])[:80]}: nested more than {MAX_DEPTH} levels deep (ftdata's "
                          "settings nest at most 3)")
    try:
        return Loaded(path, FileConfig.model_validate(data))
    except ValidationError as e:
        raise ConfigError(explain(e, path, Loaded(path).table)) from None


def explain(error: ValidationError, path: str, table: str) -> str:
    """The first error as one sentence naming the file and the key, with a suggestion for a
    misspelt key."""
    err = error.errors()[0]
    loc = [str(x) for x in err["loc"]]
    key = ".".join(loc)
    where = f"{path}: " + (f"{table} " if table else "")
    if err["type"] == "extra_forbidden":
        known = _known_keys(loc[:-1])
        hint = did_you_mean(loc[-1], known, f" (known keys: {', '.join(known)})")
        return f"{where}unknown key {shown(key)}{hint}"
    msg = error_message(err)
    if err["type"] in ("tuple_type", "list_type"):  # pydantic's word for a TOML array
        msg = f"must be a list (an array such as [\"FMT\", \"content\"]), not {type(err['input']).__name__}"
    return f"{where}{key}: {msg}" if key else f"{where}{msg}"


def _known_keys(parent: list[str]) -> list[str]:
    """The keys allowed in the table at `parent` (a path of keys and list indexes)."""
    model: type[BaseModel] = FileConfig
    for part in parent:
        if part == "volume":
            model = VolumeTable
        elif part == "ignore-records":
            model = RecordIgnore
    return [_kebab(name) for name in model.model_fields]


# -- layering -----------------------------------------------------------------------------------
def settings_fields(loaded: Loaded, cli: dict[str, Any], profile: dict[str, Any] | None) -> dict[str, Any]:
    """Settings keyword arguments: the profile's, then the file's, then the command line's (each
    a dict of Settings fields). Lists of selectors add up (`ignore`, `extend-select`); `select`,
    scalars and options replace; tables merge key by key."""
    layers = [profile or {}, file_fields(loaded), cli]
    out: dict[str, Any] = {}
    for n, layer in enumerate(layers):
        if "max_tokens" in layer and "limit_source" not in layer:
            out.pop("limit_source", None)  # the limit is this layer's now, not the profile's
        if n and "model" in layer and "max_tokens" not in layer and "max_tokens" in layers[0] \
                and "max_tokens" not in layers[1]:  # a model named above a profile's limit
            out.pop("max_tokens", None)
            out.pop("limit_source", None)
        for key, value in layer.items():
            if key in ("ignore", "extend_select"):
                out[key] = (*out.get(key, ()), *value)
            elif key in ("severity", "per_file_ignores", "volume"):
                # re-inserted, not updated in place: on a tie between spellings (a code and a
                # name), ftdata.selection lets the later entry win, so a higher layer comes last
                out[key] = {**{k: v for k, v in out.get(key, {}).items() if k not in value}, **value}
            elif key == "checks":
                out[key] = _merge_checks(out.get(key, {}), value)
            else:
                out[key] = value
    return out


def file_fields(loaded: Loaded) -> dict[str, Any]:
    """The file's settings as Settings fields (paths made relative to the file's folder)."""
    cfg = loaded.config
    skip = {"output_format", "baseline", "id_field", "ignore_records", "profile"}  # used by the CLI
    out: dict[str, Any] = {k: v for k, v in cfg.model_dump(exclude_none=True).items() if k not in skip}
    if cfg.volume is not None:
        out["volume"] = cfg.volume.model_dump(exclude_none=True)
    if cfg.checks is not None:  # option names may be written kebab-case, as every other key
        out["checks"] = {rule: {k.replace("-", "_"): v for k, v in opts.items()} for rule, opts in cfg.checks.items()}
    if cfg.id_field:  # the declared id field is never an unknown key
        out["checks"] = {"unknown-key": {"id_field": cfg.id_field}, **out.get("checks", {})}
    if cfg.eval is not None:
        out["eval"] = tuple(loaded.resolve(p) for p in cfg.eval)
    if cfg.max_tokens is not None:
        out["limit_source"] = f"max-tokens in {os.path.basename(loaded.path or '')}"
    if loaded.path:
        out["root"] = loaded.root
    return out


def _merge_checks(base: dict[str, dict[str, Any]], more: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per-check options merged by rule (a code and a name of one rule are one key)."""
    from ftdata.registry import find

    out = {k: dict(v) for k, v in base.items()}
    for key, opts in more.items():
        cls = find(key)
        canon = cls.code if cls else key
        out.setdefault(canon, {}).update(opts)
    return out


def make_settings(loaded: Loaded, cli: dict[str, Any]) -> Settings:
    """The run's Settings from the profile, the file and the command line (`cli`: Settings fields
    given on the command line, plus "profile"). Raises ConfigError naming the culprit."""
    from ftdata.config import Settings

    cfg = loaded.config
    name = cli["profile"] if cli.get("profile") is not None else cfg.profile
    where = f"{loaded.path}: {loaded.table + ' ' if loaded.table else ''}" if loaded.path else ""
    profile = _profile(name, f"{where}profile: " if cli.get("profile") is None else "--profile: ")
    if loaded.path:  # the file alone first, so that its mistakes are reported as its own
        alone = {k: v for k, v in file_fields(loaded).items() if k != "model"}
        try:
            Settings(**alone)
        except ValidationError as e:
            raise ConfigError(explain(e, loaded.path, loaded.table)) from None
    _check_record_ignores(loaded, where)
    if "eval" not in cli:  # the command line's --eval replaces the file's
        _check_eval(loaded, where)
    fields = settings_fields(loaded, {k: v for k, v in cli.items() if k != "profile"}, profile)
    try:
        return Settings(**fields)
    except ValidationError as e:
        err = e.errors()[0]
        msg = error_message(err)
        if "unknown model" in msg and cfg.model is not None and "model" not in cli:
            raise ConfigError(f"{where}model: {msg}") from None
        key = ".".join(_kebab(str(x)) for x in err["loc"])
        raise ConfigError(f"invalid setting {key}: {msg}" if key else msg) from None


def _check_record_ignores(loaded: Loaded, where: str) -> None:
    """Every rule an ignore-records entry names must exist: a misspelt one would suppress nothing, silently."""
    from ftdata.registry import all_checks
    from ftdata.selection import specificity

    for n, entry in enumerate(loaded.config.ignore_records or ()):
        for sel in entry.rules:
            if not any(specificity(c, sel) is not None for c in all_checks()):
                raise ConfigError(f"{where}ignore-records.{n}.rules: {shown(sel)} matches no rule{suggest(sel)}")


def _check_eval(loaded: Loaded, where: str) -> None:
    """Every evaluation set the file names must be there: the sentence names the key, not just a path."""
    for n, p in enumerate(loaded.config.eval or ()):
        path = loaded.resolve(p)
        if os.path.isdir(path) or not os.path.exists(path):
            why = "is a directory" if os.path.isdir(path) else "does not exist"
            raise ConfigError(f"{where}eval.{n}: cannot read the evaluation set {shown(p)}: it {why}")


def _profile(name: str | None, where: str) -> dict[str, Any] | None:
    """The provider profile's Settings fields (ftdata.profiles), or a ConfigError for a bad name."""
    if name is None:
        return None
    from ftdata.profiles import PROFILES, profile_settings

    if not isinstance(name, str):
        raise ConfigError(f"{where}a profile is a name ({', '.join(PROFILES)}), not {type(name).__name__}")
    key = name.strip().lower()
    if key not in PROFILES:
        hint = did_you_mean(key, PROFILES, f"; known: {', '.join(PROFILES)}")
        raise ConfigError(f"{where}unknown profile {shown(name)}{hint}")
    return profile_settings(name)
