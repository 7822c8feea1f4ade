"""Hostile configuration (issue 14, defect 5): no value from a configuration file (ftdata.toml,
pyproject.toml [tool.ftdata], --config) or a command-line option crashes ftdata. Every one is
refused, when it must be, with exit 2 and one sentence naming the key (and the file for a
configuration value): numbers out of bounds (beyond int64, negative, zero, NaN, infinities,
booleans), wrong types, files that are not UTF-8, nested 5,000 deep, endless or a directory.

The property tests run a bounded number of generated inputs (60 each, the same ones every run, so
CI is deterministic); set FTDATA_FUZZ_EXAMPLES (e.g. FTDATA_FUZZ_EXAMPLES=5000) for a longer
campaign with fresh random inputs each run:

    FTDATA_FUZZ_EXAMPLES=5000 python -m pytest tests/test_hostile_config.py -k "generated or mutated"
"""
from __future__ import annotations

import json
import math
import os
import stat
from pathlib import Path
from typing import Any, Iterator

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftdata import configfile
from ftdata.cli import _run
from ftdata.config import COUNT_MAX, Settings
from ftdata.formats import NAMES as FORMAT_NAMES
from ftdata.profiles import PROFILES
from ftdata.registry import all_checks, find
from ftdata.tokens import MODELS
from independent import DATASETS, dataset_file, ftdata_command

TOY = DATASETS / "openai_cookbook" / "toy_chat_fine_tuning.jsonl"
# three real openai-chat records (the first three of the cookbook's toy set), or a stand-in
RECORDS = (TOY.read_text(encoding="utf-8").splitlines()[:3] if TOY.exists() else [json.dumps(
    {"messages": [{"role": "system", "content": "You are a happy assistant."},
                  {"role": "user", "content": f"I fell off my bike today ({i})."},
                  {"role": "assistant", "content": "It's great that you're getting exercise outdoors!"}]})
    for i in range(3)])

