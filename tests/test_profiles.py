"""Provider profiles (ftdata.profiles): their data agrees with the registry and FORMATS.md, and the
checks they configure (unsupported-role, unsupported-format, invalid-weight's modes) judge
real-shaped records and real datasets as each provider would.

The checks are built from their options here; applying a profile end to end (`--profile`) is the
settings layer's to test.
"""
from __future__ import annotations

import gzip
import json
from typing import Any

import pytest
from pydantic import ValidationError

import ftdata
from ftdata import registry
from ftdata.checks.base import RecordCheck
from ftdata.checks.format.invalid_weight import InvalidWeight
from ftdata.checks.format.unsupported_format import UnsupportedFormat
from ftdata.checks.format.unsupported_role import UnsupportedRole
from ftdata.config import Settings
from ftdata.model import Severity
from ftdata.profiles import PROFILES, profile_settings
from ftdata.records import normalise
from independent import DATASETS, needs_datasets

NAMES = sorted(PROFILES)
SEVERITIES = {s.value for s in Severity}
SLOW = ("duplicates", "style", "content", "balance", "length", "leakage")


def run(check: RecordCheck, *rows: dict[str, Any]) -> list[ftdata.Finding]:
    return check.run(normalise(enumerate(rows, 1), "<test>"))


def lint_with(source: Any, name: str, rule: str) -> list[ftdata.Finding]:
    """`rule`'s findings on `source` with the check options of profile `name` (the costly
    families left out: they cannot change a format rule's findings)."""
    report = ftdata.lint(source, jobs=1, checks=profile_settings(name)["checks"], ignore=SLOW,
                         collapse=False)  # counted per turn: ftdata.collapse would merge a convention's
    return [f for f in report.findings if f.rule == rule]


# -- the profiles' data ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_check_options_name_real_checks_and_validate(name: str) -> None:
    p = PROFILES[name]
    assert p.name == name
    for key, opts in p.checks.items():
        cls = registry.find(key)
        assert cls is not None and cls.name == key, f"{name}: {key!r} is not a check name"
        unknown = set(opts) - set(cls.Options.model_fields)
        assert not unknown, f"{name}: {key} has no option {unknown}"
        cls.Options(**opts)  # raises on a bad value (an unknown role or format, a mode misspelt)
        if "provider" in cls.Options.model_fields:
            assert opts.get("provider"), f"{name}: {key} messages would not name the provider"


@pytest.mark.parametrize("name", NAMES)
def test_severity_overrides_are_real_and_change_something(name: str) -> None:
    for key, level in PROFILES[name].severity.items():
        cls = registry.find(key)
        assert cls is not None, f"{name}: severity for unknown check {key!r}"
        assert level in SEVERITIES
        assert level != cls.severity.value, f"{name}: {key} is {level} already"


@pytest.mark.parametrize("name", NAMES)
def test_limits_are_well_formed(name: str) -> None:
    p = PROFILES[name]
    assert p.provider_minimum >= 1
    assert (p.max_tokens is None) == (p.limit_source is None), "a limit must say where it comes from"
    assert p.max_tokens is None or p.max_tokens > 0
    # every profile says which formats and weights the provider takes
    assert p.checks["unsupported-format"]["formats"]
    assert p.checks["invalid-weight"]["mode"] != "format"


def test_facts_of_formats_md() -> None:
    """The numbers FORMATS.md gives, and TRL's SFTConfig.max_length default."""
    minimum = {n: p.provider_minimum for n, p in PROFILES.items()}
    assert minimum == {"openai": 10, "together": 1, "mistral": 1, "bedrock": 8, "vertex": 16, "trl": 1}
    assert (PROFILES["vertex"].max_tokens, PROFILES["trl"].max_tokens) == (131_072, 1024)
    assert PROFILES["bedrock"].severity["consecutive-same-role"] == "error"  # strict alternation
    modes = {n: p.checks["invalid-weight"]["mode"] for n, p in PROFILES.items()}
    assert modes == {"openai": "binary-assistant", "together": "binary", "mistral": "binary-assistant",
                     "bedrock": "none", "vertex": "none", "trl": "none"}


@pytest.mark.parametrize("name", NAMES)
def test_profile_settings_shape(name: str) -> None:
    p = PROFILES[name]
    s = profile_settings(name)
    assert s["profile"] == name and s["volume"] == {"provider_minimum": p.provider_minimum}
    assert s["checks"] == p.checks and s["severity"] == p.severity
    assert s.get("max_tokens") == p.max_tokens and s.get("limit_source") == p.limit_source
    s["checks"]["invalid-weight"]["mode"] = "format"  # a copy: merging into it leaves the profile alone
    assert p.checks["invalid-weight"]["mode"] != "format"


