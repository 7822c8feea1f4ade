"""docs/ci.md and .pre-commit-hooks.yaml against the code: every YAML block of the page parses;
every `ftdata` command in it (workflow `run:` steps, GitLab `script:` lines, and what each
pre-commit config makes of `entry` + `args` + file names) parses with the lint command's own
options and runs to a verdict on a small dataset (exit 0 or 1, never 2), writing the report its
`--output` names; the pre-commit configs pass pre-commit's config schema, name the shipped hook,
and narrow `files` as the text says; the workflows upload what they write, with the permission
code scanning needs; versions are the package's. The manifest loads with pre-commit's own
validation.
"""
from __future__ import annotations

import glob
import json
import os
import re
import shlex
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from ftdata._version import __version__
from ftdata.cli import cli
from independent import ftdata_command

yaml = pytest.importorskip("yaml", reason="PyYAML is not installed (it comes with pre-commit, in the test extras)")

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "ci.md"
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
CLEAN = ROOT / "tests" / "fixtures" / "cli" / "clean.jsonl"  # 120 realistic openai-chat examples, no findings
REPO_URL = "https://github.com/ftdata/ftdata"
HOOK_ID = "ftdata-lint"
UPLOAD_SARIF = re.compile(r"^github/codeql-action/upload-sarif@v(\d+)$")
# upload-sarif's inputs (github/codeql-action, upload-sarif/action.yml)
UPLOAD_SARIF_INPUTS = {"sarif_file", "category", "checkout_path", "ref", "sha", "token", "matrix",
                       "wait-for-processing"}
LINT = cli.commands["lint"]


def _blocks(language: str) -> list[Any]:
    text = DOC.read_text(encoding="utf-8")
    return [yaml.safe_load(body) for body in re.findall(rf"^```{language}\n(.*?)^```$", text, re.S | re.M)]


def _yaml_blocks() -> list[Any]:
    return _blocks("yaml")


def _precommit_configs() -> list[dict[str, Any]]:
    return [b for b in _yaml_blocks() if isinstance(b, dict) and "repos" in b]


def _workflows() -> list[dict[str, Any]]:
    return [b for b in _yaml_blocks() if isinstance(b, dict) and "jobs" in b]


def _gitlab_jobs() -> list[dict[str, Any]]:
    return [job for b in _yaml_blocks() if isinstance(b, dict) and "repos" not in b and "jobs" not in b
            for job in b.values() if isinstance(job, dict) and "script" in job]


def _commands() -> list[str]:
    """Every shell line of the page's CI examples that runs ftdata."""
    lines = [step["run"] for wf in _workflows() for job in wf["jobs"].values() for step in job["steps"]
             if "run" in step]
    lines += [line for job in _gitlab_jobs() for line in job["script"]]
    return [line for line in lines if line.split()[:1] == ["ftdata"]]


def _hook_commands() -> list[list[str]]:
    """What pre-commit runs for each config on the page: entry + args (+ the staged files)."""
    manifest = {h["id"]: h for h in yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))}
    out = []
    for config in _precommit_configs():
        for repo in config["repos"]:
            for hook in repo["hooks"]:
                merged = {**manifest[hook["id"]], **hook}
                files = [] if merged.get("pass_filenames") is False else ["data/train.jsonl"]
                argv = [*shlex.split(merged["entry"]), *merged.get("args", []), *files]
                if argv not in out:
                    out.append(argv)
    return out


def _lint_params(argv: list[str]) -> dict[str, Any]:
    """The lint command's parameters for `ftdata lint ...`, parsed by click itself (an unknown
    option, a missing value or a format that does not exist raises a usage error)."""
    assert argv[:2] == ["ftdata", "lint"], argv
    with LINT.make_context("lint", argv[2:]) as ctx:
        return dict(ctx.params)


@pytest.fixture
def dataset_dir(tmp_path: Path) -> Path:
    """A dataset repository's working directory: data/train.jsonl (100 examples) and
    data/valid.jsonl (20 others), and no configuration file."""
    records = CLEAN.read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "train.jsonl").write_text("".join(records[:100]), encoding="utf-8")
    (tmp_path / "data" / "valid.jsonl").write_text("".join(records[100:]), encoding="utf-8")
    return tmp_path


def _run(argv: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    expanded = [m for a in argv for m in (sorted(glob.glob(a, root_dir=cwd)) or [a])]  # the shell's globbing
    environ = {k: v for k, v in os.environ.items() if k not in ("FTDATA_DEBUG", "GITHUB_STEP_SUMMARY")}
    return subprocess.run([*ftdata_command(), *expanded[1:]], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**environ, **env})


# -- the page itself --------------------------------------------------------------------------------


def test_every_yaml_block_parses_and_is_used() -> None:
    blocks = _yaml_blocks()
    assert blocks and all(isinstance(b, dict) for b in blocks)
    assert len(_precommit_configs()) >= 3 and len(_workflows()) == 2 and len(_gitlab_jobs()) == 1
    assert len(_precommit_configs()) + len(_workflows()) + 1 == len(blocks)


def test_versions_are_the_packages() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert f"rev: v{__version__}" in text
    for rev in re.findall(r"rev: (\S+)", text):
        assert rev == f"v{__version__}"
    for ref in re.findall(r"ftdata/ftdata@(\S+?)[\"'\s]", text):
        assert ref == f"v{__version__}"


# -- ftdata commands --------------------------------------------------------------------------------