FUZZ = int(os.environ.get("FTDATA_FUZZ_EXAMPLES", "0").strip() or 0)
FUZZING = settings(max_examples=FUZZ or 60, deadline=None, derandomize=not FUZZ, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.filter_too_much])


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A working directory holding d.jsonl (three records) and an empty folder; the tests run in it."""
    path = tmp_path_factory.mktemp("hostile")
    (path / "d.jsonl").write_text("\n".join(RECORDS) + "\n", encoding="utf-8")
    (path / "sub").mkdir()
    old = os.getcwd()
    os.chdir(path)
    try:
        yield path
    finally:
        os.chdir(old)


def run(*args: str) -> tuple[int, str]:
    """Exit code and standard error of `ftdata ARGS`, in this process."""
    with CliRunner().isolation() as (_, err, _):
        code = _run(list(args))
    return code, err.getvalue().decode("utf-8", "replace")


def refused(code: int, err: str) -> str:
    """The one sentence of an exit 2, after checking that nothing crashed."""
    assert code in (0, 1, 2), (code, err)
    assert "Traceback" not in err and "internal error" not in err, err
    errors = [line for line in err.splitlines() if line.startswith("ftdata: error: ")]
    if code != 2:
        assert not errors, err
        return ""
    assert len(errors) == 1 and len(err.strip().splitlines()) - len(
        [line for line in err.splitlines() if line.startswith(("ftdata: warning:", "ftdata: skipping"))]) == 1, err
    return errors[0].removeprefix("ftdata: error: ")


def lint_with(folder: Path, text: str | bytes, name: str = "ftdata.toml", *args: str) -> str:
    """The sentence of `ftdata lint d.jsonl --config NAME` with this configuration ("" unless exit 2)."""
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return refused(*run("lint", "d.jsonl", "--config", name, "--format", "json", *args))


# -- the three crashes of the issue, and their kin --------------------------------------------------
@pytest.mark.parametrize("text, key", [
    ("max-tokens = 99999999999999999999999999\n", "max-tokens"),
    ("max-tokens = 9223372036854775808\n", "max-tokens"),  # int64 + 1
    ("max-tokens = 0x" + "f" * 5000 + "\n", "max-tokens"),  # 20,000 bits: Python will not even print it
    ("max-tokens = true\n", "max-tokens"),  # `True` is an int in Python
    ("max-tokens = 0\n", "max-tokens"),
    ("max-tokens = -5\n", "max-tokens"),
    ("max-tokens = 12.5\n", "max-tokens"),
    ("jobs = 0\n", "jobs"),
    ("jobs = -1\n", "jobs"),
    ("jobs = 1000000\n", "jobs"),
    ("near-threshold = nan\n", "near-threshold"),
    ("near-threshold = inf\n", "near-threshold"),
    ("near-threshold = true\n", "near-threshold"),
    ("[volume]\nminimum = 99999999999999999999\n", "volume.minimum"),
    ("[volume]\nrecommended = false\n", "volume.recommended"),
    ("[checks.length-outlier]\nz = nan\n", "length-outlier.z"),
    ("[checks.length-outlier]\nz = inf\n", "length-outlier.z"),
    ("[checks.length-outlier]\nmin-examples = 99999999999999999999\n", "length-outlier.min_examples"),
    ("[checks.length-outlier]\nmin-examples = true\n", "length-outlier.min_examples"),
    ("[checks.LEN002]\nmin-tokens = 0x" + "f" * 5000 + "\n", "length-outlier.min_tokens"),
    ("[checks.repetition]\nmin-share = -inf\n", "repetition.min_share"),
    ("label-field = {a = 1}\n", "label-field"),
    ("label-field = \"\"\n", "label-field"),
    ("profile = \"\"\n", "profile"),
    ("profile = [\"openai\"]\n", "profile"),
    ("baseline = \"\"\n", "baseline"),
    ("select = [[\"FMT\"]]\n", "select"),
    ("select = [\"\"]\n", "select"),
    ("severity = {FMT001 = \"fatal\"}\n", "severity.FMT001"),
    ("severity = {FMT001 = 1}\n", "severity.FMT001"),
    ("checks = {length-outlier = [{z = 1}]}\n", "checks.length-outlier"),
    ("volume = [{minimum = 1}]\n", "volume"),
    ("eval = [\"no-such-eval.jsonl\"]\n", "eval.0"),
    ("eval = [\"d.jsonl\"]\n", "eval: "),  # the training file itself
    ("ignore-records = [{id = true, reason = \"known\"}]\nid-field = \"id\"\n", "ignore-records.0.id"),
])
def test_bad_value_in_file_names_file_and_key(folder: Path, text: str, key: str) -> None:
    sentence = lint_with(folder, text)
    assert sentence.startswith("ftdata.toml: ") and key in sentence, sentence
    assert len(sentence) < 300  # the value is quoted, not a page of it


def test_huge_int_is_refused_with_its_bound(folder: Path) -> None:
    assert lint_with(folder, "max-tokens = 99999999999999999999999999\n") == \
        f"ftdata.toml: max-tokens: must be at most {COUNT_MAX:,}, not 99999999999999999999999999"


def test_bounds_hold_in_pyproject_too(folder: Path) -> None:
    text = "[project]\nname = \"x\"\n\n[tool.ftdata]\nmax-tokens = 99999999999999999999999999\n"
    assert lint_with(folder, text, "pyproject.toml").startswith("pyproject.toml: [tool.ftdata] max-tokens: ")


@pytest.mark.parametrize("data, says", [
    ("select = [\"FMT\"]\n".encode("utf-16"), "UTF-16"),  # with its byte-order mark
    ("select = [\"FMT\"]\n".encode("utf-16-le"), "NUL byte on line 1"),  # without
    (b"label-field = \"caf\xe9\"\n", "not UTF-8 (byte 0xe9 on line 1"),  # Latin-1
    (b"jobs = 1\nlabel-field = \"a\x00b\"\n", "NUL byte on line 2"),
    (b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n", "nested too deeply"),
    (b"checks = " + b"{a = " * 3000 + b"1" + b"}" * 3000 + b"\n", "nested too deeply"),
    (b"select = " + b"[" * 20 + b"]" * 20 + b"\n", "select.0.0: nested more than"),
    (b"max-tokens = " + b"9" * 5000 + b"\n", "a number too long to read"),
    (b"tool = 5\n", "has no [tool.ftdata] table"),
])
def test_unreadable_file_is_one_sentence(folder: Path, data: bytes, says: str) -> None:
    name = "pyproject.toml" if b"tool" in data else "ftdata.toml"
    sentence = lint_with(folder, data, name)
    assert sentence.startswith(name) and says in sentence, sentence


def test_utf8_byte_order_mark_is_read(folder: Path) -> None:
    """Windows editors write one; TOML's UTF-8 is read past it."""
    assert lint_with(folder, b"\xef\xbb\xbfmax-tokens = 10\n") == ""


