"""The one masking step every finding passes through before anything sees it (baselines, collapse,
reports, the notebook view): personal data and secrets are masked in its message, excerpt and
pointer, whichever rule wrote them.

Why here and not per rule: any rule that quotes a record (a placeholder, a truncated answer, an
unknown key, a duplicate, a leaked evaluation record) may quote the card number or API key beside
what it reports, and reports end up in CI logs, step summaries, baselines and tickets. Masking is
done once, in the engine, so no rule or plugin can forget it.

What is masked, in the personal-data (CNT010) and secret (CNT011) rules' convention
(`j***@g***.com`, `**** **** **** 6467`, `ghp_*** (40 characters)`, see checks.content._mask):
  - what those rules' finders report, wherever it appears;
  - what they leave to context but a quote may show without it (the cue word cut away, a value
    quoted out of its sentence): any well-formed email address but reserved, placeholder and
    role ones (support@), any valid phone number, Luhn-valid card number, public IP address,
    a private key block's body however short, a value assigned to `password`, `token`,
    `api_key`... or following `Bearer`;
  - what an excerpt's cut ("…") leaves of a value too short for the finders: a key's known
    prefix with part of its body (`sk-proj-AbC12…`), an address cut in its domain, six or more
    digits (`4539 1488 03…`), a random-looking token of letters and digits.
Masking is idempotent (a masked value stays as it is), and a text with nothing like a value costs
a few substring tests: ftdata's own wording (counts, line numbers, rule names, pointers) is left
as it is.
"""
from __future__ import annotations

import re
import string
from dataclasses import replace
from typing import Any, Iterable, Iterator

from ftdata.checks.content import personal_data, secret
from ftdata.checks.content._mask import PREFIXES, mask
from ftdata.model import Finding

_NAMES = (r"passw|pwd|secret|token|api[_.-]?key|apikey|access[_.-]?key|auth|credential|private[_.-]?key"
          r"|client[_.-]?key")
# Cheap tests first (C-speed substring tests and counts): most texts hold no @, fewer than seven
# digits, no key prefix, no secret-like name, no cut; a regex pass over every text would cost more
# than the rest of the step.
_NAME_WORDS = ("passw", "pwd", "secret", "token", "key", "auth", "credential")
# the literals secret.find needs one of (secret.HINTS), and a key block's: one regex, first-character dispatch
_HINT = re.compile(r"A(?:KIA|SIA|BIA|CCA|Iza)|gh[pousr]_|github_pat_|glpat-|sk-|xox|k_live_|hf_|npm_|SG\.|eyJ"
                   r"|PRIVATE KEY")
_DIGITS = "0123456789"

_EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9][\w.%+-]{0,63}@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                    r"[A-Za-z]{2,24})(?![\w-]|\.[A-Za-z0-9]|\()")
_KEY_HEAD = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[ \t\r\n]*([A-Za-z0-9+/=][A-Za-z0-9+/=\s]*)?")
# `password = "..."`, `"api_key": "..."`, `token=...`: the value up to a quote, space or separator
_ASSIGNED = re.compile(r"(?i:(?:" + _NAMES + r")[\w.-]{0,24})[\"'\]]?[ \t]*(?:=>?|:)[ \t]*[\"'`]?"
                       r"(?:(?:Bearer|Basic|Token|token)[ \t]+)?([^\s\"'`,;(){}\[\]<>…]{4,256})")
_BEARER = re.compile(r"\bBearer[ \t]+([A-Za-z0-9._~+/-]{8,}=*)")
# what the cut of an excerpt ("…") ends or starts: a token (a key, an address) or a run of digits
_TOKEN_CHARS = frozenset(string.ascii_letters + string.digits + "+/_-.@%")
_RUN_CHARS = frozenset(string.digits + " ().-+")
_CUT_EMAIL = re.compile(r"[A-Za-z0-9][\w.%+-]{0,63}@[A-Za-z0-9.-]*")
_DIGIT = re.compile(r"\d")
_RUN = re.compile(r"\d(?:[ ().-]{0,2}\d){6,}")  # seven digits or more, at most two separators apart
_LETTER = re.compile(r"[A-Za-z]")
# digit runs at a cut that are no card, phone or account number: a date (2023-10-12, 20231012), a
# span of years (2000-2015), a decimal (3.14159); a sum (1 + 4 + 9) is told by its inner +
_NOT_A_NUMBER = re.compile(r"(?:1[5-9]|20)\d\d(?:[-./ ]?\d\d){0,2}(?:\s*-\s*(?:1[5-9]|20)\d\d(?:[-./]\d\d){0,2})?"
                           r"|\d+\.\d+")
_SWITCH = re.compile(r"[A-Za-z](?=\d)|\d(?=[A-Za-z])")  # a letter next to a digit: generated strings switch often
_PLAIN_POINTER = re.compile(r"(?:/(?:[A-Za-z_]{1,30}|\d{1,6}))*")  # /messages/3/content: nothing to mask
_WORDY = re.compile(r"[A-Za-z]+(?:[_.-]?[A-Za-z]+)*\d{0,4}|[a-z]+\d*(?:[_.-][a-z]+\d*)+|[\w./-]*/[\w./-]*\.[a-z]{1,5}")


