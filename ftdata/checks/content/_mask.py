"""Masked forms of personal data and secrets, for messages and excerpts: reports get shared, so a
finding shows what kind of value it found and enough to find it again, never the value itself.

    mask("email", "john.doe@mail.org")  -> "j***@m***.org"
    mask("phone", "+1 415-555-2671")    -> "+* ***-***-**71"
    mask("card", "4539 1488 0343 6467") -> "**** **** **** 6467"
    mask("iban", "DE44 5001 0517 5407 3249 31") -> "DE***31"
    mask("ip", "203.0.113.7")           -> "203.***"
    mask("secret", "ghp_...")           -> "ghp_*** (40 characters)"

`reported` walks a record's turns for both rules: each value once, masked, located, excerpted.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Callable, Hashable, Iterator, Protocol, Sequence, TypeVar

from stdnum import luhn

from ftdata.checks.content._text import around, field_at, texts, turn_of
from ftdata.model import Record

# Provider prefixes a masked secret keeps (they say which credential leaked, and are public);
# the longest that matches wins, so "sk-proj-" beats "sk-".
PREFIXES = ("sk-ant-api03-", "sk-ant-admin01-", "sk-ant-", "sk-proj-", "sk-svcacct-", "sk-admin-", "sk-",
            "sk_live_", "rk_live_", "github_pat_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "glpat-", "xoxb-",
            "xoxp-", "xoxa-", "xoxo-", "xoxs-", "xoxr-", "AKIA", "ASIA", "ABIA", "ACCA", "AIza", "hf_", "npm_",
            "SG.", "eyJ")
_KEY_BLOCK = re.compile(r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")
_DIGIT = re.compile(r"\d")


def mask(kind: str, value: str) -> str:
    """`value` masked for display; `kind` is email, phone, card, iban or ip, any other kind
    (secret, or a credential's kind: aws, github, ...) is masked as a secret."""
    if kind == "email":
        return _email(value)
    if kind == "phone":
        return _phone(value)
    if kind == "card":
        digits = "".join(c for c in value if c.isdigit())
        return "**** " * max(1, (len(digits) - 4 + 3) // 4) + digits[-4:]
    if kind == "iban":
        compact = "".join(value.split()).upper()
        return f"{compact[:2]}***{compact[-2:]}"
    if kind == "ip":
        sep = ":" if ":" in value else "."
        return value.split(sep, 1)[0] + sep + "***"
    return _secret(value)


def _email(value: str) -> str:
    local, _, domain = value.rpartition("@")
    labels = domain.split(".")
    tld = labels[-1] if len(labels) > 1 else ""
    return f"{local[:1]}***@{labels[0][:1]}***" + (f".{tld}" if tld else "")


def _phone(value: str) -> str:
    """Every digit but the last two becomes `*`; a leading + and the separators stay."""
    keep = len(_DIGIT.findall(value)) - 2
    out = []
    for c in value:
        if c.isdigit():
            out.append("*" if keep > 0 else c)
            keep -= 1
        else:
            out.append(c)
    return "".join(out)


def _secret(value: str) -> str:
    block = _KEY_BLOCK.match(value)
    if block:
        return f"{block.group()}*** ({len(value)} characters)"
    prefix = max((p for p in PREFIXES if value.startswith(p)), key=len, default="")
    return f"{prefix}*** ({len(value)} characters)"


# What a finding's excerpt hides besides the value it reports: anything near it that looks like
# personal data or a secret, validated or not (a second address, a key on the next line).
_SENSITIVE = re.compile(
    r"(?P<email>[A-Za-z0-9_.%+-]+@[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+)"
    r"|(?P<ip>(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d))"
    r"|(?P<secret>(?<![A-Za-z0-9_+/=.-])[A-Za-z0-9_+/=.-]{16,})"  # a long token, masked when it has a digit
)
_RUN = re.compile(r"\+?\d[\d ().-]*\d")
_CARD_LIKE = re.compile(r"\d{4}(?:-?\d{3,6}){2,4}")
_LETTERS_KEY = re.compile(r"hf_[A-Za-z]{30}|(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])")


def scrub(text: str) -> str:
    """`text` with everything that looks like personal data or a secret masked."""
    out, pos = [], 0
    for m in _SENSITIVE.finditer(text):
        kind, value = m.lastgroup or "", m.group()
        if kind == "secret" and not _DIGIT.search(value) and not _LETTERS_KEY.match(value):
            continue  # a word, a name; a Hugging Face token or an AWS key id may have no digit
        if kind == "secret" and _CARD_LIKE.fullmatch(value):  # 4539-1488-0343-6467: a card, not a key
            if not luhn.is_valid(value.replace("-", "")):
                continue  # a run of digits: masked below if long enough
            kind = "card"
        out.append(text[pos:m.start()])
        out.append(mask(kind, value))
        pos = m.end()
    out.append(text[pos:])
    text = "".join(out)
    return _RUN.sub(_number, text)


def _number(m: re.Match[str]) -> str:
    """A run of digits masked as a card when it is one (13-19 digits, Luhn-valid), else as a phone
    number from seven digits on."""
    value = m.group()
    digits = "".join(_DIGIT.findall(value))
    if 13 <= len(digits) <= 19 and not value.startswith("+") and luhn.is_valid(digits):
        return mask("card", value)
    return _phone(value) if len(digits) >= 7 else value


def excerpt(text: str, start: int, end: int, shown: str, width: int = 60) -> str:
    """`_text.around` the match at text[start:end], shown as `shown`, with the context scrubbed.
    The context is cut at whitespace first, so no token is split into a piece too short to look
    sensitive; "…" marks what the cut left out."""
    lo = text.rfind(" ", 0, max(0, start - width - 100)) + 1
    hi = text.find(" ", min(len(text), end + width + 100))
    hi = len(text) if hi < 0 else hi
    before = ("…" if lo else "") + scrub(text[lo:start])
    after = scrub(text[end:hi]) + ("…" if hi < len(text) else "")
    return around(before + shown + after, len(before), len(before) + len(shown), width)


class Hit(Protocol):
    """A value a rule found in a turn's text: where, what kind, and its normalised form."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def value(self) -> str: ...


H = TypeVar("H", bound=Hit)
MAX_PER_TURN = 5  # findings per turn (and group): a contact list is one problem, not fifty


def reported(record: Record, find: Callable[[str], Sequence[H]], key: Callable[[H], Hashable],
             group: Callable[[H], str] = lambda hit: "") -> Iterator[tuple[str, H, str, str, str]]:
    """The hits `find` returns in the record's turns that are worth a finding: the first of each
    `key` in the record, at most MAX_PER_TURN of each `group` in a turn. Each comes as (turn label,
    hit, JSON pointer, masked value, excerpt), the excerpt showing the masked value."""
    seen: set[Hashable] = set()
    for message in texts(record):
        text = message.content
        hits = find(text)
        if not hits:
            continue
        label = turn_of(record, message).label
        counts: Counter[str] = Counter()
        for hit in hits:
            k, g = key(hit), group(hit)
            if k in seen or counts[g] >= MAX_PER_TURN:
                continue
            seen.add(k)
            counts[g] += 1
            shown = mask(hit.kind, text[hit.start:hit.end])
            pointer, _ = field_at(record, message, hit.start)
            yield label, hit, pointer, shown, excerpt(text, hit.start, hit.end, shown)