def test_configuration_that_is_no_regular_file(folder: Path) -> None:
    assert "is a directory" in refused(*run("lint", "d.jsonl", "--config", "sub"))
    assert "does not exist" in refused(*run("lint", "d.jsonl", "--config", ""))
    big = folder / "big.toml"
    with open(big, "wb") as f:  # 5 MiB of comments: valid TOML, but read no further than 4 MiB
        f.write(b"# padding\n" * (5 << 17))
    assert "larger than 4 MiB" in refused(*run("lint", "d.jsonl", "--config", "big.toml"))
    if os.path.exists("/dev/zero"):  # endless: the read is bounded
        assert refused(*run("lint", "d.jsonl", "--config", "/dev/zero")).startswith("/dev/zero: larger than")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_configuration_from_a_pipe(folder: Path) -> None:
    """`--config <(...)` is a pipe: read like a file (it used to be said not to exist)."""
    import threading

    fifo = folder / "fifo.toml"
    if not fifo.exists():
        os.mkfifo(fifo)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)

    def feed() -> None:
        with open(fifo, "wb") as f:
            f.write(b"max-tokens = 99999999999999999999999999\n")

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        assert "fifo.toml: max-tokens: must be at most" in refused(*run("lint", "d.jsonl", "--config", str(fifo)))
    finally:
        if writer.is_alive():  # the pipe was not read: release the writer
            with open(fifo, "rb") as f:
                f.read()
        writer.join(timeout=10)


@pytest.mark.parametrize("args, key", [
    (["--max-tokens", "99999999999999999999999999"], "max-tokens"),
    (["--max-tokens", "0"], "max-tokens"),
    (["--jobs", "0"], "jobs"),
    (["--jobs", "-1"], "jobs"),
    (["--jobs", str(10**6)], "jobs"),
    (["--near-threshold", "nan"], "near-threshold"),
    (["--near-threshold", "inf"], "near-threshold"),
    (["--min-examples", "99999999999999999999"], "volume.minimum"),
    (["--min-examples-provider", "-1"], "volume.provider-minimum"),
    (["--max-examples", "-1"], "--max-examples"),
    (["--check-option", "length-outlier.z=1e999"], "length-outlier.z"),
    (["--check-option", "length-outlier.z=NaN"], "length-outlier.z"),
    (["--check-option", "length-outlier.min_examples=true"], "length-outlier.min_examples"),
    (["--check-option", "length-outlier.min_examples=99999999999999999999999999999"],
     "length-outlier.min_examples: must be at most 2,147,483,647, not 99999999999999999999999999999"),
    (["--check-option", "no-such-check.z=1"], "no-such-check"),
    (["--check-option", "length-outlier.zz=1"], "zz"),
    (["--check-option", "z=1"], "--check-option"),
    (["--select", ","], "select"),
    (["--ignore", " "], "ignore"),
    (["--severity", "FMT001=fatal"], "--severity"),
    (["--severity", "=error"], "--severity"),
    (["--profile", ""], "--profile"),
    (["--model", ""], "model"),
    (["--label-field", ""], "label-field"),
    (["--baseline", "sub"], "--baseline"),
    (["--baseline", "no-such-baseline.json"], "baseline"),
    (["--eval", "no-such-eval.jsonl"], "evaluation set"),
    (["--eval", "sub"], "evaluation set"),
])
def test_bad_option_exits_2_naming_it(folder: Path, args: list[str], key: str) -> None:
    sentence = refused(*run("lint", "d.jsonl", "--isolated", "--format", "json", *args))
    assert key in sentence, sentence


def test_valid_extremes_still_lint(folder: Path) -> None:
    """The bounds refuse nonsense, not large honest values."""
    for args in (["--max-tokens", str(COUNT_MAX)], ["--jobs", "1024"], ["--near-threshold", "1"],
                 ["--min-examples", "0"], ["--max-examples", str(10**30)],
                 ["--check-option", f"length-outlier.min_examples={COUNT_MAX}"], ["--select", "FMT,"]):
        code, err = run("lint", "d.jsonl", "--isolated", "--format", "json", *args)
        assert code in (0, 1) and not refused(code, err), (args, err)


