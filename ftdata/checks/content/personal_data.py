"""CNT010: personal data in a turn: an email address, phone number, payment card number, IBAN or
IP address, each validated (a phone number by libphonenumber, a card by Luhn, an IBAN by its
checksum) and shown masked."""
from __future__ import annotations

import ipaddress
import re
from typing import Collection, Iterator, Literal, NamedTuple

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType
from pydantic import Field
from stdnum import iban as stdnum_iban
from stdnum import luhn

from ftdata.checks.base import CheckOptions, RecordCheck
from ftdata.checks.content._mask import reported
from ftdata.checks.content._not_personal import (
    EXAMPLE_IBANS, FILE_TLDS, NANP_TOLL_FREE, OTHER_CCTLDS, PLACEHOLDER_DOMAINS, PLACEHOLDER_LOCAL, PLACEHOLDER_LOCALS,
    PUBLIC_SERVICES, RESERVED_TLDS, ROLE_AFFIXES, ROLE_LOCALS, SAMPLE_IPS, TEST_CARDS, UK_FICTION)
from ftdata.checks.content._shape import shape
from ftdata.checks.content._text import in_code, joined, looks_like_code, prompts
from ftdata.model import Finding, Record, Severity

Kind = Literal["email", "phone", "card", "iban", "ip"]
KINDS: tuple[Kind, ...] = ("email", "phone", "card", "iban", "ip")
NAMES = {"email": "an email address", "phone": "a phone number", "card": "a payment card number",
         "iban": "an IBAN", "ip": "an IP address"}

# an address is found from its @: the local part before it, the domain after it
# (and not a method called on it: x@np.linalg.solve(...), @app.route(...))
EMAIL_LOCAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}\Z")
EMAIL_DOMAIN = re.compile(r"((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})"
                          r"(?![A-Za-z0-9(-]|\.[A-Za-z0-9])")
# The number patterns start with a character class, not with a lookbehind, so the regex engine
# skips fast to a candidate; `_free` checks the character before it instead.
PHONE = re.compile(
    r"(?:"
    r"\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,5}){2,5}"  # international: +CC and groups
    r"|(?:1[ .-]?)?(?:\([2-9]\d{2}\)|[2-9]\d{2})[ .-]?[2-9]\d{2}[ .-]\d{4}"  # North American, formatted
    r")(?![\w/]|[.,-]?\d)")
CARD = re.compile(r"\d{4}(?:[ -]?\d{3,6}){2,4}(?![\w]|[.,/-]\d)")
IBAN = re.compile(r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])")
IPV4 = re.compile(r"(?:\d{1,3}\.){3}\d{1,3}(?![\w-]|\.\d|/\d)")  # not a range (CIDR)
IPV6 = re.compile(r"[23][0-9a-fA-F]{3}:(?:[0-9a-fA-F]{0,4}:){1,6}[0-9a-fA-F]{0,4}(?![\w:.])")

PERSONAL_PHONES = frozenset({PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE,
                             PhoneNumberType.PERSONAL_NUMBER, PhoneNumberType.VOIP, PhoneNumberType.PAGER})
# words before a number that make it something else: an ISBN, an order or account number, a version
NUMBER_CONTEXT = re.compile(
    r"(?i)(?:\b(?:isbn(?:-1[03])?|issn|doi|arxiv|patent|sku|oid|id|zip|postal code"
    r"|(?:order|invoice|account|acct|tracking|serial|model|part|reference|ref|transaction|confirmation|case"
    r"|ticket|policy)(?:\s*(?:number|no\.?|id|#))?"
    r"|version|ver|v|release|build|firmware|revision|rev|section|chapter|figure|fig|table|step)|[#§])[\s:=#.-]*\Z")
# words before an ungrouped run of digits that make it a card number
CARD_CONTEXT = re.compile(r"(?i)card|visa|master|amex|american express|discover|jcb|diners|unionpay|credit|debit"
                          r"|\bcc\b|\bpan\b|payment|billing")
# words that introduce a made-up address ("for example “giantdog@hotmail.com”", "a fake email like ...")
EXAMPLE_CONTEXT = re.compile(r"(?i)\b(?:for example|for instance|e\.g\.|such as|fake|made[- ]up|fictional|dummy"
                             r"|sample|example)\b[^.\n]{0,30}\Z")
# words that introduce a server's address rather than a person's
SERVER_CONTEXT = re.compile(r"(?i)(?:\b(?:server|host|hostname|dns|nameserver|ntp|gateway|router|proxy|ping|nslookup"
                            r"|traceroute|dig|ssh|telnet|curl|wget|endpoint|address of|resolves to|points to|a record)"
                            r"|//|@)[\s:=\\'\"`(]*\Z")

