"""Plugin checks from the `ftdata.checks` entry points: validation and conflicts in-process (on
hand-made dist-info directories), and end to end through the real CLI in a subprocess, with the
example package of tests/plugins/ installed by pip into a directory put on PYTHONPATH.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from ftdata import plugins, registry
from ftdata._version import __version__

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "plugins" / "ftdata-example-plugin"
CLEAN = ROOT / "tests" / "fixtures" / "cli" / "clean.jsonl"

# Builds a valid check class; the hand-made distributions below make theirs with it.
GOOD = '''
from ftdata.checks.base import RecordCheck
from ftdata.model import Severity

def make(code, name, category="testing"):
    return type(name.title().replace("-", ""), (RecordCheck,), {
        "__doc__": "A test check.", "code": code, "name": name, "category": category,
        "severity": Severity.INFO, "check": lambda self, record: iter(())})
'''


def make_dist(root: Path, name: str, version: str, entry_points: dict[str, str], modules: dict[str, str]) -> None:
    """A dist-info directory by hand (what pip would leave) and the modules its entry points name."""
    info = root / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(
        "[ftdata.checks]\n" + "".join(f"{k} = {v}\n" for k, v in entry_points.items()), encoding="utf-8")
    for module, source in modules.items():
        (root / f"{module}.py").write_text(source, encoding="utf-8")


def with_make(body: str) -> str:
    """A module defining `make` (see GOOD), then `body`."""
    return GOOD + textwrap.dedent(body)


def collect(root: Path, monkeypatch: pytest.MonkeyPatch) -> plugins.Plugins:
    """Load the plugins of the dists under `root` only (the cached `plugins.load` sees the venv's)."""
    monkeypatch.syspath_prepend(str(root))
    return plugins.collect(ep for d in importlib.metadata.distributions(path=[str(root)])
                           for ep in d.entry_points if ep.group == plugins.GROUP)


# -- in-process: validation, conflicts, order --------------------------------------------------------
def test_invalid_and_broken_plugins_are_skipped_with_a_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_dist(tmp_path, "shoddy", "0.2", {
        "many": "shoddy_checks:CHECKS", "missing": "no_such_module_xyz:Check", "raises": "shoddy_raises:Check",
        "attr": "shoddy_checks:NOPE",
    }, {
        "shoddy_checks": with_make('''
            from ftdata.checks.base import CheckOptions, ReadRule, RecordCheck

            Good = make("TST001", "good-check")
            NoDoc = make("TST002", "no-doc"); NoDoc.__doc__ = None
            BadCode = make("tst3", "bad-code")
            BadName = make("TST004", "Bad_Name")
            BadCategory = make("TST005", "bad-category", "Tone!")
            BadSeverity = make("TST006", "bad-severity"); BadSeverity.severity = "info"

            class Reader(ReadRule):
                """Reads."""
                code, name, kind = "TST007", "reader", "x"

            class NoCheck(RecordCheck):
                """Checks nothing."""
                code, name, category = "TST008", "no-check", "testing"
                severity = Good.severity

            class Required(CheckOptions):
                needed: int

            NeedsOption = make("TST009", "needs-option"); NeedsOption.Options = Required
            CHECKS = (Good, NoDoc, BadCode, BadName, BadCategory, BadSeverity, Reader, NoCheck, NeedsOption, 42)
        '''),
        "shoddy_raises": "raise RuntimeError('plugin exploded at import')\n",
    })
    found = collect(tmp_path, monkeypatch)
    assert [c.code for c in found.classes] == ["TST001"]
    assert found.checks[0].origin == "shoddy 0.2" and found.checks[0].entry_point == "many = shoddy_checks:CHECKS"
    expected = ["has no docstring", "has code 'tst3'", "has name 'Bad_Name', not kebab-case",
                "has category 'Tone!'", "has no severity", "is not a RecordCheck or DatasetCheck",
                "does not implement check()", "cannot be built with its default options",
                "int object 42 is not a subclass of ftdata.checks.base.Check",
                "'missing' from shoddy 0.2 (no_such_module_xyz:Check) cannot be loaded (ModuleNotFoundError",
                "'raises' from shoddy 0.2 (shoddy_raises:Check) cannot be loaded (RuntimeError: plugin exploded",
                "'attr' from shoddy 0.2 (shoddy_checks:NOPE) cannot be loaded (AttributeError"]
    for fact in expected:
        assert sum(fact in p for p in found.problems) == 1, (fact, found.problems)
    assert len(found.problems) == len(expected)
    assert [p for p in found.problems if not p.endswith("skipped") or "\n" in p] == []


def test_duplicate_codes_and_names_name_both_distributions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_dist(tmp_path, "alpha", "1.0", {"checks": "alpha_checks:CHECKS"}, {"alpha_checks": with_make('''
        CHECKS = [make("XYZ001", "alpha-one"), make("XYZ010", "same-name"), make("XYZ020", "alpha-fine")]
    ''')})
    make_dist(tmp_path, "beta", "2.0", {"checks": "beta_checks:CHECKS", "again": "beta_checks:Fine"},
              {"beta_checks": with_make('''
        Fine = make("XYZ005", "beta-fine")
        CHECKS = [make("XYZ001", "beta-one"), make("XYZ011", "same-name"), Fine]
    ''')})
    make_dist(tmp_path, "gamma", "0.3", {"checks": "gamma_checks:CHECKS"}, {"gamma_checks": with_make('''
        CHECKS = [make("FMT001", "gamma-json"), make("GAM002", "empty-turn")]
    ''')})
    found = collect(tmp_path, monkeypatch)
    assert [c.code for c in found.classes] == ["XYZ005", "XYZ020"]  # by code; beta's Fine listed twice, kept once
    assert sorted(found.problems) == sorted([
        "plugin check XYZ001 (alpha-one) from alpha 1.0 duplicates XYZ001 from beta 2.0; both skipped",
        "plugin check XYZ010 (same-name) from alpha 1.0 duplicates the name 'same-name' of XYZ011 from beta 2.0; "
        "both skipped",
        f"plugin check FMT001 (gamma-json) from gamma 0.3 duplicates FMT001 from ftdata {__version__}; "
        "the plugin check is skipped",
        f"plugin check GAM002 (empty-turn) from gamma 0.3 duplicates the name 'empty-turn' of FMT020 from ftdata "
        f"{__version__}; the plugin check is skipped",
    ])


def test_all_checks_is_builtin_first_and_cached() -> None:
    checks = registry.all_checks()
    assert checks[:len(registry.BUILTIN)] == registry.BUILTIN
    assert registry.all_checks() is checks
    assert plugins.load() is plugins.load()


# -- end to end: the example package installed by pip, the CLI in a subprocess ----------------------
SHOUT = "PLEASE RESTART THE ROUTER AND TRY AGAIN, THEN CALL SUPPORT."  # 48 letters, all capitals
RECORDS = [
    [("user", "How do I reset my router?"), ("assistant", "Hold the reset button for ten seconds.")],
    [("user", "It still does not work."), ("assistant", SHOUT)],  # line 2: reported
    [("user", "Can you do it for me?"), ("assistant", "NO WAY, SORRY!")],  # line 3: 10 letters, under 20
    [("user", "Thanks"), ("assistant", "You are welcome. Use HTTPS and a WPA2 password.")],
]


def _record(turns: list[tuple[str, str]], weight: int | None = None) -> dict[str, Any]:
    messages: list[dict[str, Any]] = [{"role": r, "content": c} for r, c in turns]
    if weight is not None:
        messages[-1]["weight"] = weight
    return {"messages": messages}


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plugin, installed once by pip (offline: no build isolation, no dependencies)."""
    if importlib.util.find_spec("pip") is None:
        pytest.skip("pip is not installed")
    work = tmp_path_factory.mktemp("example-plugin")
    source = work / "src"  # build from a copy: the source tree stays clean
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("__pycache__"))
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-deps", "--no-index",
                           "--disable-pip-version-check", "--quiet", "--target", str(work / "site"), str(source)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return work / "site"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "shouting.jsonl"
    rows = [_record(t) for t in RECORDS] + [_record([("user", "Again?"), ("assistant", SHOUT)], weight=0)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def ftdata(*args: str | Path, path: list[Path], prelude: str = "") -> subprocess.CompletedProcess[str]:
    """The CLI in a fresh interpreter whose sys.path starts with `path` (where the plugins are)."""
    env = {k: v for k, v in os.environ.items() if k not in ("FTDATA_DEBUG", "PYTHONPATH")}
    env["PYTHONPATH"] = os.pathsep.join(map(str, path))
    code = f"{prelude}\nfrom ftdata.cli import main\nmain({[str(a) for a in args]!r})"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env,
                          cwd=ROOT)


def shouts(result: subprocess.CompletedProcess[str]) -> list[int]:
    assert result.returncode in (0, 1), result.stderr
    return [f["line"] for f in json.loads(result.stdout)["findings"] if f["rule"] == "EXA001"]


def test_plugins_command_lists_the_example(target: Path) -> None:
    result = ftdata("plugins", path=[target])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["ftdata-example-plugin 0.1", "  shouting = ftdata_example_plugin:ShoutingAnswer"]
    assert lines[2].split()[:4] == ["EXA001", "shouting-answer", "tone", "warning"]
    assert len(lines) == 3 and not result.stderr


@pytest.mark.parametrize("args, lines", [
    ((), [2]),  # the default min_letters (20) skips the short "NO WAY, SORRY!"; weight 0 is not judged
    (("--check-option", "shouting-answer.min_letters=5"), [2, 3]),
    (("--check-option", "EXA001.min_letters=100"), []),
    (("--ignore", "tone"), []),  # the plugin's own category selects it
])
def test_lint_runs_the_plugin_check(target: Path, data: Path, args: tuple[str, ...], lines: list[int]) -> None:
    assert shouts(ftdata("lint", "--format", "json", *args, data, path=[target])) == lines


def test_plugin_check_runs_in_worker_processes(target: Path, data: Path) -> None:
    """Forced parallel on small chunks: the workers (forked) run the plugin check and lines stay right."""
    prelude = "import ftdata.engine as e\ne.PARALLEL_MIN_BYTES = 0\ne.CHUNK_BYTES = 200"
    result = ftdata("lint", "--jobs", "2", "--format", "json", data, path=[target], prelude=prelude)
    assert shouts(result) == [2]


def test_rule_documents_the_plugin_check(target: Path) -> None:
    result = ftdata("rule", "shouting-answer", path=[target])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("EXA001 shouting-answer (tone, warning by default)\n")
    assert all(s in result.stdout for s in ("What it does:", "Why it matters:", "Example:", "Options:"))
    entries = [line for line in ftdata("rules", path=[target]).stdout.splitlines() if line[:1].strip()]
    assert entries[-1].split()[:2] == ["EXA001", "shouting-answer"]  # after every built-in (long summaries wrap)


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Distributions that go wrong: one raises at import, one reuses EXA001 and FMT001."""
    root = tmp_path_factory.mktemp("broken")
    make_dist(root, "broken-plugin", "1.0", {"boom": "broken_plugin_mod:Check"},
              {"broken_plugin_mod": "raise ImportError('needs a library that is not installed')\n"})
    make_dist(root, "copycat", "2.0", {"copies": "copycat_mod:CHECKS"}, {"copycat_mod": with_make('''
        CHECKS = [make("EXA001", "copycat-shout"), make("FMT001", "copycat-json")]
    ''')})
    return root


def test_problems_are_warnings_and_do_not_change_the_exit_code(target: Path, broken: Path) -> None:
    problems = [
        "plugin 'boom' from broken-plugin 1.0 (broken_plugin_mod:Check) cannot be loaded (ImportError: needs a "
        "library that is not installed); skipped",
        f"plugin check FMT001 (copycat-json) from copycat 2.0 duplicates FMT001 from ftdata {__version__}; "
        "the plugin check is skipped",
        "plugin check EXA001 (copycat-shout) from copycat 2.0 duplicates EXA001 from ftdata-example-plugin 0.1; "
        "both skipped",
    ]
    listing = ftdata("plugins", path=[target, broken])
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout.splitlines() == ["no plugin checks loaded (entry-point group 'ftdata.checks')",
                                           "3 problems:", *(f"  {p}" for p in problems)]
    plain = ftdata("lint", "--format", "json", CLEAN, path=[])
    result = ftdata("lint", "--format", "json", CLEAN, path=[target, broken])
    assert result.returncode == plain.returncode and result.returncode in (0, 1), result.stderr
    assert json.loads(result.stdout)["findings"] == json.loads(plain.stdout)["findings"]
    warnings = [line for line in result.stderr.splitlines() if line.startswith("ftdata: warning: ")]
    assert warnings == [f"ftdata: warning: {p}" for p in problems]


# -- plugin checks that raise while linting: one warning each, skipped for the rest of the file -------
POEMS = [57, 74, 107, 120]  # the lines of CLEAN whose prompt asks for a poem: the fragile checks raise there


@pytest.fixture(scope="module")
def fragile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A distribution whose checks raise: in check() and collect() on poems, in finish() always."""
    root = tmp_path_factory.mktemp("fragile")
    make_dist(root, "fragile-plugin", "1.0", {"checks": "fragile_mod:CHECKS"}, {"fragile_mod": textwrap.dedent('''
        from ftdata.checks.base import DatasetCheck, RecordCheck
        from ftdata.model import Severity

        def poem(record):
            return "poem" in record.messages[1].content

        class Fragile(RecordCheck):
            """Notes every record; raises on a poem."""
            code, name, category, severity = "CRS001", "fragile-check", "testing", Severity.INFO

            def check(self, record):
                yield self.finding("seen", record)
                if poem(record):
                    raise RuntimeError("plugin bug")

        class Greedy(DatasetCheck):
            """Collects a value per record; raises on a poem."""
            code, name, category, severity = "CRS002", "greedy-check", "testing", Severity.ERROR

            def collect(self, record, settings):
                if poem(record):
                    raise KeyError("poem")
                return 1

            def finish(self, values, data):
                yield self.finding(f"finished with {len(values)} values", file=data.file)

        class Brittle(DatasetCheck):
            """Raises at the end."""
            code, name, category, severity = "CRS003", "brittle-check", "testing", Severity.ERROR

            def finish(self, values, data):
                yield from ()
                1 / 0

        CHECKS = [Fragile, Greedy, Brittle]
    ''')})
    return root


def crashed(name: str, error: str, record: bool = True) -> str:
    where, rest = ("on this record", " for the rest of the file") if record else ("on the whole file", "")
    return f"plugin check {name} (fragile-plugin 1.0) crashed {where} ({error}) and was skipped{rest}; " \
           "report it to its authors"


@pytest.mark.parametrize("parallel", [False, True])
def test_a_plugin_check_that_raises_is_one_warning_and_skipped(fragile: Path, parallel: bool) -> None:
    """Sequential, then forced parallel on one-line chunks in 2 forked workers: the crash is reported
    once, at the first crashing record, and the check is skipped from then on, whichever process met
    it (the parent settles what the workers report, so the verdict does not depend on --jobs)."""
    prelude = "import ftdata.engine as e\ne.PARALLEL_MIN_BYTES = 0\ne.CHUNK_BYTES = 200" if parallel else ""
    args = ("lint", "--jobs", "2" if parallel else "1", "--format", "json", CLEAN)
    plain = ftdata(*args, path=[], prelude=prelude)
    result = ftdata(*args, path=[fragile], prelude=prelude)
    assert result.returncode == plain.returncode == 0, result.stderr  # crashes are warnings: clean data passes
    assert "internal error" not in result.stderr
    report = json.loads(result.stdout)
    ours = [f for f in report["findings"] if not f["rule"].startswith("CRS")]
    assert ours == json.loads(plain.stdout)["findings"]  # the built-ins' findings are unchanged
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for f in report["findings"]:
        if f["rule"].startswith("CRS") and f["message"] != "seen":
            by_rule.setdefault(f["rule"], []).append(f)
    for rule, name, error in (("CRS001", "fragile-check", "RuntimeError: plugin bug"),
                              ("CRS002", "greedy-check", "KeyError: 'poem'")):
        crashes = by_rule.pop(rule)  # CRS002: its finish is skipped, in the parent, for a crash in a worker
        assert [(f["line"], f["record_index"]) for f in crashes[:1]] == [(POEMS[0], POEMS[0] - 1)]
        assert len(crashes) == 1
        assert all(f["severity"] == "warning" and f["name"] == name and f["category"] == "testing"
                   and f["message"] == crashed(name, error) for f in crashes)
    brittle = by_rule.pop("CRS003")
    assert [(f["line"], f["severity"], f["message"]) for f in brittle] == [
        (None, "warning", crashed("brittle-check", "ZeroDivisionError: division by zero", record=False))]
    assert by_rule == {}
    seen = [f["line"] for f in report["findings"] if f["rule"] == "CRS001" and f["message"] == "seen"]
    assert seen == list(range(1, POEMS[0]))  # findings made before the crash are kept; none after it


def test_ftdata_debug_lets_a_plugin_crash_through_for_its_traceback(fragile: Path) -> None:
    result = ftdata("lint", CLEAN, path=[fragile], prelude="import os\nos.environ['FTDATA_DEBUG'] = '1'")
    assert result.returncode != 0
    assert 'raise RuntimeError("plugin bug")' in result.stderr and "fragile_mod.py" in result.stderr


def test_builtin_checks_are_not_guarded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A built-in's bug is ours: it stops the lint (the CLI says "internal error"), as before."""
    import ftdata
    from ftdata.checks.format.empty_turn import EmptyTurn

    def boom(self: EmptyTurn, record: object) -> Any:
        raise RuntimeError("our bug")

    monkeypatch.setattr(EmptyTurn, "check", boom)
    assert not any(isinstance(c, (plugins.GuardedRecordCheck, plugins.GuardedDatasetCheck))
                   for c in plugins.guard([EmptyTurn()]))
    with pytest.raises(RuntimeError, match="our bug"):
        ftdata.lint(str(CLEAN))