def test_selectors_given_many_times_cost_nothing_per_rule() -> None:
    s = Settings(select=("FMT",) * 200_000, ignore=("CNT003",) * 100_000)
    assert s.select == ("FMT",) and s.ignore == ("CNT003",)


def test_api_profile_of_wrong_type_is_a_config_error() -> None:
    with pytest.raises(configfile.ConfigError, match="a profile is a name"):
        configfile.make_settings(configfile.Loaded(), {"profile": 5})


# -- other commands with odd arguments --------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ["show", "d.jsonl", "99999999999999999999"], ["show", "d.jsonl", "#99999999999999999999"],
    ["show", "d.jsonl", "#-1"], ["show", "d.jsonl", "-1"], ["show", "d.jsonl", "1:0"], ["show", "d.jsonl", ":"],
    ["show", "d.jsonl", ""], ["show", "d.jsonl", "0"], ["show", "d.jsonl", "1:99999999999999999999"],
    ["show", "d.jsonl", "--index", "99999999999999999999"], ["show", "d.jsonl", "--index", "-1"],
    ["show", "d.jsonl", "#1", "--index", "1"], ["show", "sub", "1"], ["show", "", "1"], ["show", "d.jsonl:"],
    ["rule", "XYZ"], ["rule", ""], ["rule", "#-1"], ["rule", "x" * 10_000],
])
def test_other_commands_with_odd_arguments(folder: Path, args: list[str]) -> None:
    sentence = refused(*run(*args))
    assert sentence and len(sentence) < 400 + (10_000 if "x" * 100 in "".join(args) else 0)


def test_init_over_an_odd_pyproject(folder: Path, tmp_path: Path) -> None:
    os.chdir(tmp_path)
    try:
        (tmp_path / "pyproject.toml").write_bytes("[project]\nname = 'x'\n".encode("utf-16"))
        code, err = run("init", "--pyproject")
        refused(code, err)
        (tmp_path / "pyproject.toml").unlink()
        (tmp_path / "pyproject.toml").mkdir()
        assert refused(*run("init", "--pyproject"))
        (tmp_path / "ftdata.toml").mkdir()
        assert refused(*run("init", "--force"))
    finally:
        os.chdir(folder)


# -- generated configuration files ------------------------------------------------------------------
CHECKS = all_checks()
KEYS = [configfile._kebab(k) for k in configfile.FileConfig.model_fields]
SELECTORS = sorted({*(c.code for c in CHECKS), *(c.name for c in CHECKS), *(c.category for c in CHECKS),
                    *(c.code[:3] for c in CHECKS), "ALL", "all", "", " ", "FMT9", "not-a-rule"})
OPTIONS = sorted({n for c in CHECKS for n in c.Options.model_fields} |
                 {n.replace("_", "-") for c in CHECKS for n in c.Options.model_fields} | {"bogus"})
INTS = [0, 1, -1, 2, 10, 1024, 1025, COUNT_MAX, COUNT_MAX + 1, 2**63 - 1, 2**63, -(2**63) - 1, 10**30]
WORDS = ["", " ", "ALL", "openai", "trl", "gpt-4o", "gpt-4o-mini", "text", "json", "sarif", "openai-chat",
         "alpaca", "error", "warning", "info", "d.jsonl", "sub", "meta.label", "label", "id", "*.jsonl", "é", "x" * 300]

text = st.text(st.characters(codec="utf-8"), max_size=12)
EXTREMES = st.sampled_from([*INTS, math.nan, math.inf, -math.inf, True, False, "", 0.0, -0.0, 1e308, 5e-324])
scalar = st.one_of(st.booleans(), st.integers(-(10**30), 10**30), st.sampled_from(INTS), st.floats(),
                   st.floats(0, 1), text, st.sampled_from(WORDS))
anything = st.recursive(scalar, lambda inner: st.lists(inner, max_size=3) |
                        st.dictionaries(st.sampled_from(KEYS + OPTIONS) | text, inner, max_size=3), max_leaves=8)