# an organisation's published line, not a person's: "call us", "customer service", "the Press Office",
# "For registration information, call …", "give Acme Services a call at …", "Fax: …", a business name
_ORG_I = (r"\b(?:call|phone|ring|contact|e-?mail|write to|reach|text|message) us\b|\bcontact(?:ing)? (?:our|the) "
          r"|\bour (?:office|team|staff|store|shop|customer|support|sales|hotline|reception|clinic|studio)"
          r"|\bcustomer (?:service|support|care|cent(?:er|re)|line)|\b(?:offices?|hotline|helpline|help ?desk|switchboard|"
          r"reception|front desk|box office|fax|toll[- ]free|call cent(?:er|re)|information line|service cent(?:er|re)|"
          r"dear (?:visitors?|customers?|clients?|guests?))\b"
          r"|\bfor (?:more |further |any )?(?:[\w-]+ ){0,3}(?:information|info|details|registration|reservations?|bookings?|"
          r"appointments?|enquiries|inquiries|orders?|tickets?|quotes?)\b|\bgive [^.\n]{1,60} a call\b")
_ORG_NAME = (r"\b(?:Inc|LLC|Ltd|Corp|Company|Services?|Club|Cent(?:er|re)|Agency|Department|Dept|Bureau|Council|"
             r"Association|University|College|School|Hospital|Clinic|Church|Restaurant|Hotel|Store|Shop|Foundation|"
             r"Institute|Society|Museum|Library|Ministry|Embassy|Authority|Commission|Office)\b")
ORGANISATION = re.compile(rf"(?i:{_ORG_I})|{_ORG_NAME}")
ORG_AFTER = re.compile(r"(?i)[^.\n]{0,40}?\b(?:toll[- ]free|fax|hotline|helpline|switchboard)\b")
# ... unless a person is named as its holder ("his cell", "Mr. Leprino", "my office number")
PERSONAL_CONTEXT = re.compile(r"(?i)\b(?:my|his|her|their|mr|mrs|ms|miss|dr|personal|private|home|cell|mobile)\b")
# a programming task matching or checking contact details ("Use regular expressions to extract the
# phone number"): the numbers and addresses are its made-up input. A plain "Extract the email
# address" or "Parse this ticket" from a customer's message (extraction, support data) is still judged
EXTRACTION = re.compile(r"(?i)\b(?:regex|regexp|regular expressions?|validat\w*|parsers?)\b")
CONTACT_WORDS = re.compile(r"(?i)phone|e-?mail|telephone|contact")
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


class PersonalDataOptions(CheckOptions):
    kinds: tuple[Kind, ...] = Field(KINDS, description="the kinds of personal data to look for")


class Hit(NamedTuple):
    start: int
    end: int
    kind: str
    value: str  # normalised: what two spellings of one value share


class PersonalData(RecordCheck):
    """A turn holds personal data: an email address, a phone number, a payment card number, an
    IBAN or an IP address.

    What it does: finds candidates with cheap patterns and keeps those that validate: a phone
    number must be a valid personal line for libphonenumber (international with +, or North
    American written (415) 823-2671, 415-823-2671 or 415.823.2671), a card number must pass
    Luhn and carry a known issuer prefix (a run of digits also needs a card word before it), an
    IBAN must pass its checksum, an IP address must be public (global) and outside code. It
    leaves alone what is no one's: reserved and placeholder email domains (example.com, *.test,
    yourcompany.com), placeholder and role mailboxes (john.doe@, support@, noreply@), fictional
    phone numbers (US 555, UK drama ranges), toll-free and premium numbers, providers' test card
    numbers, documentation IBANs and IP ranges, public DNS resolvers, servers' addresses, and
    numbers introduced as an ISBN, order number or version, and email addresses in code (a
    fenced block, an inline span, or an answer that is code) or beside a placeholder address
    in the same turn (alice@example.com, bob@gmail.com, dan@gmail.com) or introduced as an
    example ("a fake address, for example ..."), which are sample data, as are the phone
    numbers of a turn whose addresses are; an organisation's published contact (introduced in
    its sentence by "call us", "customer service", "office", "hotline", "fax", "for registration
    information", a business name, or next to a toll-free number), unless the sentence names a
    person as its holder ("Mr.", "his", "my cell"); and the numbers and addresses of a record whose
    prompt asks for a regular expression, a validator or a parser of contact details (its made-up
    input).
    Every value is shown masked (`j***@e***.org`), in the message and in the excerpt, whose
    context is scrubbed too. One finding per value and
    record, at most five per kind and turn. Values are found in any language; the words that
    introduce a number as something else (ISBN, order number, server, an organisation) are English.
    Why it matters: a model trained on personal data can repeat it to anyone, and the dataset
    itself becomes personal data to protect (GDPR, CCPA). Reports get shared, hence the masks.
    Example: `{"role": "assistant", "content": "Sure, write to maria.rossi@gmail.com"}` gives
    "assistant turn 2 has an email address 'm***@g***.com'".
    Options: `kinds` (default all: email, phone, card, iban, ip).
    """

    code = "CNT010"
    name = "personal-data"
    category = "content"
    severity = Severity.WARNING
    Options = PersonalDataOptions
    options: PersonalDataOptions

    def check(self, record: Record) -> Iterator[Finding]:
        whole = joined(record)
        if not ("@" in whole or _numbers(shape(whole))):
            return  # most records: no @, no number shaped like the data sought
        kinds = self.options.kinds
        if any(EXTRACTION.search(t) and CONTACT_WORDS.search(t) for t in prompts(record)):
            kinds = tuple(k for k in kinds if k not in ("phone", "email"))
        for label, hit, pointer, shown, context in reported(
                record, lambda text: find(text, kinds), lambda hit: (hit.kind, hit.value), lambda hit: hit.kind):
            yield self.finding(f"{label} has {NAMES[hit.kind]} {shown!r}", record, pointer, context)