def test_ci_commands_use_options_the_cli_has() -> None:
    commands = _commands()
    formats = {_lint_params(shlex.split(c))["output_format"] for c in commands}
    assert {"sarif", "github", "junit"} <= formats, commands
    for argv in _hook_commands():
        _lint_params(argv)


@pytest.mark.parametrize("command", _commands() if DOC.exists() else [])
def test_ci_command_runs(command: str, dataset_dir: Path) -> None:
    """The command as the CI runs it, in a dataset checkout: a verdict (0 or 1), never a usage
    error, and the report it promises."""
    argv = shlex.split(command)
    params = _lint_params(argv)
    summary = dataset_dir / "step-summary.md"
    summary.write_text("", encoding="utf-8")
    p = _run(argv, dataset_dir, GITHUB_STEP_SUMMARY=str(summary), GITHUB_ACTIONS="true")
    assert p.returncode in (0, 1), p.stderr
    output, fmt = params["output"], params["output_format"]
    if output:
        written = (dataset_dir / output).read_text(encoding="utf-8")
        if fmt == "sarif":
            sarif = json.loads(written)
            assert sarif["version"] == "2.1.0" and sarif["runs"][0]["tool"]["driver"]["name"] == "ftdata"
        elif fmt == "junit":
            assert ET.fromstring(written).tag in ("testsuites", "testsuite")
    if fmt == "github":
        assert summary.read_text(encoding="utf-8").strip(), "nothing appended to the job summary"


@pytest.mark.parametrize("argv", _hook_commands() if DOC.exists() else [], ids=" ".join)
def test_hook_command_runs(argv: list[str], dataset_dir: Path) -> None:
    p = _run(argv, dataset_dir)
    assert p.returncode in (0, 1), p.stderr


# -- GitHub Actions ---------------------------------------------------------------------------------


def test_sarif_workflow_uploads_what_it_writes() -> None:
    uploads = 0
    for wf in _workflows():
        for job in wf["jobs"].values():
            outputs = {_lint_params(shlex.split(s["run"]))["output"] for s in job["steps"]
                       if s.get("run", "").startswith("ftdata lint") and "--format sarif" in s["run"]}
            for step in job["steps"]:
                m = UPLOAD_SARIF.match(step.get("uses", ""))
                if not m:
                    continue
                uploads += 1
                assert int(m.group(1)) >= 4  # v3 is deprecated in December 2026
                assert set(step["with"]) <= UPLOAD_SARIF_INPUTS, step["with"]
                assert step["with"]["sarif_file"] in outputs
                assert step["with"].get("category") == "ftdata"
                assert "cancelled()" in step.get("if", "") or "always()" in step.get("if", "")
                assert job["permissions"]["security-events"] == "write"
    assert uploads == 1


# -- pre-commit -------------------------------------------------------------------------------------


def test_precommit_configs_are_valid() -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib", reason="pre-commit is not installed")
    import cfgv

    manifest_ids = {h["id"] for h in clientlib.load_manifest(str(MANIFEST))}
    for config in _precommit_configs():
        cfgv.validate(config, clientlib.CONFIG_SCHEMA)
        for repo in config["repos"]:
            assert repo["repo"] == REPO_URL
            assert {h["id"] for h in repo["hooks"]} <= manifest_ids


def test_documented_narrowing_does_what_it_says() -> None:
    manifest = {h["id"]: h for h in yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))}[HOOK_ID]
    hooks = [{**manifest, **h} for c in _precommit_configs() for r in c["repos"] for h in r["hooks"]]

    def selected(hook: dict[str, Any], path: str) -> bool:
        return bool(re.search(hook.get("files", ""), path)) and not re.search(hook.get("exclude", "^$"), path)

    narrowed = [h for h in hooks if h["files"] != manifest["files"] and h.get("pass_filenames", True)]
    excluding = [h for h in hooks if h.get("exclude") != manifest.get("exclude")]
    assert narrowed and excluding
    for hook in narrowed + excluding:
        for path in ("data/train.jsonl", "data/train.jsonl.gz", "data/alpaca.json"):
            assert selected(hook, path), (hook, path)
        for path in ("package.json", "ftdata-baseline.json"):
            assert not selected(hook, path), (hook, path)
    assert not selected(narrowed[0], "web/tsconfig.json")


# -- the manifest -----------------------------------------------------------------------------------


def test_manifest_loads_with_pre_commits_validation() -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib", reason="pre-commit is not installed")

    hooks = clientlib.load_manifest(str(MANIFEST))
    assert [h["id"] for h in hooks] == [HOOK_ID]
    hook = hooks[0]
    assert hook["language"] == "python"
    assert hook["require_serial"] is True
    assert hook["pass_filenames"] is True
    assert hook["types"] == ["file"]  # .jsonl.gz is binary: `text` would drop it
    program, command = shlex.split(hook["entry"])
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(rf'^{re.escape(program)} = "ftdata\.cli:main"$', pyproject, re.M)
    assert command in cli.commands

    def selected(path: str) -> bool:
        return bool(re.search(hook["files"], path)) and not re.search(hook["exclude"], path)

    for path in ("train.jsonl", "data/train.jsonl.gz", "data/alpaca.json", "package.json"):
        assert selected(path), path
    for path in ("train.jsonl.bak", "train.csv", "notes.md", "ftdata-baseline.json", "data/ftdata-baseline.json",
                 "train.json.gz", ".pre-commit-config.yaml"):
        assert not selected(path), path