selectors = st.lists(st.sampled_from(SELECTORS) | text, max_size=4)
option_value = st.one_of(scalar, st.lists(st.sampled_from(WORDS + SELECTORS), max_size=3),
                         st.sampled_from(["email", "binary", "none", "format", "openai-chat", "system"]))
def option_values(annotation: Any) -> Any:
    """Values for one check option: of its type mostly (extremes included), anything sometimes."""
    import typing

    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    typed: Any
    if typing.get_origin(annotation) is typing.Literal:
        return st.sampled_from(list(typing.get_args(annotation)))
    if annotation is bool:
        typed = st.booleans()
    elif annotation is int:
        typed = st.integers(-5, 100) | st.sampled_from(INTS)
    elif annotation is float:
        typed = st.floats(0, 10) | st.floats()
    elif annotation is str:
        typed = st.sampled_from(WORDS) | text
    elif typing.get_origin(annotation) in (tuple, list):
        typed = st.lists(option_values(typing.get_args(annotation)[0]), max_size=3)
    elif args:
        typed = st.one_of(*map(option_values, args))
    else:
        typed = scalar
    return st.one_of(typed, typed, typed, scalar)


CHECK_OPTIONS = {key: st.fixed_dictionaries({}, optional={
    name.replace("_", "-") if i % 2 else name: option_values(f.annotation)
    for i, (name, f) in enumerate(c.Options.model_fields.items())}) for c in CHECKS if c.Options.model_fields
    for key in (c.name, c.code)}
checks = st.dictionaries(st.sampled_from(sorted(CHECK_OPTIONS)), st.deferred(lambda: st.sampled_from(
    sorted(CHECK_OPTIONS)).flatmap(lambda k: CHECK_OPTIONS[k])), max_size=3) | st.dictionaries(
    st.sampled_from(SELECTORS) | text, st.dictionaries(st.sampled_from(OPTIONS), option_value, max_size=3) | anything,
    max_size=2)
TYPED: dict[str, Any] = {
    "select": selectors, "extend-select": selectors, "ignore": selectors,
    "per-file-ignores": st.dictionaries(st.sampled_from(WORDS) | text, selectors, max_size=2),
    "severity": st.dictionaries(st.sampled_from(SELECTORS) | text,
                                st.sampled_from(["error", "warning", "info", "fatal", ""]), max_size=3),
    "checks": checks,
    "volume": st.dictionaries(st.sampled_from(["provider-minimum", "minimum", "recommended", "maximum"]),
                              st.integers(0, 200) | scalar, max_size=3),
    "ignore-records": st.lists(st.fixed_dictionaries({"id": scalar, "reason": scalar},
                                                     optional={"rules": selectors}), max_size=2),
    "eval": st.lists(st.sampled_from(["d.jsonl", "sub", "missing.jsonl", ""]) | text, max_size=2),
    "max-tokens": st.integers(1, COUNT_MAX) | st.sampled_from(INTS),
    "jobs": st.integers(1, 4) | st.sampled_from(INTS),
    "near-threshold": st.floats(0.01, 1) | st.floats(),
    "model": st.sampled_from(sorted(MODELS) + WORDS), "profile": st.sampled_from(sorted(PROFILES) + WORDS),
    "input-format": st.sampled_from(list(FORMAT_NAMES) + WORDS),
    "output-format": st.sampled_from(["text", "json", "jsonl", "sarif", "concise", "markdown", "xml", ""]),
    "label-field": st.sampled_from(WORDS), "label-key": st.sampled_from(WORDS), "id-field": st.sampled_from(WORDS),
    "baseline": st.sampled_from(["missing.json", "sub", "d.jsonl", "", "/dev/null"]) | text,
}


def _toml_string(s: str) -> str:
    """A TOML basic string (JSON's escapes, plus DEL, which TOML wants escaped)."""
    return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, str):
        return _toml_string(v)
    if isinstance(v, list):
        return "[" + ", ".join(map(toml_value, v)) + "]"
    return "{" + ", ".join(f"{_toml_string(str(k))} = {toml_value(x)}" for k, x in v.items()) + "}"


GOOD = sorted({*(c.code for c in CHECKS), *(c.name for c in CHECKS), *(c.category for c in CHECKS),
               *(c.code[:3] for c in CHECKS), "ALL"})