# tests on the shape (ftdata.checks.content._shape): 93.184.216.34, 415.555.2671; 2001:db8::1
_DOTTED = re.compile(rb"\.(?:0{1,3}\.0{1,3}\.0|000\.0000)")
_COLONS = re.compile(rb":[0Aa]{0,4}:[0Aa]{0,4}:")


def _numbers(sh: bytes) -> bool:
    """Could the text behind shape `sh` hold a card, IBAN, phone number or IP address? `_spots`
    unrolled and ordered by cost: every record pays this test."""
    digits = sh.count(b"0")
    if digits < 7:  # the shortest: +44 20 7946 (7), a host's IPv4 address (7: 1.1.1.1 and such are skipped)
        return False
    return _DOTTED.search(sh) is not None or b"+" in sh and b"+0" in sh \
        or b":" in sh and _COLONS.search(sh) is not None \
        or digits >= 10 and (b"0-000-0000" in sh or b"0--000-0000" in sh or b"AA00" in sh) \
        or digits >= 13 and (b"0000-0000-0000-0" in sh or b"0000-000000-0" in sh or b"0" * 13 in sh)


# (kind, digits the text needs, shape) of the substring tests
_NEEDLES = (("card", 13, b"0000-0000-0000-0"), ("card", 13, b"0000-000000-0"), ("card", 13, b"0" * 13),
            ("iban", 10, b"AA00"), ("phone", 7, b"+0"), ("phone", 10, b"0-000-0000"), ("phone", 10, b"0--000-0000"))


def _spots(sh: bytes) -> dict[str, list[int]]:
    """Where in shape `sh` (byte offsets) each kind of number could start, roughly."""
    digits = sh.count(b"0")
    spots: dict[str, list[int]] = {}
    if digits < 7:
        return spots
    for kind, least, needle in _NEEDLES:
        i = sh.find(needle) if digits >= least else -1
        while i >= 0:
            spots.setdefault(kind, []).append(i)
            i = sh.find(needle, i + len(needle))
    for m in _DOTTED.finditer(sh):
        spots.setdefault("ipv4", []).append(m.start())
        spots.setdefault("phone", []).append(m.start())
    if b":" in sh:
        for m in _COLONS.finditer(sh):
            spots.setdefault("ipv6", []).append(m.start())
    return spots


def _matches(pattern: re.Pattern[str], text: str, spots: list[int] | None, ascii: bool) -> Iterator[re.Match[str]]:
    """`pattern`'s matches in `text`, searched only around `spots` when offsets in the shape are
    offsets in the text (an ASCII text); a long text is mostly prose the patterns need not read."""
    if not spots:
        return
    if not ascii:
        yield from pattern.finditer(text)
        return
    windows: list[list[int]] = []
    for p in sorted(spots):
        lo, hi = max(0, p - 40), min(len(text), p + 80)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    for lo, hi in windows:
        for m in pattern.finditer(text, lo, hi):
            whole = pattern.match(text, m.start())  # the window may have cut it short
            if whole is not None:
                yield whole


