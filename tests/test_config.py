"""Configuration: discovery from the working directory up, precedence (profile < file < command
line), rule selection by specificity, per-file ignores, severity overrides, per-check options,
validation errors with the file, the key and a suggestion (exit 2), and `ftdata init`."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ftdata import configfile
from ftdata.cli import _run
from ftdata.registry import Plan
from independent import write_jsonl

ROOT = Path(__file__).resolve().parents[1]
CLEAN = ROOT / "tests" / "fixtures" / "cli" / "clean.jsonl"  # 120 clean openai-chat examples


def chat(i: int, *turns: tuple[str, str]) -> dict[str, Any]:
    return {"messages": [{"role": r, "content": f"{c} (case {i})"} for r, c in turns]}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A dataset folder: 120 clean records, plus one with two user turns in a row (FMT025, a
    warning by default) as the last line, so that severity and selection changes are visible."""
    lines = CLEAN.read_text(encoding="utf-8").splitlines()
    extra = chat(999, ("system", "You are a concise geography tutor."), ("user", "What is the capital of Peru?"), ("user", "Answer briefly."),
                 ("assistant", "Lima is the capital of Peru."))
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "train.jsonl").write_text("\n".join(lines + [json.dumps(extra)]) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(*args: str) -> tuple[int, dict[str, Any], str]:
    """Exit code, the JSON report and stderr of `ftdata lint ARGS --format json`."""
    result = CliRunner().invoke(_cli(), ["lint", *args, "--format", "json", "--jobs", "1"], catch_exceptions=False)
    out = result.stdout
    return result.exit_code, (json.loads(out) if out.strip().startswith("{") else {}), result.stderr


def _cli() -> Any:
    from ftdata.cli import cli

    return cli


def rules_of(report: dict[str, Any]) -> set[str]:
    return {f["rule"] for f in report["findings"]}


def test_defaults_without_configuration(project: Path) -> None:
    code, report, _ = lint("data/train.jsonl")
    assert code == 0 and rules_of(report) == {"FMT025"}
    assert report["findings"][0]["severity"] == "warning" and report["findings"][0]["line"] == 121


def test_file_found_walking_up_and_severity_override(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "ftdata.toml").write_text('[severity]\nconsecutive-same-role = "error"\n', encoding="utf-8")
    monkeypatch.chdir(project / "data")
    code, report, _ = lint("train.jsonl")
    assert code == 1 and report["verdict"] == "not-ready"
    assert [f["severity"] for f in report["findings"]] == ["error"]


def test_pyproject_table_and_precedence_of_names(project: Path) -> None:
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.ftdata]\nignore = ["FMT025"]\n',
                                            encoding="utf-8")
    assert lint("data/train.jsonl")[1]["findings"] == []
    (project / "ftdata.toml").write_text('select = ["ALL"]\n', encoding="utf-8")  # ftdata.toml wins in one folder
    assert rules_of(lint("data/train.jsonl")[1]) == {"FMT025"}