good_selectors = st.lists(st.sampled_from(GOOD), max_size=4)
VALID: dict[str, Any] = {  # values that pass, for the lint to run with them (extremes included)
    "select": good_selectors, "extend-select": good_selectors, "ignore": good_selectors,
    "per-file-ignores": st.dictionaries(st.sampled_from(["*.jsonl", "d.jsonl", "sub/*", "*"]), good_selectors,
                                        max_size=2),
    "severity": st.dictionaries(st.sampled_from(GOOD), st.sampled_from(["error", "warning", "info"]), max_size=3),
    "checks": st.dictionaries(st.sampled_from(sorted(CHECK_OPTIONS)), st.just({}), max_size=1),
    "volume": st.dictionaries(st.sampled_from(["provider-minimum", "minimum", "recommended"]),
                              st.integers(0, 200) | st.just(COUNT_MAX), max_size=3),
    "eval": st.lists(st.just("d.jsonl"), max_size=1),
    "max-tokens": st.integers(1, COUNT_MAX) | st.sampled_from([1, 10, COUNT_MAX]),
    "jobs": st.integers(1, 4) | st.just(1024), "near-threshold": st.floats(0.05, 1),
    "model": st.sampled_from(sorted(MODELS)), "profile": st.sampled_from(sorted(PROFILES)),
    "input-format": st.sampled_from(list(FORMAT_NAMES)),
    "output-format": st.sampled_from(["text", "json", "jsonl", "sarif", "concise", "markdown"]),
    "label-field": st.sampled_from(["label", "messages.0.role", "é"]), "label-key": st.sampled_from(["label", "x"]),
    "id-field": st.sampled_from(["id", "messages"]), "baseline": st.sampled_from(["missing.json", "sub/b.json"]),
    "ignore-records": st.just([]),
}


