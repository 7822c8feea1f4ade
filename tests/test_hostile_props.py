"""Property-based hostile input (issue 14): generated records of every input format with hostile
content, whole files in every container (JSON Lines, arrays, gzip whole and cut, BOM, CRLF,
invalid UTF-8, blank lines, trailing commas, mixed formats, empty) and byte mutations of slices
of ../shared/datasets; the properties are in tests/hostile/checks.py.

CI runs a few deterministic examples per property (tests/conftest.py, profile "ci"); a campaign:
    FTDATA_FUZZ_EXAMPLES=5000 python -m pytest tests/test_hostile_props.py
or `python tests/hostile/campaign.py --examples 5000 --out /tmp/fuzz_repro`, which records every
distinct failure (its smallest input and command) instead of stopping, and counts the inputs.
A test marked xfail names an open defect of another area (tests/hostile/__init__.py OPEN_DEFECTS).
"""
from __future__ import annotations

import gzip
import json
import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from hostile import KNOWN, OPEN_DEFECTS, PHASES, budget
from hostile import checks
from hostile.strategies import (BOM, Sample, dumps, encode, files, format_records, mutations, planted, real_slices,
                                records)
from ftdata.formats import NAMES
from independent import ftdata_command, needs_datasets

SURROGATES = "surrogate" not in KNOWN  # generated only once the defect is fixed
FORMAT_NAMES = sorted(format_records())
# lint options: one of checks.OPTIONS, or every record read as one format (its shape or not)
OPTIONS = st.one_of(st.sampled_from(checks.OPTIONS),
                    st.sampled_from(sorted(NAMES)).map(lambda name: ("--input-format", name)))


def _known(defect: str) -> pytest.MarkDecorator:
    """xfail while the defect is open (tests/hostile/__init__.py OPEN_DEFECTS), a plain test after."""
    return pytest.mark.xfail(defect in KNOWN, strict=False, reason=OPEN_DEFECTS.get(defect, "fixed"))


# -- lint ------------------------------------------------------------------------------------------
@settings(max_examples=budget(80), phases=PHASES)
@given(sample=files(SURROGATES), fmt=st.sampled_from(checks.FORMATS), options=OPTIONS)
def test_lint_generated_files(sample: Sample, fmt: str, options: tuple[str, ...]) -> None:
    checks.check_lint(sample, fmt, "lint-files", options=options)


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_lint_records_of_each_format(name: str) -> None:
    """Every format's shape, hostile content, as JSON Lines: each format gets its own examples."""
    @settings(max_examples=budget(3, share=3 / len(FORMAT_NAMES)), phases=PHASES)
    @given(rows=st.lists(records(SURROGATES, name), min_size=1, max_size=6), fmt=st.sampled_from(checks.FORMATS))
    def run(rows: list[object], fmt: str) -> None:
        data = encode("\n".join(dumps(r, ascii_only=False) for r in rows) + "\n")
        checks.check_lint(Sample(data, ".jsonl", f"records {name}"), fmt, "lint-records")

    run()


@needs_datasets
@settings(max_examples=budget(60), phases=PHASES)
@given(sample=mutations(SURROGATES), fmt=st.sampled_from(checks.FORMATS), options=OPTIONS)
def test_lint_mutated_real_data(sample: Sample, fmt: str, options: tuple[str, ...]) -> None:
    checks.check_lint(sample, fmt, "lint-mutations", options=options)


@settings(max_examples=budget(8, share=0.3), phases=PHASES)
@given(sample=st.one_of(files(SURROGATES), mutations(SURROGATES) if real_slices() else files(SURROGATES)))
def test_lint_is_deterministic(sample: Sample) -> None:
    """The same input twice, and with --jobs 2: the same JSON report."""
    checks.check_lint(sample, "json", "determinism", twice=True)


# -- the notebook API --------------------------------------------------------------------------------
@settings(max_examples=budget(20), phases=PHASES)
@given(sample=st.one_of(files(SURROGATES), mutations(SURROGATES) if real_slices() else files(SURROGATES)))
def test_notebook_api_never_raises(sample: Sample) -> None:
    checks.check_api(sample)


# -- dedupe --------------------------------------------------------------------------------------------
@settings(max_examples=budget(40), phases=PHASES)
@given(sample=files(SURROGATES))
def test_dedupe_conserves_generated_files(sample: Sample) -> None:
    checks.check_dedupe(sample, "dedupe-files")


