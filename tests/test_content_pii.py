"""Personal data (CNT010) and secrets (CNT011): the masks, the validators behind each kind, and
that no raw value reaches any output a report is rendered to. Values are generated here (Luhn and
IBAN check digits computed, tokens drawn at random), so the assertions test the rules, not
remembered answers."""
from __future__ import annotations

import json
import random
import string
from pathlib import Path
from typing import Any

import pytest
from stdnum import luhn

import ftdata
from ftdata.checks.content import personal_data, secret
from ftdata.checks.content._mask import excerpt, mask, scrub
from ftdata.checks.content._shape import shape
from ftdata.report import html as html_format
from ftdata.report import json as json_format
from ftdata.report import text as text_format

RNG = random.Random(5)
ALNUM = string.ascii_letters + string.digits


def token(n: int, alphabet: str = ALNUM) -> str:
    return "".join(RNG.choice(alphabet) for _ in range(n))


def card(prefix: str = "4", length: int = 16) -> str:
    """A Luhn-valid number with this issuer prefix."""
    body = prefix + "".join(RNG.choice(string.digits) for _ in range(length - len(prefix) - 1))
    return body + luhn.calc_check_digit(body)


def iban(country: str, bban: str) -> str:
    """`bban` with the ISO 13616 check digits of `country`."""
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


def kinds(text: str) -> list[str]:
    return [h.kind for h in personal_data.find(text)]


def secrets(text: str, threshold: float = 3.5) -> list[str]:
    return [h.kind for h in secret.find(text, threshold)]


# -- masks --------------------------------------------------------------------------------------
def test_mask_email_keeps_first_letters_and_tld() -> None:
    assert mask("email", "john.doe@example.org") == "j***@e***.org"
    assert mask("email", "Kenji@mail.posteo.de") == "K***@m***.de"


def test_mask_phone_keeps_plus_separators_and_last_two_digits() -> None:
    shown = mask("phone", "+1 (415) 823-2671")
    assert shown == "+* (***) ***-**71"
    assert sum(c.isdigit() for c in shown) == 2


def test_mask_card_iban_ip() -> None:
    number = card()
    grouped = " ".join(number[i:i + 4] for i in range(0, 16, 4))
    assert mask("card", grouped) == "**** **** **** " + number[-4:]
    assert mask("card", number) == "**** **** **** " + number[-4:]
    account = iban("NL", "RABO0312345678")
    assert mask("iban", account) == account[:2] + "***" + account[-2:]
    assert mask("ip", "86.12.45.201") == "86.***"
    assert mask("ip", "2a00:1450:4001:81c::200e") == "2a00:***"


@pytest.mark.parametrize(("value", "prefix"), [
    ("sk-proj-" + token(60), "sk-proj-"), ("sk-" + token(48), "sk-"), ("sk-ant-api03-" + token(95), "sk-ant-api03-"),
    ("ghp_" + token(36), "ghp_"), ("AKIA" + token(16, string.ascii_uppercase), "AKIA"), (token(32), ""),
])
def test_mask_secret_keeps_longest_known_prefix_and_length(value: str, prefix: str) -> None:
    assert mask("secret", value) == f"{prefix}*** ({len(value)} characters)"


def test_mask_private_key_keeps_header_only() -> None:
    block = "-----BEGIN RSA PRIVATE KEY-----\n" + token(64) + "\n-----END RSA PRIVATE KEY-----"
    assert mask("secret", block) == f"-----BEGIN RSA PRIVATE KEY-----*** ({len(block)} characters)"


def test_scrub_and_excerpt_hide_neighbouring_values() -> None:
    key, address = "api_key=" + token(32), "kim.lee@fastmail.com"
    text = f"write to {address} and use {key} from host 86.12.45.201, phone 0171 2345678"
    clean = scrub(text)
    assert address not in clean and key[8:] not in clean and "86.12.45.201" not in clean and "2345678" not in clean
    start = text.index(address)
    shown = excerpt(text, start, start + len(address), mask("email", address))
    assert "k***@f***.com" in shown and key[8:] not in shown and "86.12.45.201" not in shown