LEAVES = [(k,) for k in KEYS] + [("volume", k) for k in ("provider-minimum", "minimum", "recommended")] + [
    ("checks", c.name, name.replace("_", "-")) for c in CHECKS for name in c.Options.model_fields] + [
    ("severity", "FMT001"), ("per-file-ignores", "*.jsonl"), ("ignore-records", "0")]


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A settings table. Chaos 0: every value one that passes; 1: one key's value of any kind; 2: every
    value of any kind; 3: unknown and odd keys too; 4: one setting, at any depth, with an extreme value."""
    chaos = draw(st.integers(0, 4))
    if chaos == 4:  # one setting, at any depth, with an extreme value
        path = draw(st.sampled_from(LEAVES))
        value = draw(st.one_of(EXTREMES, EXTREMES, TYPED.get(path[0], scalar), anything))
        for part in reversed(path):
            value = {part: value}
        return value  # type: ignore[no-any-return]
    known = st.sampled_from(KEYS)
    key = known if chaos < 3 else st.one_of(known, known, st.sampled_from(["max-token", "selekt"]), text)
    keys = draw(st.lists(key, max_size=3 if chaos == 1 else 5, unique=True))
    odd = draw(st.sampled_from(keys)) if keys and chaos == 1 else None
    doc = {}
    for k in keys:
        valid = VALID.get(k, scalar)
        hostile = st.one_of(TYPED.get(k, scalar), EXTREMES, anything)
        doc[k] = draw(valid if chaos == 0 or chaos == 1 and k != odd else
                      hostile if k == odd else st.one_of(valid, hostile))
    if draw(st.booleans()) and "checks" in doc and chaos < 2:  # real options of a real check
        doc["checks"] = draw(st.dictionaries(st.sampled_from(sorted(CHECK_OPTIONS)), st.deferred(
            lambda: st.sampled_from(sorted(CHECK_OPTIONS)).flatmap(lambda k: CHECK_OPTIONS[k])), max_size=2))
    return doc


def all_keys(v: Any) -> Iterator[str]:
    if isinstance(v, dict):
        for k, x in v.items():
            yield str(k)
            yield from all_keys(x)
    elif isinstance(v, list):
        for x in v:
            yield from all_keys(x)


@FUZZING
@given(doc=documents(), pyproject=st.booleans())
def test_generated_configuration_never_crashes(folder: Path, doc: dict[str, Any], pyproject: bool) -> None:
    body = "".join(f"{_toml_string(k)} = {toml_value(v)}\n" for k, v in doc.items())
    name = "pyproject.toml" if pyproject else "ftdata.toml"
    sentence = lint_with(folder, "[project]\nname = \"x\"\n\n[tool.ftdata]\n" + body if pyproject else body, name)
    if sentence:  # refused: the file and one of the keys are named
        assert sentence.startswith(name) or name in sentence, sentence
        assert any(names(k, sentence) for k in all_keys(doc)), sentence


def names(key: str, sentence: str) -> bool:
    """Does the sentence name this key (as written, quoted, in snake_case or as its rule's name)?"""
    check = find(key) if key.strip() else None
    return repr(key)[:30] in sentence or bool(key.strip()) and (
        key in sentence or key.replace("-", "_") in sentence or check is not None and check.name in sentence)


@FUZZING
@given(doc=documents(), cuts=st.lists(st.tuples(st.integers(0, 10**6), st.binary(max_size=3)), max_size=3),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1"]))
def test_mutated_configuration_bytes_never_crash(folder: Path, doc: dict[str, Any],
                                                 cuts: list[tuple[int, bytes]], encoding: str) -> None:
    data = "".join(f"{_toml_string(k)} = {toml_value(v)}\n" for k, v in doc.items()).encode(encoding, "replace")
    for at, insert in cuts:  # replace a few bytes
        at = at % (len(data) + 1)
        data = data[:at] + insert + data[at + len(insert):]
    sentence = lint_with(folder, data)
    assert not sentence or sentence.startswith("ftdata.toml"), sentence


NUMBER_TEXT = st.one_of(st.integers(-(10**40), 10**40).map(str), st.sampled_from(INTS).map(str), st.sampled_from(
    ["0", "-1", "1", "1024", "1025", str(COUNT_MAX + 1), str(2**63), "1e3", "1.5", "nan", "inf", "-inf", "",
     " 5", "0x10", "true", "9" * 5000]), st.floats().map(repr))
OPTION_TEXT: dict[str, Any] = {
    "--max-tokens": NUMBER_TEXT, "--jobs": NUMBER_TEXT, "--near-threshold": NUMBER_TEXT,
    "--min-examples": NUMBER_TEXT, "--min-examples-provider": NUMBER_TEXT, "--recommended-examples": NUMBER_TEXT,
    "--max-examples": NUMBER_TEXT,
    "--select": st.sampled_from(SELECTORS + [",", "FMT,", ",,CNT"]) | text,
    "--ignore": st.sampled_from(SELECTORS + [","]) | text,
    "--extend-select": st.sampled_from(SELECTORS) | text,
    "--severity": st.builds("{}={}".format, st.sampled_from(SELECTORS) | text,
                            st.sampled_from(["error", "warning", "info", "", "fatal"])) | text,
    "--check-option": st.builds("{}.{}={}".format, st.sampled_from(SELECTORS) | text, st.sampled_from(OPTIONS) | text,
                                NUMBER_TEXT | text | st.sampled_from(['["email"]', "a,b", "[[[[1]]]]", "{}"])) | text,
    "--model": st.sampled_from(WORDS) | text, "--profile": st.sampled_from(WORDS) | text,
    "--input-format": st.sampled_from(WORDS) | text, "--label-field": st.sampled_from(WORDS) | text,
    "--label-key": st.sampled_from(WORDS) | text,
    "--baseline": st.sampled_from(["sub", "d.jsonl", "missing.json", "", "/dev/null"]) | text,
    "--eval": st.sampled_from(["sub", "d.jsonl", "missing.jsonl", ""]) | text,
    "--config": st.sampled_from(["sub", "missing.toml", "", "/dev/null", "/dev/zero", "ftdata.toml"]) | text,
}
ALIASES = {"--min-examples": "volume.minimum", "--min-examples-provider": "volume.provider-minimum",
           "--recommended-examples": "volume.recommended", "--eval": "evaluation set", "--config": "configuration",
           "--check-option": "check", "--label-key": "label", "--label-field": "label"}


@FUZZING
@given(options=st.lists(st.sampled_from(sorted(OPTION_TEXT)).flatmap(
    lambda o: st.tuples(st.just(o), OPTION_TEXT[o])), min_size=1, max_size=3), isolated=st.booleans())
def test_generated_options_never_crash(folder: Path, options: list[tuple[str, str]], isolated: bool) -> None:
    (folder / "ftdata.toml").write_text("max-tokens = 4096\n", encoding="utf-8")
    args = [f"{o}={v}" for o, v in options if "\x00" not in v]
    code, err = run("lint", "d.jsonl", "--format", "json", *(["--isolated"] if isolated else []), *args)
    sentence = refused(code, err)
    if sentence:
        named = {o for o, _ in options} | {o.removeprefix("--") for o, _ in options} | \
                {ALIASES[o] for o, _ in options if o in ALIASES} | {"ftdata.toml", "baseline", "unknown model"}
        checks = [v.partition("=")[0].partition(".") for o, v in options if o == "--check-option"]
        named |= {part for c, _, f in checks for part in (c, f, getattr(find(c), "name", "")) if part}
        assert any(n in sentence for n in named), (options, sentence)


def test_plugin_options_its_code_refuses_are_one_sentence() -> None:
    """A plugin check's options are validated by its own code, which may raise anything: that is
    the user's option refused (exit 2 naming the check), not an internal error."""
    from pydantic import field_validator

    from ftdata.checks.base import CheckOptions, RecordCheck
    from ftdata.config import _check_options
    from ftdata.model import Severity

    class Opts(CheckOptions):
        n: int = 1

        @field_validator("n")
        @classmethod
        def _small(cls, v: int) -> int:
            if v > 5:
                raise TypeError("n must stay small")  # pydantic passes a TypeError through
            return v

    class Fussy(RecordCheck):
        """A plugin check whose constructor refuses n = 3."""

        code, name, category, severity, Options = "FUS001", "fussy", "style", Severity.WARNING, Opts

        def __init__(self, options: CheckOptions | None = None) -> None:
            super().__init__(options)
            if self.options.n == 3:  # type: ignore[attr-defined]
                raise KeyError("three")

    _check_options(Fussy, {"n": 1})
    with pytest.raises(ValueError, match=r"^fussy: the plugin check refuses these options \(TypeError: n must"):
        _check_options(Fussy, {"n": 9})
    with pytest.raises(ValueError, match=r"^fussy: the plugin check refuses these options \(KeyError"):
        _check_options(Fussy, {"n": 3})
    with pytest.raises(ValueError, match=r"^fussy\.n: must be a number, not true"):
        _check_options(Fussy, {"n": True})


@FUZZING
@given(location=st.one_of(text, st.from_regex(r"#?-?[0-9]{0,25}(:-?[0-9]{0,25})?", fullmatch=True)),
       index=st.none() | st.integers(-5, 10**25).map(str) | text)
def test_generated_show_locations_never_crash(folder: Path, location: str, index: str | None) -> None:
    args = ["show", "d.jsonl", "--", location] if index is None else ["show", "d.jsonl", f"--index={index}"]
    code, err = run(*args)
    assert code in (0, 2) and (code == 0) != bool(refused(code, err)), (args, err)


def test_per_file_ignores_plain_names_match_as_globs(tmp_path: Path) -> None:
    """A glob without wildcards is compared as a string (no regular expression compiled per file),
    with fnmatch's meaning: the path from the project root, or the file name when it has no slash."""
    from ftdata.selection import file_ignores

    file = str(tmp_path / "data" / "train.jsonl")
    per_file = {"train.jsonl": ("A",), "data/train.jsonl": ("B",), "./data/train.jsonl": ("C",),
                "other.jsonl": ("D",), "data/*.jsonl": ("E",), "train": ("F",), "data/train.jsonl/": ("G",),
                "tmp/data/train.jsonl": ("H",)}
    assert file_ignores(file, per_file, str(tmp_path)) == ["A", "B", "C", "E"]


def test_an_enormous_outlier_bound_reports_nothing_without_a_numpy_warning() -> None:
    """`length-outlier.z=1e308` overflowed np.exp (a RuntimeWarning on stderr); the bound is then
    infinite: no length passes it."""
    import subprocess

    path = str(dataset_file("llama_factory/alpaca_en_demo.json"))
    for option in ("length-outlier.z=1e308", "length-outlier.min_ratio=1e308"):
        run = subprocess.run([*ftdata_command(), "lint", path, "--isolated", "--select", "LEN002",
                              "--check-option", option, "--format", "concise"], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert "Warning" not in run.stderr and "overflow" not in run.stderr