@needs_datasets
@settings(max_examples=budget(12), phases=PHASES)
@given(sample=mutations(SURROGATES))
def test_dedupe_conserves_mutated_real_data(sample: Sample) -> None:
    checks.check_dedupe(sample, "dedupe-mutations")


# -- the real command, in a subprocess -----------------------------------------------------------------
@settings(max_examples=budget(2, share=0.01), phases=PHASES)
@given(sample=files(SURROGATES))
def test_installed_command_same_report_whatever_the_hash_seed(sample: Sample, tmp_path_factory:
                                                              pytest.TempPathFactory) -> None:
    """The entry point as users run it: exit 0/1/2, no traceback, one JSON report whatever
    PYTHONHASHSEED and --jobs."""
    path = tmp_path_factory.mktemp("seed") / f"input{sample.suffix}"
    path.write_bytes(sample.data)
    outs = []
    for seed, jobs in (("0", "1"), ("4242", "2")):
        env = {**{k: v for k, v in os.environ.items() if k != "FTDATA_DEBUG"}, "PYTHONHASHSEED": seed}
        p = subprocess.run([*ftdata_command(), "lint", str(path), "--isolated", "--no-baseline", "--format", "json",
                            "--jobs", jobs], capture_output=True, env=env, timeout=120, check=False)
        err = p.stderr.decode("utf-8", "replace")
        assert p.returncode in (0, 1, 2) and "internal error" not in err and "Traceback" not in err, err
        outs.append(p.stdout)
    assert outs[0] == outs[1]


# -- regression tests of the defects found (issue 14 and the campaign); while one is open, mark its test
# @_known("key") with the key in tests/hostile/__init__.py OPEN_DEFECTS ---------------------------------
SURROGATE_RECORD = b'{"messages": [{"role": "user", "content": "caf\\ud800 {{name}} \\udc00x \\u001b[2J"}, ' \
                   b'{"role": "assistant", "content": "ok \\ud83d <|endoftext|>"}]}\n'


@pytest.mark.parametrize("fmt", checks.FORMATS)
def test_lone_surrogate_any_format(fmt: str) -> None:
    checks.check_lint(Sample(SURROGATE_RECORD * 2, ".jsonl", "surrogate"), fmt, "surrogate")


def test_lone_surrogate_notebook_api() -> None:
    checks.check_api(Sample(SURROGATE_RECORD, ".jsonl", "surrogate"))


@settings(max_examples=budget(40, share=0.5), phases=PHASES)
@given(sample=planted(("surrogate",)), fmt=st.sampled_from(checks.FORMATS))
def test_planted_surrogates_any_format(sample: Sample, fmt: str) -> None:
    checks.check_lint(sample, fmt, "lint-surrogates")
    checks.check_api(sample, "api-surrogates")


@settings(max_examples=budget(40, share=0.5), phases=PHASES)
@given(sample=planted(("escape", "bidi", "invisible", "pii")), fmt=st.sampled_from(checks.FORMATS))
def test_planted_control_and_bidi_characters_any_format(sample: Sample, fmt: str) -> None:
    checks.check_lint(sample, fmt, "lint-planted")
    checks.check_api(sample, "api-planted")


ESCAPE_RECORD = json.dumps({"messages": [
    {"role": "user", "content": "\x1b[2J\x1b]0;pwned\x07 hello\x00 {{name}}"},
    {"role": "assistant", "content": "Hi {{name}}! \x1b[31mred\x9b2J"}]}).encode() + b"\n"


@pytest.mark.parametrize("fmt", checks.TERMINAL)
def test_terminal_output_escapes_control_characters(fmt: str, tmp_path: Path) -> None:
    source = tmp_path / "escapes.jsonl"
    source.write_bytes(ESCAPE_RECORD * 2)
    code, out, err = checks.cli(*checks.lint_args(str(source), fmt))
    assert code in (0, 1), err
    checks.terminal_properties(out)


def test_dedupe_keeps_invalid_bytes_of_an_array_and_writes_valid_rejects() -> None:
    row = b'{"instruction": "Say caf\xe9 \xff", "input": "", "output": "caf\xe9"}'
    data = b"[\n" + b",\n".join([row, row, b'{"instruction": "other", "input": "", "output": "x"}']) + b"\n]\n"
    previous = checks.KNOWN.pop("dedupe-bytes", None)
    try:
        checks.check_dedupe(Sample(data, ".json", "invalid bytes in an array"))
    finally:
        if previous is not None:
            checks.KNOWN["dedupe-bytes"] = previous