def test_excerpt_keeps_width_either_side_and_marks_the_cuts() -> None:
    before, after = "the quick brown fox " * 20, " jumps over the lazy dog" * 20
    text = before + "kim.lee@fastmail.com" + after
    start = len(before)
    shown = excerpt(text, start, start + 20, "k***@f***.com")
    assert shown == "…" + before[-30:] + "k***@f***.com" + after[:30] + "…"
    assert excerpt("mail kim.lee@fastmail.com", 5, 25, "k***@f***.com") == "mail k***@f***.com"


# -- personal data: each kind, its validator, its traps -------------------------------------------
@pytest.mark.parametrize("text", [
    "card 4539 1488 0343 6467", "card 4539-148803-43646", "card 4539148803436467", "IBAN NL81 RABO 0312 3456 78",
    "call +49 151 23456789", "call (415) 823-2671", "call 415.823.2671", "from 86.12.45.201",
    "2a00:1450:4001:81c::200e",
    "version 1.2", "in 2019 and 2020", "12 34 56", "no numbers here", "a:b:c:d", "+1 and +2",
])
def test_the_record_gate_is_the_spots_found(text: str) -> None:
    """`_numbers` (every record pays it) is `_spots` unrolled: they must agree."""
    sh = shape(text)
    assert personal_data._numbers(sh) == bool(personal_data._spots(sh))


def test_card_needs_luhn_and_a_known_issuer() -> None:
    number = card()
    grouped = " ".join(number[i:i + 4] for i in range(0, 16, 4))
    wrong = grouped[:-1] + str((int(grouped[-1]) + 1) % 10)
    assert kinds(f"my card is {grouped}") == ["card"]
    assert kinds(f"my card is {wrong}") == []
    assert kinds(f"card {number}") == ["card"]  # ungrouped, with a card word before it
    assert kinds(f"the sum is {number}") == []  # ungrouped, in arithmetic
    unknown = card("9")  # no issuer starts with 9
    assert kinds("card " + " ".join(unknown[i:i + 4] for i in range(0, 16, 4))) == []
    mixed = number[:4] + " " + number[4:8] + "-" + number[8:12] + " " + number[12:]
    assert kinds(f"card {mixed}") == []
    assert kinds("Stripe's test card 4242 4242 4242 4242") == []
    amex = card("37", 15)
    assert kinds(f"card {amex[:4]} {amex[4:10]} {amex[10:]}") == ["card"]


def test_iban_needs_its_checksum() -> None:
    good = iban("ES", "21000418401234567891")
    bad = good[:2] + f"{(int(good[2:4]) + 1) % 100:02d}" + good[4:]
    assert kinds(f"IBAN {good}") == ["iban"]
    spaced = " ".join(good[i:i + 4] for i in range(0, len(good), 4))
    assert kinds(f"IBAN {spaced}") == ["iban"]
    assert kinds(f"IBAN {bad}") == []
    assert kinds("the ECBS example GB82 WEST 1234 5698 7654 32") == []


@pytest.mark.parametrize("text", ["Call (415) 823-2671.", "Call 415-823-2671.", "Call 415.823.2671.",
                                  "Call +44 20 7183 8750.", "Call +49 151 23456789."])
def test_phone_numbers_valid_for_libphonenumber(text: str) -> None:
    assert kinds(text) == ["phone"]