def text(s: str) -> str:
    """`s` with every personal datum and secret masked; `s` itself when there is none."""
    return counted(s)[0]


def counted(s: str) -> tuple[str, int]:
    """`text(s)`, and how many values it masked (`ftdata show` says how many)."""
    total = 0
    for _ in range(4):  # again while a value overlapping one masked is left (idempotent: masked stays masked)
        s, n = _once(s)
        if not n:
            break
        total += n
    return s, total


def _once(s: str) -> tuple[str, int]:
    spans = list(_spans(s)) if s else []
    if not spans:
        return s, 0
    out, pos, n = [], 0, 0
    for start, end, shown in sorted(spans, key=lambda x: (x[0], -x[1])):
        if start < pos:  # overlaps one already masked: the next pass sees what is left of it
            continue
        out += [s[pos:start], shown]
        pos, n = end, n + 1
    return "".join(out) + s[pos:], n


def finding(f: Finding) -> Finding:
    """The finding with its message, excerpt and pointer masked (the same object when none changes)."""
    message = text(f.message)
    pointer = f.pointer if _PLAIN_POINTER.fullmatch(f.pointer) else text(f.pointer)
    excerpt = text(f.excerpt) if f.excerpt else f.excerpt
    if message is f.message and pointer is f.pointer and excerpt is f.excerpt:
        return f
    return replace(f, message=message, pointer=pointer, excerpt=excerpt)


def findings(fs: Iterable[Finding]) -> list[Finding]:
    return [finding(f) for f in fs]


