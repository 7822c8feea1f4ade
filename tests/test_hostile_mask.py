"""One masking step for every finding (issue 14, defect 1): random but valid personal data and
secrets planted in records that many rules report never reach any output, and the rules still fire.

The values are generated (seeded): Luhn-valid cards, IBANs with a valid checksum, phone numbers
libphonenumber accepts, keys with their providers' prefixes and lengths, JWTs, PEM blocks.
"""
from __future__ import annotations

import base64
import json
import random
import string
from pathlib import Path
from typing import Any, Iterator

import phonenumbers
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import ftdata
from ftdata import redact
from ftdata.checks.content import personal_data, secret
from ftdata.checks.content._mask import PREFIXES, mask
from ftdata.cli import cli
from ftdata.model import Finding, Severity
from ftdata.report import FORMATS as REPORT_FORMATS

ALNUM = string.ascii_letters + string.digits
FORMATS = tuple(REPORT_FORMATS)  # every format `ftdata lint --format` takes


# -- generators: random, realistic, valid ---------------------------------------------------------
def _luhn_complete(partial: str) -> str:
    total = 0
    for i, c in enumerate(reversed(partial)):
        d = int(c)
        if i % 2 == 0:  # doubled once the check digit is appended
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return partial + str((10 - total % 10) % 10)


def card(rng: random.Random) -> str:
    kind = rng.choice(["visa", "mc", "amex"])
    if kind == "amex":
        digits = _luhn_complete(rng.choice(["34", "37"]) + "".join(rng.choices(string.digits, k=12)))
        groups = [digits[:4], digits[4:10], digits[10:]]
    else:
        head = "4" if kind == "visa" else str(rng.randint(51, 55))
        digits = _luhn_complete(head + "".join(rng.choices(string.digits, k=15 - len(head))))
        groups = [digits[i:i + 4] for i in range(0, 16, 4)]
    return rng.choice([" ", "-", ""]).join(groups)


def iban(rng: random.Random) -> str:
    country = rng.choice(["DE", "GB", "FR"])

    def digits(k: int) -> str:
        return "".join(rng.choices(string.digits, k=k))

    body = {"DE": digits(18), "GB": "".join(rng.choices(string.ascii_uppercase, k=4)) + digits(14),
            "FR": digits(23)}[country]
    numeric = "".join(str(int(c, 36)) for c in body + country + "00")
    compact = f"{country}{98 - int(numeric) % 97:02d}{body}"
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4)) if rng.random() < 0.5 else compact


def phone(rng: random.Random) -> str:
    while True:
        region = rng.choice(["US", "GB", "DE", "FR", "IN", "BR", "AU"])
        example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
        assert example is not None
        national = str(example.national_number)
        keep = 3 if region in ("US", "GB") else 2
        number = phonenumbers.parse(f"+{example.country_code}" + national[:keep]
                                    + "".join(rng.choices(string.digits, k=len(national) - keep)))
        if personal_data._phone(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)):
            if region == "US" and rng.random() < 0.5:
                return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def email(rng: random.Random) -> str:
    first = rng.choice(["maria", "kenji", "olusegun", "ingrid", "rahul", "sofia", "mateusz", "aylin"])
    last = rng.choice(["kowalczyk", "nakamura", "adeyemi", "lindqvist", "sharma", "moreau", "haddad"])
    local = rng.choice([f"{first}.{last}", f"{first[0]}{last}{rng.randint(10, 99)}", f"{first}_{last[:3]}"])
    return f"{local}@{rng.choice(['gmail.com', 'outlook.de', 'proton.me', 'yahoo.co.uk', 'fastmail.fm', 'web.de'])}"


def ip(rng: random.Random) -> str:
    return f"{rng.choice([23, 31, 45, 52, 81, 93, 104, 151, 185, 212])}.{rng.randint(16, 250)}." \
           f"{rng.randint(16, 250)}.{rng.randint(16, 250)}"


