"""CNT011: a secret in a turn: a provider API key or token, a private key block, or a
high-entropy value assigned to a name like `api_key` or `password`.

One combined pattern, after cheap literal tests, rather than detect-secrets' plugins: those scan
line by line with a dozen regexes each and cost milliseconds a record, far too slow for a million
records. The patterns follow gitleaks' rules for the same providers."""
from __future__ import annotations

import base64
import binascii
import math
import re
from collections import Counter
from typing import Iterator, NamedTuple

from pydantic import Field

from ftdata.checks.base import CheckOptions, RecordCheck
from ftdata.checks.content._mask import reported
from ftdata.checks.content._shape import shape
from ftdata.checks.content._text import joined
from ftdata.model import Finding, Record, Severity

_TAIL = r"(?![A-Za-z0-9_-])"
PREFIXED = re.compile(
    r"(?<![A-Za-z0-9_-])(?:"
    r"(?P<aws>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Za-z0-9])"
    r"|(?P<github>(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_\w{22,244})" + _TAIL + ")"
    r"|(?P<gitlab>glpat-[\w-]{20,300})" + _TAIL +
    r"|(?P<anthropic>sk-ant-[\w-]{32,300})" + _TAIL +
    r"|(?P<openai>sk-(?:proj-|svcacct-|admin-)?[\w-]{20,300})" + _TAIL +
    r"|(?P<slack>xox[abposr]-(?:\d+-)+[A-Za-z0-9-]{6,200})" + _TAIL +
    r"|(?P<stripe>[sr]k_live_[A-Za-z0-9]{16,200})" + _TAIL +
    r"|(?P<google>AIza[\w-]{35})" + _TAIL +
    r"|(?P<huggingface>hf_[A-Za-z]{34})" + _TAIL +
    r"|(?P<npm>npm_[A-Za-z0-9]{36})" + _TAIL +
    r"|(?P<sendgrid>SG\.[\w-]{22}\.[\w-]{43})" + _TAIL +
    r"|(?P<jwt>eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,})" + _TAIL +
    r")")
# literals one of which a text must contain for PREFIXED to match (each a fast substring test)
HINTS = ("AKIA", "ASIA", "ABIA", "ACCA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "sk-",
         "xox", "k_live_", "AIza", "hf_", "npm_", "SG.", "eyJ")
KEY_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")
KEY_END = re.compile(r"-----END [A-Z0-9 ]*-----")
_BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*[A-Za-z0-9+/=]")
# `name = value`, `"name": "value"`, `name => value`, `Authorization: Bearer value`: the operator
# is a literal, so the search skips fast; the name is checked in the few characters before it.
ASSIGNED = (re.compile(r"""=>?[ \t]*["'`]?(?:(?:Bearer|Basic|Token|token)[ \t]+)?([\w+/][\w+/.~=-]{15,255})"""),
            re.compile(r""":[ \t]*["'`]?(?:(?:Bearer|Basic|Token|token)[ \t]+)?([\w+/][\w+/.~=-]{15,255})"""))
NAME = re.compile(r"(?i)([\w.-]*(?:api[_.-]?key|apikey|access[_.-]?key|secret|token|passw(?:or)?d|pwd|auth[_.-]?key"
                  r"|private[_.-]?key|credential|authorization|bearer)[\w.-]{0,24})[\"'\]]?[ \t]*\Z")
# a name saying its value was transformed, not a credential: `enc_password`, `password_hash`
TRANSFORMED = re.compile(r"(?i)encrypted|encoded|hashed|ciphertext|digest|[_.-]hash\b|\bhash[_.-]|^enc[_.-]")
KINDS = {"aws": "an AWS access key", "github": "a GitHub token", "gitlab": "a GitLab token",
         "anthropic": "an Anthropic API key", "openai": "an OpenAI-style API key", "slack": "a Slack token",
         "stripe": "a Stripe live key", "google": "a Google API key", "huggingface": "a Hugging Face token",
         "npm": "an npm token", "sendgrid": "a SendGrid API key", "jwt": "a JSON Web Token",
         "private_key": "a private key block"}
# in a value, the signs of a stand-in: words, runs, ellipses and template syntax
PLACEHOLDER = re.compile(r"(?i)your|example|sample|placeholder|dummy|fake|here|redacted|insert|replace|changeme"
                         r"|test|demo|secret|token|api[_-]?key|x{4}|\*{3}|\.\.\.|…|1234567890|0123456789|abcdef"
                         r"|[<>{}$%]|(.)\1{4}")
IDENTIFIER = re.compile(r"[A-Za-z_.-]+\d{0,4}|[a-z]+\d*(?:[_.-][a-z]+\d*)+|[\w./-]*/[\w./-]*\.[a-z]{1,5}")


class SecretOptions(CheckOptions):
    entropy: float = Field(3.5, ge=2.0, le=6.0, description="Shannon entropy (bits per character) from which a "
                                                            "value assigned to a secret-like name is reported")


class Hit(NamedTuple):
    start: int
    end: int
    kind: str  # a key of KINDS, or "assigned"
    value: str
    name: str = ""  # the name a value is assigned to