def test_pyproject_without_table_is_passed_over(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "ftdata.toml").write_text('ignore = ["format"]\n', encoding="utf-8")
    (project / "data" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    monkeypatch.chdir(project / "data")
    assert configfile.find() == str(project / "ftdata.toml")
    assert lint("train.jsonl")[1]["findings"] == []


def test_command_line_overrides_file(project: Path) -> None:
    (project / "ftdata.toml").write_text('select = ["content"]\n[severity]\nFMT025 = "error"\n', encoding="utf-8")
    assert lint("data/train.jsonl")[1]["findings"] == []  # select replaced the default ALL
    code, report, _ = lint("data/train.jsonl", "--select", "FMT,content", "--severity", "FMT025=info")
    assert code == 0 and [f["severity"] for f in report["findings"]] == ["info"]
    assert lint("data/train.jsonl", "--isolated")[1]["findings"][0]["severity"] == "warning"


def test_layers_profile_file_command_line(project: Path) -> None:
    cfg = project / "ftdata.toml"
    cfg.write_text('profile = "bedrock"\n[volume]\nminimum = 20\n', encoding="utf-8")
    s = configfile.make_settings(configfile.load(), {})
    assert s.profile == "bedrock" and s.volume.provider_minimum == 8 and s.volume.minimum == 20
    cfg.write_text('profile = "bedrock"\n[volume]\nprovider-minimum = 5\n', encoding="utf-8")
    assert configfile.make_settings(configfile.load(), {}).volume.provider_minimum == 5
    s = configfile.make_settings(configfile.load(), {"volume": {"provider_minimum": 3}, "profile": "openai"})
    assert s.profile == "openai" and s.volume.provider_minimum == 3


def test_model_above_profile_limit(project: Path) -> None:
    """A profile's token limit yields to a model named in a higher layer; a file's max-tokens cites the file."""
    s = configfile.make_settings(configfile.load(), {"profile": "vertex"})
    assert s.spec().limit == 131_072 and "Vertex" in s.spec().source
    assert configfile.make_settings(configfile.load(), {"profile": "vertex", "model": "gpt-3.5-turbo"}).spec().limit == 16_385
    (project / "ftdata.toml").write_text("max-tokens = 2048\n", encoding="utf-8")
    spec = configfile.make_settings(configfile.load(), {}).spec()
    assert spec.limit == 2048 and spec.source == "max-tokens in ftdata.toml"


def test_selection_by_specificity(project: Path) -> None:
    def codes(**fields: Any) -> frozenset[str]:
        return Plan(configfile.make_settings(configfile.Loaded(), fields)).codes

    content = codes(select=("CNT",))
    assert content and all(c.startswith("CNT") for c in content)
    assert codes(select=("CNT",), ignore=("CNT003",)) == content - {"CNT003"}
    assert codes(ignore=("content",), extend_select=("CNT010",)) & content == {"CNT010"}
    assert "CNT010" not in codes(select=("CNT010",), ignore=("personal-data",))  # a tie: ignore wins
    assert codes(select=("refusal", "FMT00")) == {"CNT003"} | {c for c in codes() if c.startswith("FMT00")}


def test_per_file_ignores(project: Path) -> None:
    shutil.copy(project / "data" / "train.jsonl", project / "data" / "valid.eval.jsonl")
    (project / "ftdata.toml").write_text('[per-file-ignores]\n"*.eval.jsonl" = ["format"]\n'
                                         '"data/train.jsonl" = ["volume"]\n', encoding="utf-8")
    _, report, _ = lint("data/train.jsonl", "data/valid.eval.jsonl")
    assert {(f["file"], f["rule"]) for f in report["findings"]} == {("data/train.jsonl", "FMT025")}
    _, report, _ = lint("data/train.jsonl", "data/valid.eval.jsonl", "--select", "FMT025")
    assert {(f["file"], f["rule"]) for f in report["findings"]} == {("data/train.jsonl", "FMT025")}  # absolute


def test_check_options_by_name_or_code_in_kebab_case(project: Path) -> None:
    (project / "ftdata.toml").write_text("[checks.length-outlier]\nmin-examples = 5\n", encoding="utf-8")
    s = configfile.make_settings(configfile.load(), {"checks": {"LEN002": {"z": 4}}})
    assert s.checks == {"LEN002": {"min_examples": 5, "z": 4}}
    plan = Plan(s)
    assert [(c.options.min_examples, c.options.z) for c in plan.dataset if c.code == "LEN002"] == [(5, 4)]


BAD_CONFIGS = {
    "misspelt key": ('selct = ["FMT"]\n', "ftdata.toml: unknown key 'selct'; did you mean 'select'?"),
    "misspelt nested key": ("[volume]\nminimun = 3\n", "unknown key 'volume.minimun'; did you mean 'minimum'?"),
    "bad value": ("max-tokens = -5\n", "ftdata.toml: max-tokens: must be greater than 0, not -5"),
    "bad severity": ('[severity]\nFMT025 = "fatal"\n', "severity.FMT025: must be 'error', 'warning' or 'info', not 'fatal'"),
    "unknown rule": ('ignore = ["near-duplicat"]\n', "ignore 'near-duplicat' matches no rule; did you mean 'near-duplicate'?"),
    "unknown option": ("[checks.length-outlier]\nzz = 3\n", "length-outlier has no option 'zz'; did you mean 'z'?"),
    "unknown profile": ('profile = "opnai"\n', "profile: unknown profile 'opnai'; did you mean 'openai'?"),
    "record ignore without reason": ('[[ignore-records]]\nid = "a"\n', "ignore-records.0.reason: Field required"),
    "not TOML": ("select = [\n", "ftdata.toml: not valid TOML"),
    "a string for a list": ('select = "ALL"\n', "ftdata.toml: select: must be a list (an array such as"),
    "unknown input format": ('input-format = "sharegtp"\n', "input-format 'sharegtp' is not a format ftdata reads; "
                             "did you mean 'sharegpt'?"),
    "unknown output format": ('output-format = "xml"\n', "output-format 'xml' is not one of"),
    "misspelt rule of a record ignore": ('id-field = "id"\n[[ignore-records]]\nid = "a"\nreason = "r"\n'
                                         'rules = ["last-turn-not-asistant"]\n',
                                         "ignore-records.0.rules: 'last-turn-not-asistant' matches no rule; "
                                         "did you mean 'last-turn-not-assistant'?"),
    "record ignores without id-field": ('[[ignore-records]]\nid = "a"\nreason = "r"\n', "needs id-field"),
    "rule validator, no empty key": ('select = ["XYZ"]\n', "ftdata.toml: select 'XYZ' matches no rule"),
}


@pytest.mark.parametrize("name", BAD_CONFIGS)
def test_bad_configuration_exits_2_naming_file_and_key(project: Path, name: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    text, expected = BAD_CONFIGS[name]
    (project / "ftdata.toml").write_text(text, encoding="utf-8")
    assert _run(["lint", "data/train.jsonl"]) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1 and "Traceback" not in err, err


def test_broken_pyproject_with_our_table_is_an_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Not skipped in favour of the defaults: the user meant to configure ftdata."""
    (project / "pyproject.toml").write_text('[tool.ftdata]\nselect = ["FMT020"\n', encoding="utf-8")
    assert _run(["lint", "data/train.jsonl"]) == 2
    assert "pyproject.toml: not valid TOML" in capsys.readouterr().err
    (project / "pyproject.toml").write_text('[project\nname = "x"\n', encoding="utf-8")  # not ours: passed over
    assert _run(["lint", "data/train.jsonl", "--format", "json"]) == 0


def test_output_format_from_the_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "ftdata.toml").write_text('output-format = "concise"\n', encoding="utf-8")
    assert _run(["lint", "data/train.jsonl"]) == 0
    assert capsys.readouterr().out.startswith("data/train.jsonl:121: FMT025 ")
    assert _run(["lint", "data/train.jsonl", "--format", "jsonl"]) == 0
    assert json.loads(capsys.readouterr().out)["rule"] == "FMT025"


def test_severity_layers_whatever_the_spelling(project: Path) -> None:
    """profile (trl: last-turn-not-assistant warning) < file (FMT022 info) < command line (the name again)."""
    (project / "ftdata.toml").write_text('[severity]\nFMT022 = "info"\n', encoding="utf-8")
    s = configfile.make_settings(configfile.load(), {"profile": "trl", "severity": {"last-turn-not-assistant": "error"}})
    assert "FMT022" not in Plan(s).severity  # error: its default, so not an override
    s = configfile.make_settings(configfile.load(), {"profile": "trl"})
    assert Plan(s).severity["FMT022"].value == "info"


def test_token_limit_layers(project: Path) -> None:
    """A model on the command line replaces a profile's limit but not the file's; a limit set
    above the profile is not credited to it."""
    (project / "ftdata.toml").write_text("max-tokens = 2048\n", encoding="utf-8")
    assert configfile.make_settings(configfile.load(), {"model": "gpt-4o"}).spec().limit == 2048
    spec = configfile.make_settings(configfile.Loaded(), {"profile": "trl", "max_tokens": 40}).spec()
    assert spec.limit == 40 and "TRL" not in spec.source
    assert configfile.make_settings(configfile.Loaded(), {"profile": "TRL"}).spec().limit == 1024


@pytest.mark.parametrize("args, expected", [
    (["--write-baseline", "-o", "r.json"], "--write-baseline only records the findings"),
    (["--write-baseline", "--statistics"], "--write-baseline only records the findings"),
    (["--fix", "--fix-output", "x.jsonl", "-o", "x.jsonl"], "need two files"),
])
def test_contradictory_outputs_exit_2(project: Path, args: list[str], expected: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["lint", "data/train.jsonl", *args]) == 2
    assert expected in capsys.readouterr().err
    assert not (project / "x.jsonl").exists() and not (project / "r.json").exists()


def test_bad_pyproject_names_the_table(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text("[tool.ftdata]\nextend-selet = []\n", encoding="utf-8")
    assert _run(["lint", "data/train.jsonl"]) == 2
    assert "pyproject.toml: [tool.ftdata] unknown key 'extend-selet'; did you mean 'extend-select'?" in capsys.readouterr().err


@pytest.mark.parametrize("args, expected", [
    (["--config", "nowhere.toml"], "cannot read the configuration 'nowhere.toml': it does not exist"),
    (["--profile", "azure"], "--profile: unknown profile 'azure'"),
    (["--select", "FMT9"], "select 'FMT9' matches no rule"),
    (["--severity", "FMT025=fatal"], "--severity takes RULE=error|warning|info"),
])
def test_bad_command_line_exits_2(project: Path, args: list[str], expected: str,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["lint", "data/train.jsonl", *args]) == 2
    assert expected in capsys.readouterr().err


def test_config_option_names_a_pyproject_without_table(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert _run(["lint", "data/train.jsonl", "--config", "pyproject.toml"]) == 2
    assert "pyproject.toml has no [tool.ftdata] table" in capsys.readouterr().err


def test_init_writes_a_starter_that_changes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = lint("data/train.jsonl")[1]["findings"]
    assert _run(["init"]) == 0
    text = (project / "ftdata.toml").read_text(encoding="utf-8")
    assert "# profile = " in text and "[[ignore-records]]" in text
    assert configfile.load().path == str(project / "ftdata.toml")
    assert lint("data/train.jsonl")[1]["findings"] == before
    assert _run(["init"]) == 2 and "already exists" in capsys.readouterr().err
    assert _run(["init", "--force"]) == 0


def test_init_pyproject_table(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert _run(["init", "--pyproject"]) == 0
    loaded = configfile.load()
    assert loaded.path == str(project / "pyproject.toml") and loaded.config.select == ("ALL",)
    for line in loaded.path and Path(loaded.path).read_text(encoding="utf-8").splitlines() or []:
        if line.startswith("# [") and "ftdata" not in line:
            pytest.fail(f"a commented table without the tool.ftdata prefix: {line}")
    assert _run(["init", "--pyproject"]) == 2 and "already has a [tool.ftdata] table" in capsys.readouterr().err


def test_uncommented_starter_is_valid(project: Path) -> None:
    """Every example in the starter, uncommented, is a valid configuration."""
    from ftdata.starter import starter

    lines = [ln[2:] if ln.startswith("# ") and ("=" in ln or ln.startswith("# [")) and "://" not in ln
             and not ln.startswith("# Command") else ln for ln in starter(False).splitlines()]
    (project / "ftdata.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = configfile.load()
    s = configfile.make_settings(loaded, {})
    assert s.profile == "openai" and s.max_tokens == 16384 and loaded.config.id_field == "id"
    assert loaded.config.ignore_records and loaded.config.ignore_records[0].reason


def test_profiles_end_to_end(project: Path) -> None:
    """The clean OpenAI chat data is ready for OpenAI, not for Vertex (another format) nor, at 8
    records, for Vertex's minimum of 16."""
    assert lint("data/train.jsonl", "--profile", "openai", "--ignore", "FMT025")[0] == 0
    code, report, _ = lint("data/train.jsonl", "--profile", "vertex")
    assert code == 1 and "FMT042" in rules_of(report)
    few = write_jsonl(project / "few.jsonl", [chat(i, ("user", f"Question {i}?"), ("assistant", f"Answer {i}."))
                                              for i in range(8)])
    messages = {f["rule"]: f["message"] for f in lint(str(few), "--profile", "vertex")[1]["findings"]}
    assert messages["VOL001"].endswith("requires at least 16") and "Vertex" in messages["VOL001"]
    assert "VOL001" not in rules_of(lint(str(few), "--profile", "bedrock")[1])  # Bedrock's minimum is 8