@pytest.mark.parametrize("text", [
    "Call (415) 555-0123.",  # fictional US range
    "Call +44 20 7946 0958.",  # UK drama range
    "Call 1-800-273-8255.",  # toll free: a business
    "Call 123-456-7890.",  # no such area code
    "ISBN 978-0-306-40615-7", "order #415-823-2671", "1896-1899 and 2019-2020", "x = 3.14159265358979",
])
def test_phone_traps(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize("address", ["john.doe@example.com", "a@b.example", "x@host.test", "root@localhost",
                                     "u@shop.invalid", "me@printer.local", "jane@example2.com", "proper@email.xx",
                                     "support@stripe.com", "noreply@github.com", "your.name@yourcompany.com",
                                     "xxxx@gmail.com", "icon@2x.png"])
def test_email_traps(address: str) -> None:
    assert kinds(f"write to {address} today") == []


@pytest.mark.parametrize("code", ["# delete a record\n@app.route('/cars/<id>')", "y = weights@np.linalg.inv(a)"])
def test_decorators_and_matrix_products_are_not_addresses(code: str) -> None:
    assert kinds(code) == []


@pytest.mark.parametrize("text", ["```python\nsend(to='kim.lee@fastmail.com')\n```", "Call `login('mike@gmail.com')`.",
                                  "import smtplib\nserver = smtplib.SMTP('smtp.gmail.com')\n"
                                  "server.sendmail('alice.wong@gmail.com', to, msg)\nserver.quit()"])
def test_email_in_code_is_a_stand_in(text: str) -> None:
    # code samples use made-up addresses at real domains; the same address in prose counts
    assert kinds(text) == []
    assert kinds("Write to kim.lee@fastmail.com today.") == ["email"]


@pytest.mark.parametrize("text", ["from 10.0.0.1", "from 192.168.1.20", "from 127.0.0.1", "from 203.0.113.7",
                                  "version 1.2.3.4", "Python 3.10.12.1", "range 34.64.0.0/10", "DNS 8.8.8.8",
                                  "server 129.6.15.28", "`ssh 86.12.45.201`", "from 2001:db8::1"])
def test_ip_traps(text: str) -> None:
    assert kinds(text) == []


def test_global_ip_addresses_count() -> None:
    assert kinds("logins from 86.12.45.201 at night") == ["ip"]
    assert kinds("her laptop had 2a00:1450:4001:81c::200e") == ["ip"]


def test_one_finding_per_value_and_the_kinds_option(tmp_path: Path) -> None:
    address = "kim.lee@fastmail.com"
    number = card()
    path = tmp_path / "data.jsonl"
    path.write_text(json.dumps({"messages": [
        {"role": "user", "content": f"mail {address}, card {number}"},
        {"role": "assistant", "content": f"I will not store {address}."}]}) + "\n", encoding="utf-8")
    found = personal_data.PersonalData().run(ftdata.records(str(path)))
    assert sorted(f.message.split(" has ")[1].split(" '")[0] for f in found) == ["a payment card number",
                                                                                   "an email address"]
    only = personal_data.PersonalData(personal_data.PersonalDataOptions(kinds=("card",))).run(ftdata.records(str(path)))
    assert [f.message for f in only] == [f"user turn 1 has a payment card number '{mask('card', number)}'"]


def test_findings_capped_per_kind_and_turn(tmp_path: Path) -> None:
    first = [f"{name}.park@gmail.com" for name in ("kim", "lena", "ravi", "anna", "omar", "ines", "yuki")]
    later = ["tom.becker@fastmail.com", "priya.nair@outlook.com"]
    path = tmp_path / "data.jsonl"
    path.write_text(json.dumps({"messages": [
        {"role": "user", "content": "mail " + ", ".join(first) + f" and charge card {card()}"},
        {"role": "assistant", "content": "noted " + ", ".join(first[:2] + later)}]}) + "\n", encoding="utf-8")
    found = [f.message.split(" '")[0] for f in personal_data.PersonalData().run(ftdata.records(str(path)))]
    assert found == ["user turn 1 has an email address"] * 5 + ["user turn 1 has a payment card number"] \
        + ["assistant turn 2 has an email address"] * 2


# -- secrets --------------------------------------------------------------------------------------
PROVIDERS = {
    "aws": lambda: "AKIA" + token(16, string.ascii_uppercase + "234567"),
    "github": lambda: "ghp_" + token(36),
    "gitlab": lambda: "glpat-" + token(20),
    "openai": lambda: "sk-proj-" + token(156, ALNUM + "_-"),
    "anthropic": lambda: "sk-ant-api03-" + token(93, ALNUM + "_-") + "AA",
    "slack": lambda: "xoxb-" + token(12, string.digits) + "-" + token(13, string.digits) + "-" + token(24),
    "stripe": lambda: "sk_live_" + token(24),
    "google": lambda: "AIza" + token(35, ALNUM + "_-"),
    "huggingface": lambda: "hf_" + token(34, string.ascii_letters),
    "npm": lambda: "npm_" + token(36),
    "sendgrid": lambda: "SG." + token(22) + "." + token(43),
}


@pytest.mark.parametrize("kind", sorted(PROVIDERS))
def test_provider_tokens(kind: str) -> None:
    value = PROVIDERS[kind]()
    assert secrets(f"my token is {value}, why does it fail?") == [kind]


@pytest.mark.parametrize("text", [
    "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "OPENAI_API_KEY=your_api_key_here", "api_key = '<API_KEY>'", "key: sk-...",
    "AKIAIOSFODNN7EXAMPLE", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "token = 'aaaaaaaaaaaaaaaaaaaaaaaa'", "secret = '1234567890abcdef1234'", "password = os.environ['DB_PASSWORD']",
    "secret_key = settings.SECRET_KEY_2024", "hf_hub_download(repo_id='bert-base-uncased')",
    "tokenizer = AutoTokenizer.from_pretrained('bert-base-uncased')", "token_path = '/var/run/secrets/kube/token1'",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIy"
    "fQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----",
])
def test_secret_placeholders(text: str) -> None:
    assert secrets(text) == []


def test_private_key_block_needs_a_body() -> None:
    body = "\n".join(token(64, ALNUM + "+/") for _ in range(8))
    assert secrets(f"-----BEGIN EC PRIVATE KEY-----\n{body}\n-----END EC PRIVATE KEY-----") == ["private_key"]
    assert secrets(f"-----BEGIN EC PRIVATE KEY-----\n{body[:40]}\n-----END EC PRIVATE KEY-----") == []


def test_assigned_values_by_entropy() -> None:
    value = token(32)
    assert secret.entropy(value) > 3.5 and secret.entropy("aaaa") == 0 and secret.entropy("abab") == 1
    assert secrets(f'"client_secret": "{value}"') == ["assigned"]
    assert secrets(f"color = '{value}'") == []  # not a secret's name
    assert secrets(f'"client_secret": "{value}"', threshold=secret.entropy(value) + 0.01) == []


def test_secrets_capped_per_turn_whatever_their_kind(tmp_path: Path) -> None:
    values = [PROVIDERS["github"]() for _ in range(3)] + [PROVIDERS["npm"]() for _ in range(3)]
    path = tmp_path / "data.jsonl"
    path.write_text(json.dumps({"messages": [
        {"role": "user", "content": "keys: " + " ".join(values)},
        {"role": "assistant", "content": f"{values[0]} is revoked; use {values[5]} or {PROVIDERS['stripe']()}"}]})
        + "\n", encoding="utf-8")
    found = [f.message.split(" '")[0] for f in secret.Secret().run(ftdata.records(str(path)))]
    assert found == ["user turn 1 has a GitHub token"] * 3 + ["user turn 1 has an npm token"] * 2 \
        + ["assistant turn 2 has an npm token", "assistant turn 2 has a Stripe live key"]


# -- no raw value in any rendered output ----------------------------------------------------------
def test_raw_values_reach_no_output(tmp_path: Path) -> None:
    address, number, key = "kim.lee@fastmail.com", card(), "sk-proj-" + token(120, ALNUM + "_-")
    grouped = " ".join(number[i:i + 4] for i in range(0, 16, 4))
    records: list[dict[str, Any]] = [
        {"messages": [{"role": "user", "content": f"Card {grouped}, key {key}, mail {address}."},
                      {"role": "assistant", "content": f"Done: receipt sent to {address}."}]},
        {"messages": [{"role": "user", "content": "What is the capital of France?"},
                      {"role": "assistant", "content": "Paris is the capital of France."}]},
    ]
    path = tmp_path / "train.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    report = ftdata.lint(str(path), jobs=1, exit_zero=True)
    rules = sorted(f.rule for f in report.findings if f.category == "content" and f.rule in ("CNT010", "CNT011"))
    assert rules == ["CNT010", "CNT010", "CNT011"]
    outputs = [json.dumps(report.to_dict()), text_format.render(report, False), json_format.render(report, False),
               html_format.render(report, False), report.to_pandas().to_csv()]
    # the values, and pieces of them long enough not to turn up by chance
    pieces = [address, "kim.lee", number, grouped, grouped[5:14], key, key[8:16], key[-8:]]
    for out in outputs:
        leaked = [p for p in pieces if p in out]
        assert not leaked, leaked
