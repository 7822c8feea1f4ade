"""CNT007: a prompt that depends on something the model cannot see, or asks for output it cannot make."""
from __future__ import annotations

import re
from typing import Any, Iterator

from ftdata.checks.base import RecordCheck
from ftdata.checks.content._text import around, field_at, in_code, turn_of
from ftdata.model import Finding, Record, Severity

_MEDIA = r"(?:image|picture|photo|photograph|screenshot|diagram|chart|graph|figure|video|audio|recording|sound clip|scan)"
_FILES = r"(?:file|document|pdf|spreadsheet|attachment|slides?|presentation|zip)"
_NOUN_AFTER = (r"(?!\s+(?:caption|description|prompt|alt|book|frame|file|format|size|gallery|editor|processing|"
               r"recognition|classification|search|url|link|tag|name|title|element|component|slider|carousel|filter|"
               r"upload|generator|model|dataset|data|quality|resolution|theory|card|database|api|library))")
ATTACHED = re.compile(
    rf"\b(?:attached|enclosed|uploaded|accompanying)\s+(?:\w+\s+)?(?:{_MEDIA}|{_FILES})s?\b"
    rf"|\b(?:this|the|following|above|below|given|provided|my)\s+{_MEDIA}s?\s+(?:below|above|shows|show|depicts|"
    rf"provided|attached|here|I (?:sent|shared|uploaded))\b"
    rf"|\b(?:in|from|on)\s+(?:this|the\s+(?:attached|following|above|below|given))\s+{_MEDIA}\b"
    rf"|\b(?:describe|caption|analy[sz]e|interpret|transcribe|identify \w+ in)\s+(?:this|the\s+(?:attached|following|"
    rf"given|provided|above|below))\s+{_MEDIA}\b{_NOUN_AFTER}"
    r"|\b(?:see|look at|refer to|check|watch|listen to|view)\s+(?:the\s+)?(?:attached|attachment|image|picture|"
    r"photo|screenshot|video|figure|recording)\b", re.IGNORECASE)
URL_TASK = re.compile(
    r"\b(?:summari[sz]e|read|review|analy[sz]e|watch|listen to|look at)\s+"
    r"(?:the\s+|this\s+)?(?:(?:article|page|web ?page|website|site|post|video|link|url|blog|paper|document|story)\s*)?"
    r"(?:at|here|below|from)?\s*:?\s*<?https?://"
    r"|\b(?:according to|based on|from|in|at)\s+(?:the|this)\s+(?:article|page|web ?page|website|site|post|video|"
    r"link|url|blog|paper|document)\s*(?:at|here|below)?\s*:?\s*<?https?://", re.IGNORECASE)
# "brand image", "docker image", "self-image": not pictures
_NOT_A_PICTURE = "".join(rf"(?<!\b{w} )" for w in ("brand", "public", "body", "mental", "docker", "disk", "container",
                                                     "corporate", "positive", "negative", "professional", "company"))
# an imperative ("Draw a picture of", "Please generate an image") at a prompt's or sentence's start
MAKE_MEDIA = re.compile(
    r"(?:^|[.!?:\n]\s*|\b(?:please|can you|could you|would you|I want you to|help me)\s+)"
    r"(?:draw|paint|sketch|generate|create|make|produce|design|render|give me|show me|take|record|compose and record)"
    r"\s+(?:me\s+)?(?:a|an|the|some|\d+)\s+(?:[\w-]+\s+){0,3}?" + _NOT_A_PICTURE +
    r"(?:image|picture|photo|photograph|drawing|painting|illustration|portrait|audio(?: clip| file)?|video|"
    r"voice recording|song recording|recording)s?\b" + _NOUN_AFTER, re.IGNORECASE)