class Secret(RecordCheck):
    """A turn holds a secret: an API key or token of a known provider, a private key block,
    or a random-looking value assigned to a name like `api_key`, `secret` or `password`.

    What it does: looks for provider-prefixed credentials (AWS `AKIA`/`ASIA`, GitHub `ghp_`,
    `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`, GitLab `glpat-`, OpenAI `sk-`/`sk-proj-`,
    Anthropic `sk-ant-`, Slack `xox?-`, Stripe `sk_live_`/`rk_live_`, Google `AIza`, Hugging Face
    `hf_`, npm `npm_`, SendGrid `SG.`, JSON Web Tokens), `-----BEGIN ... PRIVATE KEY-----`
    blocks with a body, and values assigned to secret-like names whose Shannon entropy reaches
    `entropy` bits per character (16+ characters, letters and digits). Placeholders are left
    alone: `sk-xxxxxxxx`, `your_api_key`, `<API_KEY>`, `sk-...`, repeated characters, values
    of names that say they were transformed (`enc_password`, `password_hash`),
    `1234567890`, AWS's documented `AKIA...EXAMPLE` and jwt.io's sample token. The value is
    shown masked (`ghp_*** (40 characters)`) in the message and the excerpt. Secrets look
    the same in every language; secret-like names are English identifiers.
    Why it matters: a model trained on a live credential can emit it to anyone, and the dataset
    is then a leak: the key must be revoked, not only removed.
    Example: `{"role": "user", "content": "my key is sk-proj-4fT...Q2 and it fails"}` gives
    "user turn 1 has an OpenAI-style API key 'sk-proj-*** (164 characters)'".
    Options: `entropy` (default 3.5 bits per character, as gitleaks' generic rule).
    """

    code = "CNT011"
    name = "secret"
    category = "content"
    severity = Severity.ERROR
    Options = SecretOptions
    options: SecretOptions

    def check(self, record: Record) -> Iterator[Finding]:
        if not _could(shape(joined(record))):
            return  # most records: no long token with a digit, no hf_ token
        threshold = self.options.entropy
        for label, hit, pointer, shown, context in reported(
                record, lambda text: find(text, threshold) if _could(shape(text)) else [], lambda hit: hit.value):
            what = KINDS.get(hit.kind) or f"a random-looking value assigned to {hit.name!r}"
            yield self.finding(f"{label} has {what} {shown!r}", record, pointer, context)


# Tests on the text's shape (ftdata.checks.content._shape). Every credential the rule knows holds
# a digit with four letters or digits on either side (near certain at these lengths and this
# randomness), except Hugging Face tokens (hf_ and 34 letters). Missed: an AWS key id without a
# digit (1 in 28) standing alone; beside its secret key, the secret's digits let both be found.
_IN_TOKEN = re.compile(rb"0(?<=[aA0]{5})(?=[aA0]{4})")
_HF = re.compile(rb"_(?<=aa_)[aA]{34}")


def _could(sh: bytes) -> bool:
    """Could the text behind shape `sh` hold a secret? The cheap test every record pays."""
    return b"0" in sh and _IN_TOKEN.search(sh) is not None or b"_" in sh and _HF.search(sh) is not None


def find(text: str, threshold: float = 3.5) -> list[Hit]:
    """The secrets in `text`, in order."""
    hits: list[Hit] = []
    if any(h in text for h in HINTS):
        for m in PREFIXED.finditer(text):
            kind, value = m.lastgroup or "", m.group()
            if not _placeholder(kind, value):
                hits.append(Hit(m.start(), m.end(), kind, value))
    if "PRIVATE KEY" in text:
        for m in KEY_BLOCK.finditer(text):
            hit = _key_block(text, m)
            if hit:
                hits.append(hit)
    taken = [(h.start, h.end) for h in hits]
    for pattern in ASSIGNED:
        for m in pattern.finditer(text):
            start, end = m.span(1)
            if any(s < end and start < e for s, e in taken):
                continue
            name = NAME.search(text, max(0, m.start() - 48), m.start())
            value = m.group(1).rstrip(".=-")
            if name and not TRANSFORMED.search(name.group(1)) and _random(value, threshold):
                taken.append((start, end))
                hits.append(Hit(start, start + len(value), "assigned", value, name.group(1)))
    hits.sort()
    return hits


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values()) if n else 0.0


def _placeholder(kind: str, value: str) -> bool:
    if kind == "jwt":
        return _sample_jwt(value)
    body = value[value.find("_") + 1:] if kind in ("github", "huggingface", "npm", "stripe") else value
    if kind == "huggingface":  # letters only: a real token mixes cases like random text
        upper = sum(c.isupper() for c in body)
        if not 0.25 <= upper / len(body) <= 0.75:
            return True
    return PLACEHOLDER.search(body) is not None or entropy(body) < 3.0


def _sample_jwt(value: str) -> bool:
    """Is this a documentation token, like jwt.io's (`"sub": "1234567890", "name": "John Doe"`)?"""
    payload = value.split(".")[1]
    try:
        claims = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return False
    return re.search(r"(?i)1234567890|john doe|example|your|test", claims) is not None


def _key_block(text: str, begin: re.Match[str]) -> Hit | None:
    """The key block starting at `begin` if it has a real body (64+ base64 characters, no
    ellipsis or stand-in); it ends at its END line, or where the base64 stops."""
    end = KEY_END.search(text, begin.end(), begin.end() + 10_000)
    run = None if end else _BASE64.match(text, begin.end())
    stop = end.end() if end else run.end() if run else begin.end()
    body = "".join(text[begin.end():end.start() if end else stop].split())
    if len(body) < 64 or "..." in body or "…" in body or PLACEHOLDER.search(body[:40] + body[-40:]) \
            or entropy(body) < 4.0:
        return None
    return Hit(begin.start(), stop, "private_key", body)


def _random(value: str, threshold: float) -> bool:
    """Does an assigned value look like a generated secret rather than a word, a name, a path or a stand-in?"""
    has_digit = any(c.isdigit() for c in value)
    has_letter = any(c.isalpha() for c in value)
    path = value.startswith("//") or value.count("/") > len(value) / 10 + 1  # base64 has a slash in 64
    return has_digit and has_letter and not path and IDENTIFIER.fullmatch(value) is None \
        and PLACEHOLDER.search(value) is None and entropy(value) >= threshold