def _random(rng: random.Random, n: int, alphabet: str = ALNUM) -> str:
    while True:  # a value that spells a stand-in ("test", "demo", "aaaaa") is not a realistic key
        value = "".join(rng.choices(alphabet, k=n))
        if secret.PLACEHOLDER.search(value) is None and sum(c.isdigit() for c in value) >= 2:
            return value


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def secrets(rng: random.Random) -> dict[str, str]:
    """One credential of each kind, as its provider issues it."""
    jwt = ".".join([_b64url(b'{"alg":"HS256","typ":"JWT"}'),
                    _b64url(json.dumps({"sub": _random(rng, 12), "iat": rng.randint(1_600_000_000, 1_700_000_000),
                                        "role": "admin"}).encode()),
                    _b64url(rng.randbytes(32))])
    body = base64.b64encode(rng.randbytes(600)).decode()
    pem = "-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(body[i:i + 64] for i in range(0, len(body), 64)) \
        + "\n-----END RSA PRIVATE KEY-----"
    return {
        "aws": "AKIA" + _random(rng, 16, string.ascii_uppercase + "234567"),
        "github": "ghp_" + _random(rng, 36),
        "openai": "sk-proj-" + _random(rng, 48, ALNUM + "_-"),
        "anthropic": "sk-ant-api03-" + _random(rng, 93, ALNUM + "_-"),
        "slack": f"xoxb-{rng.randint(10**10, 10**11)}-{rng.randint(10**11, 10**12)}-{_random(rng, 24)}",
        "stripe": "sk_live_" + _random(rng, 24),
        "google": "AIza" + _random(rng, 35, ALNUM + "_-"),
        "huggingface": "hf_" + "".join(rng.choice(string.ascii_letters) for _ in range(34)),
        "jwt": jwt,
        "pem": pem,
        "password": _random(rng, 10) + rng.choice("!#%&") + _random(rng, 5),
        "bearer": _random(rng, 40, ALNUM + "-_"),
    }