# a request whose answer can be text after all: code, SVG, ASCII art, a plot script, a prompt
_AS_TEXT = re.compile(r"\b(?:code|css|html|svg|ascii|program|script|python|javascript|matlab|latex|tikz|mermaid|"
                      r"graphviz|matplotlib|plot|prompt|description|describe|caption|function|api)\b", re.IGNORECASE)
WINDOW = 200  # characters at each end of a prompt: where its instruction is, not in a quoted passage
_MEDIA_KEYS = frozenset({"images", "image", "videos", "video", "audios", "audio", "image_url", "input_audio"})
_KINDS = ((ATTACHED, "refers to an attachment the model never sees"),
          (URL_TASK, "asks about a web page the model cannot open"),
          (MAKE_MEDIA, "asks for an image or audio a text model cannot make"))


class UnseenContext(RecordCheck):
    """A prompt depends on what a text model cannot see (an attached image or file, a web page
    to visit) or asks for output it cannot produce (an image, audio).

    What it does: reads the first and last 200 characters of user and system turns (where
    the instruction is, rather than a quoted passage) for references to an attachment ("the attached
    file", "describe this image", "see the screenshot"), a URL to read or summarise, and
    requests to draw, paint or generate an image, audio or video, outside code. Records that
    carry media (image, audio or video parts or fields, as in vision data) are left alone.
    Why it matters: the answer was written by someone (or something) that saw the attachment,
    or it is invented; either way the model learns to answer about things it was never shown,
    which is hallucination by design, or to claim it made a picture.
    Example: `{"instruction": "Describe the attached photo in one sentence.", "output": "A dog on a beach."}`.
    Options: none.
    """

    code = "CNT007"
    name = "unseen-context"
    category = "content"
    severity = Severity.WARNING

    def check(self, record: Record) -> Iterator[Finding]:
        for message in record.messages:  # prompts: chosen and rejected share them
            if message.role != "user" and message.role != "system":
                continue
            text = message.content
            for start, window in _windows(text):
                if not _gated(window):
                    continue
                for pattern, what in _KINDS:
                    match = pattern.search(window)
                    if match is None or in_code(text, start + match.start()):
                        continue
                    if pattern is MAKE_MEDIA and _AS_TEXT.search(text) or _has_media(record.raw):
                        continue
                    a, b = start + match.start(), start + match.end()
                    pointer, _ = field_at(record, message, a)
                    yield self.finding(f"{turn_of(record, message).label} {what}: {match.group().strip()!r}",
                                       record, pointer, around(text, a, b))
                    return


def _gated(text: str) -> bool:
    """Does the text hold a stem one of the patterns needs (one per media noun and attachment
    verb of the patterns: keep them in step)? Written out: a loop over the stems costs twice as
    much, and this runs on every prompt."""
    return ("mage" in text or "://" in text or "ictur" in text or "hoto" in text or "ideo" in text or "udio" in text
            or "ttach" in text or "pload" in text or "creensho" in text or "hart" in text or "igure" in text
            or "iagra" in text or "raph" in text or "ecord" in text or "scan" in text or "ound clip" in text
            or "nclos" in text or "ccompan" in text or "rawing" in text or "ainting" in text or "llustrat" in text
            or "ortrait" in text)


def _windows(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, text) of the ends of a prompt: the whole of a short one."""
    if len(text) <= 2 * WINDOW + 100:
        return ((0, text),)
    return (0, text[:WINDOW]), (len(text) - WINDOW, text[-WINDOW:])


def _has_media(node: Any, depth: int = 0) -> bool:
    """Does a raw record carry media: an `images`-like field, or a content part of another type?"""
    if depth > 6:
        return False
    if isinstance(node, dict):
        if _MEDIA_KEYS & node.keys() or node.get("type") not in (None, "text") and "type" in node:
            return True
        return any(_has_media(v, depth + 1) for v in node.values() if isinstance(v, (dict, list)))
    if isinstance(node, list):
        return any(_has_media(v, depth + 1) for v in node if isinstance(v, (dict, list)))
    return False