@pytest.mark.parametrize("name", NAMES)
def test_profile_settings_make_valid_settings(name: str) -> None:
    s = Settings(**profile_settings(name))
    p = PROFILES[name]
    assert s.volume.provider_minimum == p.provider_minimum
    if p.max_tokens is not None:
        assert (s.spec().limit, s.spec().source) == (p.max_tokens, p.limit_source)


def test_unknown_profile_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="openai"):
        profile_settings("openia")


@pytest.mark.parametrize(("cls", "opts"), [
    (UnsupportedRole, {"roles": ["user", "model"]}),  # canonical roles only: Vertex's model is assistant
    (UnsupportedFormat, {"formats": ["chatml"]}),
    (InvalidWeight, {"mode": "half"}),
    (InvalidWeight, {"weights": "none"}),
])
def test_bad_options_are_refused(cls: Any, opts: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        cls.Options(**opts)


# -- invalid-weight's modes --------------------------------------------------------------------------
HALF = {"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a", "weight": 0.5}]}
ON_USER = {"messages": [{"role": "user", "content": "q", "weight": 1}, {"role": "assistant", "content": "a"}]}
SHAREGPT_USER = {"conversations": [{"from": "human", "value": "q", "weight": 0}, {"from": "gpt", "value": "a"}]}
LF_FLOATS = {"messages": [{"role": "user", "content": [{"type": "text", "value": "q"}], "loss_weight": 0.0},
                          {"role": "assistant", "content": [{"type": "text", "value": "a"}], "loss_weight": 1.0}]}
RECORDS: dict[str, dict[str, Any]] = {"half": HALF, "on-user": ON_USER, "sharegpt-user": SHAREGPT_USER,
                                      "lf-floats": LF_FLOATS}
LF_BOTH = ["/messages/0/loss_weight", "/messages/1/loss_weight"]
# mode -> record -> the pointers reported
WEIGHT_MODES: dict[str, dict[str, list[str]]] = {
    # today's rule: OpenAI's on OpenAI-style records, a 0-1 number elsewhere
    "format": {"half": ["/messages/1/weight"], "on-user": ["/messages/0/weight"], "sharegpt-user": [],
               "lf-floats": []},
    # Together: 0 or 1 on any turn (1.0 passes its `in {0, 1}` test)
    "binary": {"half": ["/messages/1/weight"], "on-user": [], "sharegpt-user": [], "lf-floats": []},
    # OpenAI, Mistral: the integer 0 or 1, assistant turns only, whatever the format
    "binary-assistant": {"half": ["/messages/1/weight"], "on-user": ["/messages/0/weight"],
                         "sharegpt-user": ["/conversations/0/weight"], "lf-floats": LF_BOTH},
    # Bedrock, Vertex, TRL: no weights at all
    "none": {"half": ["/messages/1/weight"], "on-user": ["/messages/0/weight"],
             "sharegpt-user": ["/conversations/0/weight"], "lf-floats": LF_BOTH},
}


@pytest.mark.parametrize("mode", WEIGHT_MODES)
@pytest.mark.parametrize("record", RECORDS)
def test_weight_modes(mode: str, record: str) -> None:
    check = InvalidWeight(InvalidWeight.Options(mode=mode, provider="Acme"))
    found = run(check, RECORDS[record])
    assert [f.pointer for f in found] == WEIGHT_MODES[mode][record], [f.message for f in found]
    if mode in ("binary", "none"):
        assert all("Acme" in f.message for f in found)


def test_default_weight_mode_is_todays() -> None:
    assert InvalidWeight().options.mode == "format"
    assert [f.message for f in run(InvalidWeight(), HALF, ON_USER)] == [
        "weight is 0.5; OpenAI allows only the integers 0 and 1",
        "weight set on a user turn; only assistant turns take a weight"]


# -- unsupported-role --------------------------------------------------------------------------------
BEDROCK_ROLES = UnsupportedRole(UnsupportedRole.Options(**PROFILES["bedrock"].checks["unsupported-role"]))
VERTEX_ROLES = UnsupportedRole(UnsupportedRole.Options(**PROFILES["vertex"].checks["unsupported-role"]))
OPENAI_WITH_SYSTEM = {"messages": [{"role": "system", "content": "You are terse."},
                                   {"role": "user", "content": "Capital of France?"},
                                   {"role": "assistant", "content": "Paris."}]}
