"""The `ftdata-lint` pre-commit hook end to end, through the real `pre-commit` tool.

A dataset repository is made in a temporary directory, with a `.pre-commit-config.yaml` whose hook
repository is this checkout, exactly as a user's config names https://github.com/ftdata/ftdata.
pre-commit clones that repository at `rev`, builds a virtualenv and pip-installs ftdata into it
(from the package index: the first run of the module takes 15-60 s, then the environment is
reused); PRE_COMMIT_HOME is one temporary directory for the module, removed afterwards.

Which commit is the hook repository? pre-commit installs hooks from a commit, never from a
working tree. The test commits a snapshot of this checkout's working tree (every file git does
not ignore) to a repository of its own in the temporary directory and points `rev` at that
commit: on CI's clean clone that is HEAD, locally it includes uncommitted work like every other
test does, and the checkout itself is only read (its index and .git are not touched). The same
works when the checkout is not a git repository at all. `pre-commit try-repo` would do much the
same, but builds the environment again on every call.

Skipped when git or pre-commit (the `test` extras) is not installed.
"""
from __future__ import annotations

import gzip
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ftdata.checks.format.empty_turn import EmptyTurn
from ftdata.checks.format.invalid_json import InvalidJson

ROOT = Path(__file__).resolve().parents[1]
CLEAN = ROOT / "tests" / "fixtures" / "cli" / "clean.jsonl"  # 120 realistic openai-chat examples, no findings
HOOK_ID = "ftdata-lint"

# Line 1: an empty assistant turn; line 2: not JSON (cut off); line 3: fine.
BAD = (
    '{"messages": [{"role": "user", "content": "Summarise the meeting notes."}, {"role": "assistant", "content": ""}]}\n'
    '{"messages": [{"role": "user", "content": "Translate \'good morning\' into French."\n'
    '{"messages": [{"role": "user", "content": "What is the capital of Peru?"}, '
    '{"role": "assistant", "content": "Lima."}]}\n'
)

HAVE_PRE_COMMIT = importlib.util.find_spec("pre_commit") is not None

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(not HAVE_PRE_COMMIT,
                       reason="pre-commit is not installed (pip install pre-commit, or the test extras)"),
]


def _env(**extra: str) -> dict[str, str]:
    """The environment without the GIT_* variables a surrounding git hook may export (GIT_DIR,
    GIT_INDEX_FILE would redirect every git command here), without the user's global git config,
    and with plain output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", PRE_COMMIT_COLOR="never",
               NO_COLOR="1", **extra)
    env.pop("FTDATA_DEBUG", None)
    return env


def _git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    p = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, f"git {' '.join(args)} failed:\n{p.stdout}{p.stderr}"
    return p.stdout.strip()


@dataclass(frozen=True)
class HookSource:
    repo: Path  # a git repository holding a snapshot of this checkout
    rev: str  # the snapshot commit
    env: dict[str, str]  # with PRE_COMMIT_HOME, shared by every test of the module
    install_seconds: float


@pytest.fixture(scope="module")
def hook_source() -> Iterator[HookSource]:
    with tempfile.TemporaryDirectory(prefix="ftdata-pre-commit-") as tmp:
        base = Path(tmp)
        env = _env(PRE_COMMIT_HOME=str(base / "home"))
        snapshot = base / "ftdata-snapshot"
        _git("init", "-q", str(snapshot), cwd=base, env=env)
        # Index the checkout's working tree into the snapshot's own .git: .gitignore applies, the
        # checkout is only read.
        git_dir = f"--git-dir={snapshot / '.git'}"
        _git(git_dir, f"--work-tree={ROOT}", "add", "-A", cwd=base, env=env)
        _git(git_dir, "-c", "user.name=ftdata tests", "-c", "user.email=tests@ftdata.invalid",
             "-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", "snapshot", cwd=base, env=env)
        rev = _git(git_dir, "rev-parse", "HEAD", cwd=base, env=env)
        source = HookSource(snapshot, rev, env, 0.0)

        # Build the hook environment once, in a throwaway repository, so that the tests time the hook.
        warmup = _dataset_repo(base / "warmup", source)
        start = time.monotonic()
        p = _pre_commit(warmup, source, "install-hooks")
        seconds = time.monotonic() - start
        assert p.returncode == 0, f"pre-commit could not install the hook environment:\n{p.stdout}"
        print(f"\npre-commit hook environment installed in {seconds:.1f} s")
        yield HookSource(snapshot, rev, env, seconds)


def _config(source: HookSource, files: str | None = None) -> str:
    hook = f"      - id: {HOOK_ID}\n" + (f"        files: '{files}'\n" if files else "")
    return f"repos:\n  - repo: {source.repo}\n    rev: {source.rev}\n    hooks:\n{hook}"


def _dataset_repo(path: Path, source: HookSource, files: str | None = None) -> Path:
    """A user's dataset repository: git, a local identity, and the pre-commit config, committed."""
    path.mkdir(parents=True)
    _git("init", "-q", cwd=path, env=source.env)
    for key, value in (("user.name", "Dataset Maintainer"), ("user.email", "data@example.invalid"),
                       ("commit.gpgsign", "false")):
        _git("config", key, value, cwd=path, env=source.env)
    (path / ".pre-commit-config.yaml").write_text(_config(source, files), encoding="utf-8")
    _git("add", ".pre-commit-config.yaml", cwd=path, env=source.env)
    _git("commit", "-q", "--no-verify", "-m", "pre-commit config", cwd=path, env=source.env)
    return path