def find(text: str, kinds: Collection[str] = KINDS) -> list[Hit]:
    """The personal data in `text`, validated, in order; overlapping candidates resolve to the
    first kind that claims them (card, IBAN, phone, IP, email)."""
    sh = shape(text)
    spots = _spots(sh)
    ascii = len(sh) == len(text)
    hits: list[Hit] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, kind: str, value: str) -> None:
        if not any(s < end and start < e for s, e in taken):
            taken.append((start, end))
            hits.append(Hit(start, end, kind, value))

    if "card" in kinds:
        for m in _matches(CARD, text, spots.get("card"), ascii):
            number = _card(m.group()) if _free(text, m.start(), ".,/+-") else None
            if number and (not m.group().isdigit() or CARD_CONTEXT.search(text, max(0, m.start() - 60), m.start())):
                add(m.start(), m.end(), "card", number)
    if "iban" in kinds:
        for m in _matches(IBAN, text, spots.get("iban"), ascii):
            compact = m.group().replace(" ", "")
            if _free(text, m.start(), "") and compact not in EXAMPLE_IBANS and stdnum_iban.is_valid(compact):
                add(m.start(), m.end(), "iban", compact)
    if "phone" in kinds:
        for m in _matches(PHONE, text, spots.get("phone"), ascii):
            number = _phone(m.group()) if _free(text, m.start(), "+.,/#-") else None
            if number and not _introduced(text, m.start()) and not _organisation(text, m.start(), m.end()):
                add(m.start(), m.end(), "phone", number)
    code: bool | None = None  # is the whole text code? asked once, when needed
    if "ip" in kinds:
        candidates = [m for m in _matches(IPV4, text, spots.get("ipv4"), ascii)
                      if _free(text, m.start(), ".") and _host(m.group())]
        candidates += [m for m in _matches(IPV6, text, spots.get("ipv6"), ascii)
                       if _free(text, m.start(), ":.") and _global_ip(m.group())]
        for m in candidates:
            if _introduced(text, m.start()) or SERVER_CONTEXT.search(text, max(0, m.start() - 24), m.start()) \
                    or in_code(text, m.start()):
                continue
            if code is None:
                code = looks_like_code(text)
            if code:
                break
            add(m.start(), m.end(), "ip", m.group().lower())
    if "email" in kinds:
        emails: list[tuple[int, int]] = []
        sample = False  # a placeholder among the addresses: the others are sample data too
        at = text.find("@")
        while at >= 0:
            email = _email_at(text, at)
            # an address in sample code is a stand-in (john@gmail.com, sender@...), whatever its domain
            if email and not in_code(text, at):
                if email[3] or EXAMPLE_CONTEXT.search(text, max(0, email[0] - 40), email[0]):
                    sample = True
                elif email[2] and not _organisation(text, email[0], email[1]):
                    emails.append(email[:2])
            at = text.find("@", at + 1)
        if sample:  # the turn's contact details are made up: its phone numbers too
            hits[:] = [h for h in hits if h.kind != "phone"]
        elif emails and not (code if code is not None else looks_like_code(text)):
            for start, end in emails:
                add(start, end, "email", text[start:end].lower())
    hits.sort()
    return hits


def _email_at(text: str, at: int) -> tuple[int, int, bool, bool] | None:
    """The email address around the @ at `at`, if there is one: its span, whether it may be a
    person's, and whether it is a placeholder (alice@..., ...@example.com)."""
    local = EMAIL_LOCAL.search(text, max(0, at - 64), at)
    domain = EMAIL_DOMAIN.match(text, at + 1)
    if local is None or domain is None or not _free(text, local.start(), "._%+-"):
        return None
    placeholder = _placeholder_email(local.group(), domain.group(1))
    return local.start(), domain.end(), not placeholder and _personal_email(local.group(), domain.group(1)), placeholder


def _free(text: str, start: int, marks: str) -> bool:
    """Does the match at `start` begin a token: no letter, digit, underscore or one of `marks` before it?"""
    if start == 0:
        return True
    c = text[start - 1]
    return not (c.isalnum() or c == "_" or c in marks)


def _introduced(text: str, start: int) -> bool:
    """Is the number at `start` introduced as something else (ISBN 978-..., order #..., v1.2.3.4)?"""
    return NUMBER_CONTEXT.search(text, max(0, start - 20), start) is not None