def _spans(s: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, masked form) of every value in `s`, overlapping ones included."""
    at = "@" in s
    digits = sum(map(s.count, _DIGITS))
    hint = _HINT.search(s) is not None
    named = ("=" in s or ":" in s) and any(w in s.lower() for w in _NAME_WORDS)
    numbers = digits >= 7 and _numbers_possible(s)
    if at or numbers:
        for h in personal_data.find(s):
            yield h.start, h.end, mask(h.kind, s[h.start:h.end])
    if hint or named:
        for k in secret.find(s, 3.0):
            yield k.start, k.end, mask(k.kind, s[k.start:k.end])
    if at:
        for m in _EMAIL.finditer(s):
            if _email(m.group()[:m.start(1) - m.start() - 1], m.group(1)):
                yield m.start(), m.end(), mask("email", m.group())
    if numbers:
        yield from _numbers(s)
    if "PRIVATE KEY" in s:
        for m in _KEY_HEAD.finditer(s):
            if m.group(1) and len(m.group(1).strip()) >= 8:
                yield m.start(), m.end(1), mask("secret", m.group().rstrip())
    if named:
        for m in _ASSIGNED.finditer(s):
            value = m.group(1).rstrip(".,:")
            if s.startswith("…", m.start(1) + len(value)) or _random(value):
                yield m.start(1), m.start(1) + len(value), mask("secret", value)
    if "Bearer" in s:
        for m in _BEARER.finditer(s):
            if _DIGIT.search(m.group(1)):
                yield m.start(1), m.end(1), mask("secret", m.group(1))
    i = s.find("…")
    while i >= 0:
        yield from _cut(s, i)
        i = s.find("…", i + 1)


def _numbers_possible(s: str) -> bool:
    """Could `s` hold a card, phone number, IBAN or IP address? Each has seven digits or more in a
    run (at most two separators apart) that is separated, or long (a card, an IBAN), or after a +;
    a bare count or line number (1234567) is none of them. IPv6 addresses hold a colon."""
    if ":" in s:
        return True
    for m in _RUN.finditer(s):
        run = m.group()
        if len(run) >= 13 or not run.isdigit() or s[m.start() - 1:m.start()] == "+":
            return True
    return False


def _numbers(s: str) -> Iterator[tuple[int, int, str]]:
    """Cards in any grouping, valid phone numbers and public IP addresses, whatever their context."""
    for m in personal_data.CARD.finditer(s):
        if personal_data._free(s, m.start(), ".,/+-") and personal_data._card(m.group()):
            yield m.start(), m.end(), mask("card", m.group())
    for m in personal_data.PHONE.finditer(s):
        if personal_data._free(s, m.start(), "+.,/#-") and not personal_data._introduced(s, m.start()) \
                and _phone(m.group()):
            yield m.start(), m.end(), mask("phone", m.group())
    for m in personal_data.IPV4.finditer(s):  # not one introduced as a version (v4.2.10.123)
        if personal_data._free(s, m.start(), ".") and personal_data._host(m.group()) \
                and not personal_data._introduced(s, m.start()):
            yield m.start(), m.end(), mask("ip", m.group())
    if ":" in s:
        for m in personal_data.IPV6.finditer(s):
            if personal_data._free(s, m.start(), ":.") and personal_data._global_ip(m.group()):
                yield m.start(), m.end(), mask("ip", m.group())


def _phone(candidate: str) -> bool:
    """A valid number (of any type: a shop's line is masked too), not a fictional 555 one."""
    import phonenumbers

    try:
        number = phonenumbers.parse(candidate, None if candidate.startswith("+") else "US")
    except phonenumbers.NumberParseException:
        return False
    national = phonenumbers.national_significant_number(number)
    return phonenumbers.is_valid_number(number) and not (number.country_code == 1 and national[3:6] == "555")


def _email(local: str, domain: str) -> bool:
    """May the address be someone's: the personal-data rule's judgement without its context (not a
    reserved or placeholder address, a file name or an organisation's role mailbox)?"""
    return not personal_data._placeholder_email(local, domain) and personal_data._personal_email(local, domain)


def _random(value: str) -> bool:
    """Does a value assigned to a secret-like name look generated, not a word, a name, a path, a
    call or a stand-in (`your_password`, `<TOKEN>`, `***`)?"""
    return len(value) >= 8 and _DIGIT.search(value) is not None and _LETTER.search(value) is not None \
        and len(_SWITCH.findall(value)) >= 3 and _WORDY.fullmatch(value) is None and secret.PLACEHOLDER.search(value) is None \
        and value.count("/") <= len(value) / 10 + 1 and secret.entropy(value) >= 2.5


def _cut(s: str, i: int) -> Iterator[tuple[int, int, str]]:
    """What the cut at s[i] ("…") leaves of a value: a key's prefix with part of its body, an
    email address without the end of its domain, six or more digits, a random-looking token."""
    lo = i
    while lo and s[lo - 1] in _TOKEN_CHARS:
        lo -= 1
    lo += len(s[lo:i]) - len(s[lo:i].lstrip("./-+%@_"))
    before = s[lo:i]
    if before:
        prefix = max((p for p in PREFIXES if before.startswith(p)), key=len, default="")
        body = before[len(prefix):]
        if "@" in before and _CUT_EMAIL.fullmatch(before):  # its domain cut: no top-level domain shown
            local, _, domain = before.rpartition("@")
            yield lo, i, mask("email", f"{local}@{domain.split('.')[0]}")
        elif prefix and (_DIGIT.search(body) or len(body) >= 6 and not body.isalpha() or _mixed(body)):
            yield lo, i, mask("secret", before)
        else:
            tail = re.split(r"[.@%]", before)[-1]
            if len(tail) >= 8 and _random_cut(tail):
                yield i - len(tail), i, mask("secret", tail)
    hi = i + 1
    while hi < len(s) and s[hi] in _TOKEN_CHARS:
        hi += 1
    after = re.split(r"[.@%]", s[i + 1:hi])[0]
    if len(after) >= 8 and _random_cut(after):
        yield i + 1, i + 1 + len(after), mask("secret", after)
    lo = i
    while lo and s[lo - 1] in _RUN_CHARS:
        lo -= 1
    hi = i + 1
    while hi < len(s) and s[hi] in _RUN_CHARS:
        hi += 1
    for a, b in ((lo, i), (i + 1, hi)):
        run = s[a:b].strip(" ().-")
        if len(run) >= 6 and sum(map(run.count, _DIGITS)) >= 6 and len(set(run) & set(_DIGITS)) >= 3 \
                and not _NOT_A_NUMBER.fullmatch(run) and "+" not in run.lstrip("+ ("):  # + only leads a phone
            a += s[a:b].index(run[0])
            yield a, a + len(run), _DIGIT.sub("*", run)


def _mixed(body: str) -> bool:
    """Six letters or more in both cases, none of them a word's capital (ASIAN, SG.Kim)."""
    return len(body) >= 6 and not body.isupper() and not body.islower() and not body.istitle()


def _random_cut(token: str) -> bool:
    """Is a token the cut of an excerpt ends or starts random-looking: letters with 2+ digits, not a
    word or a path; or 12+ letters mixing cases as a Hugging Face token does, not as camelCase?"""
    digits, letters = len(_DIGIT.findall(token)), len(_LETTER.findall(token))
    if digits >= 2 and letters >= 3:  # switching between letters and digits (not Plutonium-239, cl100k_base)
        return len(_SWITCH.findall(token)) >= 3 and _WORDY.fullmatch(token) is None \
            and not _path(token) and secret.entropy(token) >= 2.5
    upper = sum(c.isupper() for c in token) / max(letters, 1)
    return letters >= 12 and 0.25 <= upper <= 0.75 and secret.entropy(token) >= 3.0


def _path(token: str) -> bool:
    """A URL or file path (time.com/5798772/behind-the): segments of digits or words."""
    parts = [p for p in token.split("/") if p]
    return len(parts) >= 2 and all(p.isdigit() or _WORDY.fullmatch(p.strip("-_.")) for p in parts)


def stats(st: dict[str, Any]) -> dict[str, Any]:
    """A report's statistics with the label names masked: the only record text they hold (a label
    is whatever a record's label field holds). Labels masked alike are counted together."""
    table = st.get("labels")
    if not table or not any(text(k) != k for k in table.get("counts", {})):
        return st
    counts: dict[str, int] = {}
    for k, n in table["counts"].items():
        counts[text(k)] = counts.get(text(k), 0) + n
    return {**st, "labels": {**table, "counts": counts}}