BEDROCK_RECORD = {"system": "You are terse.", "messages": [{"role": "user", "content": "Capital of France?"},
                                                           {"role": "assistant", "content": "Paris."}]}


def test_a_system_message_in_the_turn_list_is_not_bedrock() -> None:
    found = run(BEDROCK_ROLES, OPENAI_WITH_SYSTEM)
    assert [f.pointer for f in found] == ["/messages/0"]
    assert "Bedrock" in found[0].message and "`system`" in found[0].message


def test_a_top_level_system_prompt_is_fine() -> None:
    assert run(BEDROCK_ROLES, BEDROCK_RECORD) == []
    vertex = {"systemInstruction": {"parts": [{"text": "You are terse."}]},
              "contents": [{"role": "user", "parts": [{"text": "Capital of France?"}]},
                           {"role": "model", "parts": [{"text": "Paris."}]}]}
    assert run(VERTEX_ROLES, vertex) == []


def test_vertex_reports_a_function_turn() -> None:
    record = {"contents": [{"role": "user", "parts": [{"text": "Weather?"}]},
                           {"role": "model", "parts": [{"functionCall": {"name": "w", "args": {}}}]},
                           {"role": "function", "parts": [{"functionResponse": {"name": "w", "response": {}}}]},
                           {"role": "model", "parts": [{"text": "Sunny."}]}]}
    found = run(VERTEX_ROLES, record)
    assert [f.pointer for f in found] == ["/contents/2"] and "tool turn" in found[0].message


def test_a_shared_prompt_is_reported_once() -> None:
    record = {"prompt": [{"role": "system", "content": "Be terse."}, {"role": "user", "content": "Capital?"}],
              "chosen": [{"role": "assistant", "content": "Paris."}],
              "rejected": [{"role": "assistant", "content": "Lyon."}]}
    any_format = UnsupportedRole(UnsupportedRole.Options(roles=("user", "assistant")))
    assert [f.pointer for f in run(any_format, record)] == ["/prompt/0"]
    assert run(BEDROCK_ROLES, record) == []  # a format Bedrock does not take: unsupported-format's, once


def test_records_of_a_format_the_provider_rejects_are_left_to_unsupported_format() -> None:
    """Vertex takes only its own format: an OpenAI chat file is one unsupported-format finding,
    not one unsupported-role finding per system turn besides."""
    rows = [OPENAI_WITH_SYSTEM] * 3
    assert lint_with(rows, "vertex", "FMT033") == [] and len(lint_with(rows, "vertex", "FMT042")) == 1
    assert len(lint_with(rows, "bedrock", "FMT033")) == 3  # Bedrock takes openai-chat: its system turns are wrong


def test_unsupported_role_is_off_by_default() -> None:
    assert run(UnsupportedRole(), OPENAI_WITH_SYSTEM) == []


def test_unsupported_role_through_the_engine() -> None:
    """The engine skips roles-only checks for role sequences that passed: a failing sequence
    must be reported on every record, and a Bedrock record must not hide an OpenAI one."""
    rows = [BEDROCK_RECORD, OPENAI_WITH_SYSTEM, BEDROCK_RECORD, OPENAI_WITH_SYSTEM, OPENAI_WITH_SYSTEM]
    found = lint_with(rows, "bedrock", "FMT033")
    assert [(f.record_index, f.pointer) for f in found] == [(1, "/messages/0"), (3, "/messages/0"),
                                                            (4, "/messages/0")]
    assert lint_with(rows, "openai", "FMT033") == []


# -- unsupported-format ------------------------------------------------------------------------------
SHAREGPT = {"conversations": [{"from": "human", "value": "Capital of France?"},
                              {"from": "gpt", "value": "Paris."}]}


def test_sharegpt_is_not_openai() -> None:
    rows = [OPENAI_WITH_SYSTEM, SHAREGPT, SHAREGPT, OPENAI_WITH_SYSTEM, SHAREGPT]
    found = lint_with(rows, "openai", "FMT042")
    assert len(found) == 1 and found[0].record_index == 1
    assert found[0].message == ("3 records are sharegpt, which OpenAI does not accept "
                                "(accepted: openai-chat, openai-dpo, prompt-completion); convert them")


def test_accepted_formats_and_the_default_are_silent() -> None:
    assert lint_with([OPENAI_WITH_SYSTEM, {"prompt": "q", "completion": "a"}], "openai", "FMT042") == []
    report = ftdata.lint([SHAREGPT, OPENAI_WITH_SYSTEM], jobs=1)
    assert not [f for f in report.findings if f.rule == "FMT042"]