class Planted:
    """The values of one seed, and the records holding them."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(seed)
        self.cards = [card(rng) for _ in range(3)]
        self.emails = [email(rng) for _ in range(6)]
        self.phones = [phone(rng) for _ in range(3)]
        self.ibans = [iban(rng) for _ in range(2)]
        self.ips = [ip(rng)]
        self.keys = secrets(rng)
        self.rng = rng

    def values(self) -> list[str]:
        return [*self.cards, *self.emails, *self.phones, *self.ibans, *self.ips, *self.keys.values()]

    def fragments(self) -> Iterator[tuple[str, str]]:
        """(value, fragment) pairs no output may show: a secret's body, 8 characters at a time
        (its provider prefix is public and kept by the mask); a card's digits but the last four,
        8 at a time as written; an IBAN's, a phone number's and an email address's whole text, an
        address's local part with its @."""
        for value in self.keys.values():
            body = "".join(value.split("\n")[1:-1]) if value.startswith("-----BEGIN") else value
            prefix = max((p for p in PREFIXES if body.startswith(p)), key=len, default="")
            body = body[len(prefix):]
            for i in range(0, len(body) - 7):
                if "\n" not in body[i:i + 8]:
                    yield value, body[i:i + 8]
        for c in self.cards:
            digits = c.replace(" ", "").replace("-", "")
            hidden = c[:len(c) - 4]
            yield c, digits[:-4]
            for i in range(0, len(hidden) - 7):
                yield c, hidden[i:i + 8]
        for value in (*self.ibans, *self.phones, *self.ips, *self.emails):
            yield value, value
        for value in self.emails:  # a local part cut before its @ is a name, which no step can tell
            yield value, value.split("@")[0] + "@"
        for value in self.ibans:
            yield value, value.replace(" ", "")[4:12]

    def train(self) -> list[dict[str, Any]]:
        c, e, p, k = self.cards, self.emails, self.phones, self.keys

        def chat(user: str, answer: str, system: str | None = None) -> dict[str, Any]:
            turns = ([{"role": "system", "content": system}] if system else []) \
                + [{"role": "user", "content": user}, {"role": "assistant", "content": answer}]
            return {"messages": turns}

        records = [
            chat("Write the payment confirmation.",
                 f"Dear {{{{customer_name}}}}, your card {c[0]} has been charged $49.99."),
            chat("Where do I send the forms?", f"Please send the signed forms to {e[0]} and"),
            chat("Give me the config.", f"Use this key: {k['openai']}<|im_end|>"),
            chat("How do I reach you?", f"Donâ€™t hesitate to call me at {p[0]}, itâ€™s my cell."),
            chat("Pay my friend's bill.", f"I'm sorry, but I can't help with that: IBAN {self.ibans[0]} is not yours."),
            chat("Print the deployment notes.", f"### Response: token={k['github']} and password={k['password']}"),
            chat("What number should I call?", " ".join([f"Call {p[1]} now."] * 12)),
            chat("Show the auth header.", f"curl -H 'Authorization: Bearer {k['bearer']}' https://api.acme.io/v1"),
            chat("What is the server key?", f"```\n{k['pem']}\n```"),
            chat("Summarise the ticket.", f"Customer {e[1]} (IP {self.ips[0]}) paid with {c[1]}; JWT {k['jwt']}."),
            chat("Which keys leaked?", f"Slack {k['slack']}, Stripe {k['stripe']}, Google {k['google']}, "
                                       f"HF {k['huggingface']}, Anthropic {k['anthropic']}, AWS {k['aws']}"),
            {"messages": [{"role": "user", "content": f"Transfer to {self.ibans[1]}"},
                          {"role": "assistant", "content": "Done."}], k["github"]: "leftover",
             "api_key": k["stripe"]},
            {"messages": [{"role": "user", "content": [k["aws"], e[2]]},
                          {"role": "assistant", "content": "ok", "weight": k["google"]}]},
            {"messages": [{"role": "user", "content": f"Please email {e[3]} the receipt"}]},
        ]
        for i, wording in enumerate(["You are the support assistant of Acme. Escalate to {}."] * 3
                                    + ["You are the support assistant for Acme. Escalate to {}.",
                                       "You are the support assistant of Acme; escalate to {}!"]):
            records.append(chat(f"Question {i}: what are your opening hours?", "We open at nine and close at five.",
                                wording.format(e[5])))  # variants of one system prompt naming an address
        duplicate = chat("My card was declined, why?", f"The card {c[2]} was declined because it expired.")
        records += [duplicate, dict(duplicate)]
        long = chat(f"Store this key: {k['anthropic']} " + "Please keep it safe. " * 200, "Stored it.")
        records.append(long)
        for i in range(6):
            records.append(chat(f"Tell me fact number {i + 1} about the moon.", f"Fact {i + 1}: the moon is far away."))
        records.append(chat("Repeat my address", f"Your address is {e[4]} and your phone {p[2]}."))
        return records

    def eval(self) -> list[dict[str, Any]]:
        return [self.train()[9], self.train()[10]]  # leaked: the ticket and the key list

    def write(self, folder: Path) -> tuple[Path, Path]:
        train, ev = folder / "train.jsonl", folder / "eval.jsonl"
        lines = [json.dumps(r, ensure_ascii=False) for r in self.train()]
        lines.insert(3, '{"messages": [{"role": "user", "content": "key ' + self.keys["anthropic"] + '"}')  # invalid
        train.write_text("\n".join(lines) + "\n", encoding="utf-8")
        ev.write_text("\n".join(json.dumps(r) for r in self.eval()) + "\n", encoding="utf-8")
        return train, ev


def leaks(planted: Planted, output: str) -> list[str]:
    """The planted values or fragments that `output` shows (JSON-escaped forms included)."""
    variants = [output, output.replace("\\n", "\n").replace('\\"', '"'), output.replace("\\/", "/")]
    return sorted({f"{frag!r} of {value[:30]!r}" for value, frag in planted.fragments()
                   if any(frag in v for v in variants)})


# -- the planted run, every output --------------------------------------------------------------
@pytest.fixture(scope="module", params=[1, 2])
def planted(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Planted, Path, Path]:
    folder = tmp_path_factory.mktemp(f"planted{request.param}")
    p = Planted(request.param)
    train, ev = p.write(folder)
    return p, train, ev