DEEP = b'{"a":' * 500 + b"1" + b"}" * 500
DEEP_RECORD = b'{"prompt": "caf\xe9 \xff", "completion": "ok", "meta": ' + DEEP + b"}\n"


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_dedupe_of_deeply_nested_records_with_invalid_bytes(suffix: str, tmp_path: Path) -> None:
    data = DEEP_RECORD * 2 if suffix == ".jsonl" else b"[" + b",".join([DEEP_RECORD.strip()] * 2) + b"]\n"
    source = tmp_path / f"in{suffix}"
    source.write_bytes(data)
    code, _, err = checks.cli("dedupe", str(source), "-o", str(tmp_path / f"out{suffix}"))
    assert code in (0, 2) and "internal error" not in err, err


def _damaged_gzip(records: bytes, damage: str) -> bytes:
    packed = bytearray(gzip.compress(records, mtime=0))
    if damage == "truncated":
        return bytes(packed[:-12])  # the end of the stream and its trailer cut off
    packed[-6] ^= 0xFF  # the CRC of the trailer
    return bytes(packed)


@pytest.mark.parametrize("damage", ["truncated", "crc"])
@pytest.mark.parametrize("container", ["jsonl", "json"])
@pytest.mark.parametrize("how", [("--format", "sarif"), ("--write-baseline",)])
def test_damaged_gzip_sarif_and_baseline_as_every_format(damage: str, container: str, how: tuple[str, ...],
                                                         tmp_path: Path) -> None:
    """SARIF and the baseline re-read the file for fingerprints: the damage is a finding there too
    (exit 1 as with --format json), or a sentence, never a silent exit 2 or "cannot write"."""
    row = b'{"prompt": "What is 2+2?", "completion": "4"}'
    data = row + b"\n" + row + b"\n" if container == "jsonl" else b"[" + row + b",\n" + row + b"]\n"
    source = tmp_path / f"damaged.{container}.gz"
    source.write_bytes(_damaged_gzip(data, damage))
    args = ["lint", str(source), "--isolated", "--jobs", "1", *how]
    if "--write-baseline" in how:
        args += ["--baseline", str(tmp_path / "baseline.json")]
    else:
        args.append("--no-baseline")
    code, _, err = checks.cli(*args)
    assert "internal error" not in err and "cannot write" not in err, err
    assert code in (0, 1) or "ftdata: " in err, f"exit {code} without a word: {err!r}"
    if "--format" in how:
        assert code == checks.cli(*args[:-3], "--format", "json", "--no-baseline")[0]


# -- the harness itself ------------------------------------------------------------------------------
def test_strategies_make_what_they_promise() -> None:
    """The generators reach the hazards named in the module docstring (a silent generator proves nothing)."""
    assert set(NAMES) <= set(FORMAT_NAMES), "a format ftdata reads has no record strategy"
    made: list[Sample] = []

    @settings(max_examples=150, phases=[Phase.generate])
    @given(sample=files())
    def collect(sample: Sample) -> None:
        made.append(sample)

    collect()
    hows = " ".join(s.how for s in made)
    for hazard in ("gzip", "truncated", "bom", "invalid-utf8", "garbage", "trailing-comma", "'\\r\\n'", "empty"):
        assert hazard in hows, hazard
    assert any(s.data.startswith(b"\x1f\x8b") for s in made)
    assert any(b"\\ud8" in s.data or b"\\udc" in s.data or b"\xed\xa0" in s.data for s in made)  # lone surrogates
    assert any(b"\\u001b" in s.data or b"\x1b" in s.data for s in made)  # escape sequences
    if real_slices():
        names = {name.split("/")[0] for name, _ in real_slices()}
        assert {"llama_factory", "openai_cookbook", "hh_rlhf"} <= names
        hh = dict(real_slices())["hh_rlhf/harmless-base/test.jsonl.gz"]
        assert gzip.decompress(hh).count(b"\n") >= 2


def test_dedupe_conservation_check_catches_a_lost_line(tmp_path: Path) -> None:
    """The conservation property fails when kept bytes differ (guards the checker, not ftdata)."""
    plain = b'{"a": 1}\n{"a": 1}\n{"b": 2}\n'
    checks._lines_conservation(plain, b'{"a": 1}\n{"b": 2}\n', {2}, 3)
    with pytest.raises(AssertionError):
        checks._lines_conservation(plain, b'{"a": 1}\n', {2}, 3)
    with pytest.raises(AssertionError):
        checks._lines_conservation(plain, b'{"a":1}\n{"b": 2}\n', {2}, 3)