# -- real datasets -----------------------------------------------------------------------------------
real = needs_datasets

# file -> its one format (as test_real_data.py establishes)
REAL_FILES = {
    "openai_cookbook/toy_chat_fine_tuning.jsonl": "openai-chat",
    "fastchat/dummy_conversation.json": "sharegpt",
    "hh_rlhf/harmless-base/test.jsonl.gz": "hh-rlhf",
    "self_instruct/t0_train_50k_subset/ag_news_classify.jsonl": "prompt-completion",
    "llama_factory/c4_demo.jsonl": "text",
    "llama_factory/kto_en_demo.json": "kto",
    "llama_factory/v1_sft_demo.jsonl": "llamafactory-v1",
}
# format -> the profiles whose provider takes it (FORMATS.md, "Input shapes")
TAKEN_BY = {
    "openai-chat": {"openai", "together", "mistral", "bedrock", "trl"},
    "sharegpt": set(),
    "hh-rlhf": {"trl"},  # TRL's implicit-prompt preference, as strings
    "prompt-completion": {"openai", "together", "bedrock", "trl"},
    "text": {"together", "trl"},
    "kto": {"trl"},
    "llamafactory-v1": set(),
}


def raw_rows(rel: str) -> list[dict[str, Any]]:
    path = DATASETS / rel
    if path.suffix == ".json":
        return list(json.loads(path.read_text(encoding="utf-8")))
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@real
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("rel", REAL_FILES)
def test_real_formats_per_provider(rel: str, name: str) -> None:
    fmt = REAL_FILES[rel]
    found = lint_with(str(DATASETS / rel), name, "FMT042")
    if name in TAKEN_BY[fmt]:
        assert found == []
    else:
        n = len(raw_rows(rel))
        assert len(found) == 1 and found[0].record_index == 0, [f.message for f in found]
        assert found[0].message.startswith(f"{n:,} records are {fmt}, which ")


def _by_turn(place: tuple[int | None, str]) -> tuple[int, int]:
    """Record, then turn number (findings come sorted by pointer text, where 10 sorts before 2)."""
    return place[0] or 0, int(place[1].rsplit("/", 1)[1])


@real
def test_real_system_turns_under_bedrock_and_foreign_formats_under_vertex() -> None:
    toy = "openai_cookbook/toy_chat_fine_tuning.jsonl"  # openai-chat: Bedrock takes it, not its system turns
    want = [(i, f"/messages/{j}") for i, r in enumerate(raw_rows(toy))
            for j, m in enumerate(r["messages"]) if m["role"] == "system"]
    found = lint_with(str(DATASETS / toy), "bedrock", "FMT033")
    assert want and sorted(((f.record_index, f.pointer) for f in found), key=_by_turn) == want
    glaive = "llama_factory/glaive_toolcall_en_demo.json"  # ShareGPT: neither takes it at all
    for name in ("bedrock", "vertex"):
        assert lint_with(str(DATASETS / glaive), name, "FMT033") == []
        assert len(lint_with(str(DATASETS / glaive), name, "FMT042")) == 1
    assert lint_with(str(DATASETS / toy), "vertex", "FMT033") == []


@real
@pytest.mark.parametrize("name", ["openai", "together", "mistral", "trl"])
def test_real_roles_unrestricted(name: str) -> None:
    for rel in ("openai_cookbook/toy_chat_fine_tuning.jsonl", "llama_factory/glaive_toolcall_en_demo.json"):
        assert lint_with(str(DATASETS / rel), name, "FMT033") == []


@real
def test_real_float_weights_per_provider() -> None:
    """LLaMA-Factory v1 writes loss_weight 0.0 / 1.0 on every turn: fine for its own format and
    Together, not the integer OpenAI and Mistral require, and nothing Bedrock takes."""
    rel = "llama_factory/v1_sft_demo.jsonl"
    weights = sum("loss_weight" in m for r in raw_rows(rel) for m in r["messages"])
    assert weights > 0
    counts = {name: len(lint_with(str(DATASETS / rel), name, "FMT027"))
              for name in ("together", "openai", "mistral", "bedrock")}
    assert counts == {"together": 0, "openai": weights, "mistral": weights, "bedrock": weights}
    default = ftdata.lint(str(DATASETS / rel), jobs=1, ignore=SLOW)
    assert not [f for f in default.findings if f.rule == "FMT027"]