def _lint(*args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(cli, ["lint", *args], env=env, catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.output


def _raw_findings(train: Path, ev: Path, monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    with monkeypatch.context() as m:
        m.setattr(redact, "findings", lambda fs: list(fs))
        return ftdata.lint(str(train), eval=[str(ev)], max_tokens=400, collapse=False).findings


def test_the_planted_values_are_what_the_rules_report(planted: tuple[Planted, Path, Path],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The generator is sound: unmasked, the findings of many rules show the planted values (so the
    other tests can fail), and the personal-data and secret rules find them in the records."""
    p, train, ev = planted
    raw = _raw_findings(train, ev, monkeypatch)
    text = "\n".join(f"{f.message} {f.excerpt} {f.pointer}" for f in raw)
    leaking = {f.rule for f in raw if leaks(p, f"{f.message} {f.excerpt} {f.pointer}")}
    assert leaks(p, text)
    assert len(leaking - {"CNT010", "CNT011"}) >= 8, sorted(leaking)
    for value in [*p.cards, *p.emails[:2], *p.phones, *p.ibans]:
        assert personal_data.find(f"my card, reach {value} today"), value
    for name, value in p.keys.items():
        if name not in ("password", "bearer"):  # a password with symbols is the masking's, not CNT011's
            assert secret.find(value), name


def test_no_output_format_shows_a_planted_value(planted: tuple[Planted, Path, Path]) -> None:
    p, train, ev = planted
    common = [str(train), "--eval", str(ev), "--isolated", "--max-tokens", "400"]
    for fmt in FORMATS:
        for extra in ([], ["--no-collapse"]):
            out = _lint(*common, "--format", fmt, *extra)
            assert leaks(p, out) == [], fmt
    out = _lint(*common, "--statistics")
    assert leaks(p, out) == []
    out = _lint(*common, "--format", "json")
    rules = {f["rule"] for f in json.loads(out)["findings"]}
    assert {"CNT001", "CNT004", "CNT005", "CNT010", "CNT011", "DUP001", "LEAK001", "FMT001"} <= rules, rules


def test_the_step_summary_shows_no_planted_value(planted: tuple[Planted, Path, Path], tmp_path: Path) -> None:
    p, train, ev = planted
    summary = tmp_path / "summary.md"
    out = _lint(str(train), "--eval", str(ev), "--isolated", "--format", "github",
                env={"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_ACTIONS": "true"})
    assert leaks(p, out) == []
    written = summary.read_text(encoding="utf-8")
    assert "CNT011" in written and leaks(p, written) == []


def test_the_baseline_file_shows_no_planted_value(planted: tuple[Planted, Path, Path], tmp_path: Path) -> None:
    p, train, ev = planted
    baseline = tmp_path / "baseline.json"
    result = CliRunner().invoke(cli, ["lint", str(train), "--isolated", "--write-baseline", "--baseline",
                                      str(baseline)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    doc = json.loads(baseline.read_text(encoding="utf-8"))
    assert len(doc["entries"]) > 10
    assert leaks(p, baseline.read_text(encoding="utf-8")) == []
    # the baseline still matches: every finding it recorded is accepted on the next run
    again = json.loads(_lint(str(train), "--isolated", "--baseline", str(baseline), "--format", "json"))
    assert [f for f in again["findings"] if f["rule"] != "SUP001"] == []
    assert again["suppressed"] > 0


def test_the_notebook_api_shows_no_planted_value(planted: tuple[Planted, Path, Path]) -> None:
    p, train, ev = planted
    report = ftdata.lint(str(train), eval=[str(ev)], max_tokens=400)
    assert report.findings
    frame = report.to_pandas()
    shown = [report._repr_html_(), repr(report), str(report), frame.to_csv(), json.dumps(report.to_dict()),
             *(str(v) for v in frame.to_dict("records"))]
    for out in shown:
        assert leaks(p, out) == []
    records = ftdata.lint(p.train(), max_tokens=400)  # records in memory: the same step
    assert records.findings and leaks(p, records._repr_html_()) == []


def test_masking_keeps_every_finding(planted: tuple[Planted, Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The step masks text; it drops, adds and relocates nothing."""
    p, train, ev = planted
    raw = _raw_findings(train, ev, monkeypatch)
    masked = ftdata.lint(str(train), eval=[str(ev)], max_tokens=400, collapse=False).findings
    assert [(f.rule, f.line, f.record_index, f.severity) for f in masked] == \
        [(f.rule, f.line, f.record_index, f.severity) for f in raw]
    assert sum(f.message != g.message or f.excerpt != g.excerpt for f, g in zip(masked, raw)) > 10


def test_labels_in_the_statistics_are_masked(tmp_path: Path) -> None:
    """A label field is record text: the stats block's label counts show it masked."""
    rng = random.Random(7)
    key = secrets(rng)["github"]
    rows = [{"prompt": f"Ticket {i}", "completion": " refund", "label": key if i % 3 == 0 else "refund"}
            for i in range(30)]
    report = ftdata.lint(rows, label_field="label")
    counts = report.results[0].stats["labels"]["counts"]
    assert key not in json.dumps(report.to_dict())
    assert counts[mask("github", key)] == 10 and counts["refund"] == 20


# -- the step itself ---------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "assistant turn 2 has 4,535 of 4,535 records (1,234 tokens, 3.2x the median)",
    "/messages/3/content", "/conversations/12/value", "version 1.2.3.4 released in 2023 for $1,299.99",
    "special token '<|im_end|>' in assistant turn 2", "lines 1234567 and 1234568 are the same record",
    "answer of 12,345 tokens is over the limit of 4,096 (model gpt-4o-mini)",
    "call 555-0100 or (555) 555-0123", "Updated on 2023-10-15T12:30:45Z", "ISBN 978-0-306-40615-7",
    "user@example.com and admin@company.test", "sk-learn…", "a Bearer of bad news", "token: 1,024",
    "It costs 1 234 567 dollars", "git@github.com:org/repo.git?", "…the rest of the 2024 report",
    "password = os.environ['DB_PASSWORD']", "password: your_password_here", "api_key = \"<YOUR_API_KEY>\"",
    "SHA 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b", "firmware version 4.2.10.123", "pi is 3.14159265358979",
    "id 123e4567-e89b-12d3-a456-426614174000", "Updated on 2023-10-15 12:30:45", "…000000000000000000000000000000 Hello! How can I help?",
    # at an excerpt's cut: dates, spans of years, decimals, sums, words with numbers, paths, names
    "the world's population from 2000-2015 …", "Released on 2023-10-12 …", "build 20231012 …",
    "385 (1 + 4 + 9 + 16…", "Element: Plutonium-239…", "https://time.com/5798772/behind-…",
    "Tokenizer: cl100k_base", "pi is 3.14159265…", "from 1998 - 2004 …", "max_tokens: 4096",
])
def test_ftdata_wording_and_innocuous_numbers_stay(text: str) -> None:
    assert redact.text(text) == text


@pytest.mark.parametrize("text, shown", [
    ("…write to maria.kowalczyk@gmail.com and", "…write to m***@g***.com and"),
    ("the key sk-proj-AbC12…", "the key sk-proj-*** (13 characters)…"),
    ("card 4539 1488 03…", "card **** **** **…"),
    ("my password=Xk9#mP2vL8qR", "my password=*** (12 characters)"),
    ("-----BEGIN RSA PRIVATE KEY----- MIIEpAIBAAKCAQEA7bq9…",
     "-----BEGIN RSA PRIVATE KEY-----*** (52 characters)…"),
    ("Authorization: Bearer 9fQ2xLr7TzPq0aMv", "Authorization: Bearer *** (16 characters)"),
    ("call me at (415) 867-53…", "call me at (***) ***-**…"), ("+1 415-867-53…", "+* ***-***-**…"),
    ("…xY7kq9Pz3Lm rest", "…*** (11 characters) rest"),
])
def test_cut_and_cue_less_values_are_masked(text: str, shown: str) -> None:
    assert redact.text(text) == shown


def test_masking_is_idempotent_and_keeps_the_rules_convention() -> None:
    rng = random.Random(3)
    p = Planted(3)
    for value in p.values():
        once = redact.text(f"see {value} here")
        assert redact.text(once) == once
    for text in ["j***@e***.org", "ghp_*** (40 characters)", "**** **** **** 6467", "+* ***-***-**71", "DE***31",
                 "203.***", "sk-proj-*** (164 characters)", "-----BEGIN RSA PRIVATE KEY-----*** (1700 characters)"]:
        assert redact.text(text) == text
    number = card(rng)
    assert redact.text(f"card {number}") == f"card {mask('card', number)}"
    address = email(rng)
    assert redact.text(f"mail {address}") == f"mail {mask('email', address)}"


def test_every_finding_field_with_text_is_masked_and_nothing_else() -> None:
    key = secrets(random.Random(5))["github"]
    f = Finding(rule="FMT011", name="unknown-key", category="format", severity=Severity.WARNING, file="a.jsonl",
                line=3, record_index=2, pointer=f"/{key}", message=f"unknown key {key!r}", excerpt=f"{key}: 1")
    g = redact.finding(f)
    assert key not in g.pointer + g.message + (g.excerpt or "")
    assert (g.rule, g.file, g.line, g.record_index, g.related) == (f.rule, f.file, f.line, f.record_index, f.related)
    clean = Finding(rule="LEN001", name="over-token-limit", category="length", severity=Severity.ERROR,
                    message="4,535 tokens, over the limit of 4,096", pointer="/messages/1/content")
    assert redact.finding(clean) is clean
    assert redact.finding(Finding(rule="VOL001", name="x", category="volume", severity=Severity.ERROR,
                                  message=f"dataset-level {key}")).message == f"dataset-level {mask('github', key)}"


def test_a_plugin_finding_is_masked_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine masks whatever a check returns: a third-party one cannot bypass it."""
    from ftdata.checks.base import RecordCheck
    from ftdata.registry import Plan

    key = secrets(random.Random(9))["openai"]

    class Echo(RecordCheck):
        """Echoes the first turn (a test plugin)."""

        code, name, category, severity = "ZZZ901", "echo", "content", Severity.WARNING

        def check(self, record: Any) -> Iterator[Finding]:
            yield self.finding(f"first turn: {record.messages[0].content}", record, "/messages/0",
                               record.messages[0].content)

    original = Plan.__init__

    def with_echo(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.record = [*self.record, Echo()]

    monkeypatch.setattr(Plan, "__init__", with_echo)
    report = ftdata.lint([{"messages": [{"role": "user", "content": f"my key is {key}"},
                                        {"role": "assistant", "content": "Noted."}]}], collapse=False)
    echoed = [f for f in report.findings if f.rule == "ZZZ901"]
    if not echoed:
        pytest.skip("the plan's record checks are not a list attribute named `record` here")
    assert all(key[8:20] not in f.message + (f.excerpt or "") for f in echoed)


def test_a_baseline_written_before_masking_still_matches(planted: tuple[Planted, Path, Path], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Fingerprints are of records, not of messages: a baseline holding raw messages and pointers
    (written before this step) accepts the same findings masked, and is rewritten masked."""
    p, train, ev = planted
    baseline = tmp_path / "old.json"
    args = ["lint", str(train), "--isolated", "--baseline", str(baseline)]
    with monkeypatch.context() as m:
        m.setattr(redact, "findings", lambda fs: list(fs))
        assert CliRunner().invoke(cli, [*args, "--write-baseline"], catch_exceptions=False).exit_code == 0
        raw = ftdata.lint(str(train), collapse=False)
    assert leaks(p, baseline.read_text(encoding="utf-8"))  # the old file is raw
    masked = ftdata.lint(str(train), collapse=False)
    assert masked.fingerprints() == raw.fingerprints()
    again = json.loads(_lint(*args[1:], "--format", "json"))
    assert again["findings"] == [] and again["suppressed"] == len(masked.findings)
    assert CliRunner().invoke(cli, [*args, "--write-baseline"], catch_exceptions=False).exit_code == 0
    assert leaks(p, baseline.read_text(encoding="utf-8")) == []


def test_the_rules_own_excerpts_mask_a_neighbouring_card_as_a_card() -> None:
    """CNT010/CNT011 excerpts scrub their context (checks.content._mask.scrub): a card next to the
    value reported is shown as a card (`**** **** **** 6467`), as everywhere else, not as a key or
    a phone number."""
    from ftdata.checks.content._mask import scrub

    rng = random.Random(11)
    for _ in range(20):
        number = card(rng)
        assert scrub(f"paid with {number}; ok") == f"paid with {mask('card', number)}; ok"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab AZ09@.…-_+:=/()\n\t'\"é\ud800" + "0123456789" * 3)), max_size=120))
def test_masking_never_fails_and_is_idempotent(s: str) -> None:
    once = redact.text(s)
    assert redact.text(once) == once