def _organisation(text: str, start: int, end: int) -> bool:
    """Is the number or address at text[start:end] an organisation's published contact: introduced
    in its sentence as one ("call us", "customer service", a business name) or followed by a
    toll-free or fax number, with no person named as its holder?"""
    lo = max(0, start - 200)
    before = _SENTENCE_END.split(text[lo:start])[-1]
    if PERSONAL_CONTEXT.search(before):
        return False
    return ORGANISATION.search(before) is not None or ORG_AFTER.match(text, end) is not None


def _personal_email(local: str, domain: str) -> bool:
    """May an address that is no placeholder (`_placeholder_email`) be a person's: not a file
    name ("photo@2x.png"), a subdomain of an example domain, or an organisation's role account?"""
    domain = domain.lower()
    tld = domain.rsplit(".", 1)[-1]
    if tld in FILE_TLDS or domain.endswith((".example.com", ".example.net", ".example.org")) \
            or len(tld) == 2 and tld.upper() not in phonenumbers.SUPPORTED_REGIONS and tld not in OTHER_CCTLDS:
        return False
    base = local.lower().split("+", 1)[0]
    return not (base in ROLE_LOCALS or base.startswith(ROLE_AFFIXES) or base.endswith(ROLE_AFFIXES))


def _placeholder_email(local: str, domain: str) -> bool:
    """Is the address a made-up one (a reserved or placeholder domain or mailbox), as opposed to
    a file name or an organisation's role account?"""
    domain = domain.lower()
    base = local.lower().split("+", 1)[0]
    return domain.rsplit(".", 1)[-1] in RESERVED_TLDS or domain in PLACEHOLDER_DOMAINS \
        or domain.startswith("example") or base in PLACEHOLDER_LOCALS or base.startswith("your") \
        or PLACEHOLDER_LOCAL.fullmatch(base) is not None


def _phone(candidate: str) -> str | None:
    """The number in E.164 form if it is a valid, personal, non-fictional line, else None."""
    if not candidate.startswith("+"):  # North American: settle the common cases before libphonenumber (~20 us)
        digits = "".join(c for c in candidate if c.isdigit())[-10:]
        if digits[3:6] == "555" or digits[:3] in NANP_TOLL_FREE:
            return None
    try:
        number = phonenumbers.parse(candidate, None if candidate.startswith("+") else "US")
    except NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in PERSONAL_PHONES:
        return None
    national = phonenumbers.national_significant_number(number)
    if number.country_code == 1 and national[3:6] == "555" \
            or number.country_code == 44 and national.startswith(UK_FICTION):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _card(candidate: str) -> str | None:
    """The digits if the candidate is a plausible card number (consistent grouping, a known
    issuer and length, Luhn-valid, not a providers' test number), else None."""
    separators = {c for c in candidate if not c.isdigit()}
    if len(separators) > 1:
        return None
    digits = candidate.replace(" ", "").replace("-", "")
    if separators and candidate.split(separators.pop())[0] != digits[:4]:
        return None
    if digits in TEST_CARDS or len(set(digits)) < 4:
        return None
    if not _issuer(digits):
        return None
    return digits if luhn.is_valid(digits) else None


def _issuer(digits: str) -> bool:
    """Do the number's first digits and length fit an issuer: Visa, Mastercard, American Express,
    Discover, UnionPay, JCB, Diners Club?"""
    n, p2, p3, p4 = len(digits), int(digits[:2]), int(digits[:3]), int(digits[:4])
    return digits[0] == "4" and n in (16, 19) or p2 in (34, 37) and n == 15 \
        or (51 <= p2 <= 55 or 2221 <= p4 <= 2720) and n == 16 \
        or (p4 == 6011 or p2 == 65 or 644 <= p3 <= 649) and n in (16, 19) \
        or (p2 == 62 or 3528 <= p4 <= 3589) and 16 <= n <= 19 \
        or (300 <= p3 <= 305 or p2 in (36, 38, 39)) and n == 14 or p2 in (38, 39) and n == 16


def _global_ip(value: str) -> bool:
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        return False
    return ip.is_global and not ip.is_multicast and str(ip) not in PUBLIC_SERVICES


def _host(value: str) -> bool:
    """Could this IPv4 address be someone's machine? Global, not a network or broadcast address
    (x.x.x.0, x.x.x.255), not a made-up one (123.45.67.89, 8.8.8.8 aside, four equal or four small
    numbers: 1.2.3.4 and 3.10.2.1 are far more often versions or section numbers)."""
    parts = [int(p) for p in value.split(".")]
    return parts[3] not in (0, 255) and value not in SAMPLE_IPS and len(set(parts)) > 1 \
        and not all(p < 16 for p in parts) and _global_ip(value)