def _pre_commit(repo: Path, source: HookSource, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=repo, env=source.env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)


def _block(output: str, code: str) -> list[str]:
    """The lines of the text report under the heading of rule `code`, up to the blank line."""
    lines = output.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith(f"{code} ")]
    assert starts, f"no {code} in the hook's output:\n{output}"
    block = []
    for line in lines[starts[0] + 1:]:
        if not line.strip():
            break
        block.append(line.strip())
    return block


@pytest.fixture
def repo(tmp_path: Path, hook_source: HookSource) -> Path:
    return _dataset_repo(tmp_path / "dataset", hook_source)


def test_bad_dataset_blocks_the_commit(repo: Path, hook_source: HookSource) -> None:
    """`pre-commit install` + `git commit`: the commit is refused, and the output says which file,
    which line and which rule."""
    p = _pre_commit(repo, hook_source, "install")
    assert p.returncode == 0, p.stdout
    (repo / "data").mkdir()
    (repo / "data" / "train.jsonl").write_text(BAD, encoding="utf-8")
    (repo / "notes.md").write_text("Collected from the support inbox.\n", encoding="utf-8")
    _git("add", "-A", cwd=repo, env=hook_source.env)
    head = _git("rev-parse", "HEAD", cwd=repo, env=hook_source.env)

    c = subprocess.run(["git", "commit", "-m", "add training data"], cwd=repo, env=hook_source.env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    out = c.stdout
    assert c.returncode == 1, out
    assert _git("rev-parse", "HEAD", cwd=repo, env=hook_source.env) == head, "the commit went through"
    assert re.search(r"^ftdata lint\.+Failed$", out, re.M), out
    assert "- hook id: ftdata-lint" in out and "- exit code: 1" in out, out
    assert any(line.startswith("data/train.jsonl:2 ") for line in _block(out, InvalidJson.code)), out
    assert any(line.startswith("data/train.jsonl:1 /messages/1/content ") for line in _block(out, EmptyTurn.code)), out
    assert "notes.md" not in out  # not a data file: never passed to ftdata
    assert out.rstrip().splitlines()[-1].startswith("Verdict: not-ready"), out


def test_good_dataset_commits(repo: Path, hook_source: HookSource) -> None:
    """120 distinct, well-formed chat examples: the hook passes and the commit is made."""
    p = _pre_commit(repo, hook_source, "install")
    assert p.returncode == 0, p.stdout
    (repo / "data").mkdir()
    shutil.copyfile(CLEAN, repo / "data" / "train.jsonl")
    _git("add", "-A", cwd=repo, env=hook_source.env)
    head = _git("rev-parse", "HEAD", cwd=repo, env=hook_source.env)

    c = subprocess.run(["git", "commit", "-m", "add training data"], cwd=repo, env=hook_source.env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    assert c.returncode == 0, c.stdout
    assert re.search(r"^ftdata lint\.+Passed$", c.stdout, re.M), c.stdout
    assert _git("rev-parse", "HEAD", cwd=repo, env=hook_source.env) != head
    assert _git("ls-files", cwd=repo, env=hook_source.env).splitlines() == [".pre-commit-config.yaml",
                                                                           "data/train.jsonl"]


def test_gzipped_dataset_is_checked(repo: Path, hook_source: HookSource) -> None:
    """.jsonl.gz is binary to pre-commit: the hook's `types: [file]` (not `text`) keeps it in."""
    (repo / "data").mkdir()
    (repo / "data" / "train.jsonl.gz").write_bytes(gzip.compress(BAD.encode("utf-8"), mtime=0))
    _git("add", "-A", cwd=repo, env=hook_source.env)
    p = _pre_commit(repo, hook_source, "run")  # the staged files, as at commit time
    assert p.returncode == 1, p.stdout
    assert any(line.startswith("data/train.jsonl.gz:2 ") for line in _block(p.stdout, InvalidJson.code)), p.stdout


def test_one_ftdata_run_for_all_files(repo: Path, hook_source: HookSource) -> None:
    """`require_serial: true`: however many files and CPUs, ftdata runs once over all of them (one
    verdict), so that dataset checks see every file. Without it pre-commit splits 6 files into
    parallel runs of 4 or fewer on a machine with two CPUs or more."""
    records = CLEAN.read_text(encoding="utf-8").splitlines(keepends=True)
    (repo / "data").mkdir()
    names = [f"data/part-{i}.jsonl" for i in range(5)] + ["data/broken.jsonl"]
    for i, name in enumerate(names[:-1]):
        (repo / name).write_text("".join(records[i::5]), encoding="utf-8")
    (repo / names[-1]).write_text(BAD, encoding="utf-8")
    p = _pre_commit(repo, hook_source, "run", "--files", *names)
    assert p.returncode == 1, p.stdout
    assert p.stdout.count("\nVerdict: ") == 1, p.stdout
    assert "(6 files)" in p.stdout, p.stdout


def test_files_narrowed_in_the_users_config(tmp_path: Path, hook_source: HookSource) -> None:
    """The hook's pattern takes every .json file, package.json included: ftdata skips it with a note
    (it is one object in no record format) and the commit goes through; a `files:` of the user's
    own (docs/ci.md) limits the hook to the data directory, so package.json is not even read."""
    broad = _dataset_repo(tmp_path / "broad", hook_source)
    narrow = _dataset_repo(tmp_path / "narrow", hook_source, files=r"^data/.*\.(jsonl|json|jsonl\.gz)$")
    for repo in (broad, narrow):
        (repo / "package.json").write_text('{"name": "demo", "version": "1.0.0", "private": true}\n',
                                           encoding="utf-8")
        (repo / "data").mkdir()
        shutil.copyfile(CLEAN, repo / "data" / "train.jsonl")
        _git("add", "-A", cwd=repo, env=hook_source.env)

    # more JSON that is no training data: a config with comments, LLaMA-Factory's dataset registry, labels
    (broad / "tsconfig.json").write_text('{\n  // strict mode\n  "compilerOptions": {"strict": true}\n}\n',
                                         encoding="utf-8")
    (broad / "data" / "dataset_info.json").write_text('{"train": {"file_name": "train.jsonl"}}\n', encoding="utf-8")
    (broad / "data" / "labels.json").write_text('["billing", "refund", "shipping"]\n', encoding="utf-8")
    _git("add", "-A", cwd=broad, env=hook_source.env)
    p = _pre_commit(broad, hook_source, "run", "--verbose")  # --verbose: the output of a hook that passed
    assert p.returncode == 0, p.stdout  # it failed on package.json (FMT006, VOL001) before
    for name in ("package.json", "tsconfig.json", "data/dataset_info.json", "data/labels.json"):
        assert f"skipping {name}: not a dataset" in p.stdout, p.stdout
    assert "(1 file)" in p.stdout, p.stdout  # data/train.jsonl, linted

    p = _pre_commit(narrow, hook_source, "run")
    assert p.returncode == 0, p.stdout
    assert re.search(r"^ftdata lint\.+Passed$", p.stdout, re.M) and "package.json" not in p.stdout, p.stdout
    p = _pre_commit(narrow, hook_source, "run", "--files", "package.json")
    assert p.returncode == 0 and re.search(r"^ftdata lint\.+\(no files to check\)Skipped$", p.stdout, re.M), p.stdout
