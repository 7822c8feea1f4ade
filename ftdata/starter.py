"""`ftdata init`: a commented starter configuration, as ftdata.toml or a [tool.ftdata] table."""
from __future__ import annotations

import os

from ftdata.curate.atomic import atomic_writer

# Every key is shown; the active ones are the defaults, so the file changes nothing until edited.
# `{t}` is the table prefix: "" in ftdata.toml, "tool.ftdata." in pyproject.toml.
TEMPLATE = """\
{head}# ftdata configuration: https://github.com/ftdata/ftdata#configuration
# Command-line options override these; `ftdata rules` lists every rule.

# Provider rules and limits (minimum examples, token limit, roles, last role, weights):
# openai, together, mistral, bedrock, vertex or trl.
# profile = "openai"

# The model whose tokenizer and per-example token limit apply.
# model = "gpt-4o-mini"
# max-tokens = 16384

# Rules to run, by code (FMT001), code prefix (FMT, CNT01), name (near-duplicate),
# category (content) or ALL. The most specific entry wins; on a tie, ignore wins.
select = ["ALL"]
# extend-select = []
ignore = []

# Similarity (Jaccard of character 5-grams) from which two records are near duplicates.
# near-threshold = 0.8

# Accepted findings: `ftdata lint --write-baseline` records them here; later runs report only new ones.
# baseline = "ftdata-baseline.json"

# Records left alone by id (each listed in [[ignore-records]] below, with a reason).
# id-field = "id"

# output-format = "text"   # text, concise, json, jsonl, sarif, github, junit, markdown

# Tables last: in TOML every key after a [table] header belongs to that table.

# Severity overrides: "error" fails the run, "warning" and "info" do not.
# [{t}severity]
# consecutive-same-role = "error"
# style = "info"

# Rules to skip in some files (globs relative to this file's folder; a glob without "/"
# matches the file name anywhere).
# [{t}per-file-ignores]
# "*.eval.jsonl" = ["volume"]

# Options of one check, by name or code (`ftdata rule NAME` documents them).
# [{t}checks.length-outlier]
# z = 4.0

# Example-count thresholds.
# [{t}volume]
# provider-minimum = 10
# minimum = 50
# recommended = 100

# [[{t}ignore-records]]
# id = "ticket-1234"
# reason = "the refusal is the behaviour we want"
# rules = ["refusal"]
"""


def starter(pyproject: bool) -> str:
    if pyproject:
        return TEMPLATE.format(head="[tool.ftdata]\n", t="tool.ftdata.")
    return TEMPLATE.format(head="", t="")


def write(folder: str, pyproject: bool, force: bool) -> str:
    """Write the starter into `folder` (ftdata.toml, or appended to pyproject.toml) atomically;
    returns the path. Raises ValueError rather than overwrite a configuration."""
    path = os.path.join(folder, "pyproject.toml" if pyproject else "ftdata.toml")
    existing = ""
    if pyproject and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            existing = f.read()
        if "[tool.ftdata" in existing:  # TOML allows one such table: never a second
            raise ValueError(f"{path} already has a [tool.ftdata] table; edit it")
        existing = existing.rstrip("\n") + "\n\n" if existing.strip() else ""
    elif os.path.exists(path) and not force:
        raise ValueError(f"{path} already exists; edit it, or use --force to replace it")
    with atomic_writer(path) as out:
        out.write((existing + starter(pyproject)).encode())
    return path
