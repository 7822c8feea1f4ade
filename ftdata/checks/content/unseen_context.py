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
# (a new verb goes in `_VERBS` too)
MAKE_MEDIA = re.compile(
    r"(?:^|[.!?:\n]\s*|\b(?:please|can you|could you|would you|I want you to|help me)\s+)"
    r"(?:draw|paint|sketch|generate|create|make|produce|design|render|give me|show me|take|record|compose and record)"
    r"\s+(?:me\s+)?(?:a|an|the|some|\d+)\s+(?:[\w-]+\s+){0,3}?" + _NOT_A_PICTURE +
    r"(?:image|picture|photo|photograph|drawing|painting|illustration|portrait|audio(?: clip| file)?|video|"
    r"voice recording|song recording|recording)s?\b" + _NOUN_AFTER, re.IGNORECASE)
# a request whose answer can be text after all: code, SVG, ASCII art, a plot script, a prompt
_AS_TEXT = re.compile(r"\b(?:code|css|html|svg|ascii|program|script|python|javascript|matlab|latex|tikz|mermaid|"
                      r"graphviz|matplotlib|plot|prompt|description|describe|caption|function|api)\b", re.IGNORECASE)
_THINGS = (r"book|chapter|article|essay|paper|report|document|pdf|file|text|passage|image|picture|photo|photograph|"
           r"screenshot|painting|drawing|artwork|poster|infographic|map|chart|graph|diagram|figure|table|video|clip|"
           r"recording|audio|song|slides?|spreadsheet")
# a document or medium referred to as present but not in the record ("Summarize the book.",
# "What does this chart show?"): only where it ends the clause, so "the book of Genesis" and
# "the chart below:" followed by the chart are left to the other tests and to `_supplied`
# (a new verb or question goes in `_VERBS` too)
THIS_THING = re.compile(
    r"\b(?:summari[sz]e|describe|analy[sz]e|review|explain|translate|caption|transcribe|interpret|rate|critique|"
    r"proofread)\s+(?:this|the|the attached|the enclosed|the uploaded|the above|my)\s+(?:" + _THINGS + r")\s*(?:[.?!]|\Z)"
    r"|\b(?:what (?:is|are|happens) (?:in|on)|what does|who (?:is|are) (?:in|on))\s+(?:this|the)\s+"
    r"(?:" + _THINGS + r")\s*(?:show|depict|say|mean)?\s*\?"
    r"|\b(?:see|check|open|read) (?:the|this) (?:attached|enclosed)(?=\s*[.,;?!)]|\s*\Z)", re.IGNORECASE)
# ... and only as an instruction: at the start of a sentence or after "please", "can you"
_LEAD = re.compile(r"(?:^|[.!?:\n]|\b(?:please|can you|could you|would you|help me))\s*\Z", re.IGNORECASE)
# the same in Chinese, Spanish, French and German: "这张图片", "附件", "esta imagen", "cette image", "dieses Bild"
FOREIGN = re.compile(
    r"这张(?:图片|图|照片|截图)|这段(?:视频|音频|录音)|(?:图片|照片|视频|截图)(?:中|里)|附件(?:中|里|内容|所示)"
    r"|(?:见|查看|参见|根据|打开)附件|附图|(?:根据|看|参考)(?:上|下)图|(?:描述|形容|分析|解释|评价|说明|看)[^，。]{0,3}这幅(?:画|图)"
    r"|(?:总结|概括|翻译|分析|评价|阅读|改写)这篇(?:文章|论文|报告|短文)"
    r"|\besta (?:imagen|foto(?:grafía)?|captura)\b|\bla (?:imagen|foto) adjunta\b|\beste (?:video|vídeo|gráfico)\b"
    r"|\b(?:archivo|documento|fichero) adjunto\b"
    r"|\bcette (?:image|photo|vidéo|capture)\b|\bce (?:graphique|schéma)\b|\bpièces? jointes?\b"
    r"|\bfichier joint\b|\bci-joint\b"
    r"|\b(?:dieses|diesem) (?:Bild|Foto|Video|Diagramm)\b|\bim Anhang\b"
    r"|\bangehängten? (?:Datei|Bild|Foto|Dokument)\b", re.IGNORECASE)
# a system prompt that gives the model a way to open pages: then "read this URL" is a tool call
FETCHES = re.compile(r"\b(?:brows(?:e|ing|er)|fetch(?:es|ing)?|web[ _-]?search|search the (?:web|internet)|"
                     r"open (?:urls?|links?|web ?pages?)|retrieve (?:urls?|web ?pages?)|http requests?|"
                     r"access to the (?:internet|web))\b", re.IGNORECASE)
# things that can be pasted as text, unlike a picture or a recording
_WRITTEN = re.compile(r"(?i)book|chapter|article|essay|paper|report|document|pdf|file|text|passage|story|poem|"
                      r"letter|email|code|table|spreadsheet|文章|论文|报告|附件|archivo|documento|fichier|Datei|Anhang")
_TABLE = re.compile(r"(?m)^\s*\|.*\|\s*$")
PASTED = 300  # characters after a reference that are the thing itself, pasted in the prompt
WINDOW = 200  # characters at each end of a prompt: where its instruction is, not in a quoted passage
_MEDIA_KEYS = frozenset({"images", "image", "videos", "video", "audios", "audio", "image_url", "input_audio"})


class UnseenContext(RecordCheck):
    """A prompt depends on what a text model cannot see (an attached image or file, a web page
    to visit) or asks for output it cannot produce (an image, audio).

    What it does: reads the first and last 200 characters of user and system turns (where
    the instruction is, rather than a quoted passage) for references to an attachment ("the
    attached file", "describe this image", "see the screenshot", "What does the chart show?",
    "Summarize the book.", "Describe the painting.", "Summarize the text." with no text), a
    URL to read or summarise, and requests to draw, paint or generate an image, audio or
    video, outside code. Records that carry media (image, audio or
    video parts or fields, as in vision data) are left alone, and so is a reference whose thing
    the record supplies: the text, a table or a code block pasted after it, or, for a web page,
    a tool to fetch it (tools in the record, tool calls, or a system prompt describing browsing
    or fetching). Books and charts in general ("recommend a book", "what is a pie chart") are
    not references. English in full; attachments, pictures and articles also in Chinese
    (这张图片, 附件, 总结这篇文章), Spanish (esta imagen), French (cette image) and German
    (dieses Bild).
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
                gates = _gates(window, message.role == "system")
                if gates is _SHUT:
                    continue  # most prompts: no pattern could match
                for pattern, what, gate in _KINDS:
                    if not gates[gate] or not _may_match(pattern, window):
                        continue
                    match = pattern.search(window)
                    if match is None or in_code(text, start + match.start()):
                        continue
                    if pattern is MAKE_MEDIA and _AS_TEXT.search(text) or _has_media(record.raw):
                        continue
                    if pattern is THIS_THING and not _LEAD.search(window, max(0, match.start() - 20), match.start()):
                        continue
                    if pattern is not MAKE_MEDIA and _supplied(record, text, start + match.start(),
                                                               start + match.end(), pattern is URL_TASK):
                        continue
                    a, b = start + match.start(), start + match.end()
                    pointer, _ = field_at(record, message, a)
                    yield self.finding(f"{turn_of(record, message).label} {what}: {match.group().strip()!r}",
                                       record, pointer, around(text, a, b))
                    return


def _supplied(record: Record, text: str, start: int, after: int, url: bool) -> bool:
    """Does the record supply what the prompt refers to at text[start:after]: the text pasted
    after the reference (a long passage, a table, a code block); for a written thing (an
    article, an essay, a file), a long passage anywhere in the prompts; for a web page, a tool
    that fetches it (tools in the record, tool calls, or a system prompt describing browsing)?"""
    rest = text[after:]
    given = len(rest.strip())
    if given >= PASTED or "```" in rest or _TABLE.search(rest) \
            or given >= 20 and (text[after - 1:after] in ":：\n" or rest.lstrip(" \t").startswith("\n")):
        return True
    if _WRITTEN.search(text, start, after) and (
            len(text) - (after - start) >= PASTED
            or any(m.role in ("user", "system") and len(m.content) >= PASTED and m.content is not text
                   for m in record.messages)):
        return True
    if url:
        raw = record.raw
        if isinstance(raw, dict) and any(raw.get(k) for k in ("tools", "functions")):
            return True
        if any(m.role == "system" and FETCHES.search(m.content) or m.role in ("tool", "function")
               or m.tool_calls for m in record.messages):
            return True
    return False


def _gated(text: str) -> bool:
    """Does the text hold a stem one of ATTACHED, URL_TASK and MAKE_MEDIA needs (one per media
    noun and attachment verb of the patterns: keep them in step)? Written out: a loop over the
    stems costs twice as much, and this runs on every prompt."""
    return ("mage" in text or "://" in text or "ictur" in text or "hoto" in text or "ideo" in text or "udio" in text
            or "ttach" in text or "pload" in text or "creensho" in text or "hart" in text or "igure" in text
            or "iagra" in text or "raph" in text or "ecord" in text or "scan" in text or "ound clip" in text
            or "nclos" in text or "ccompan" in text or "rawing" in text or "ainting" in text or "llustrat" in text
            or "ortrait" in text)


def _gates(window: str, system: bool) -> tuple[bool, bool, bool]:
    """(`_gated`, `_this_gated`, `_foreign_gated`) of a window, with fewer substring tests than
    asking each, since this runs on every prompt; remembered for a system prompt, which a whole
    set often shares."""
    if system:
        known = _SEEN.get(window)
        if known is not None:
            return known
    media = _gated(window)
    # without `_gated`'s stems, `_this_gated` needs only its stems that `_gated` lacks
    this = _this_gated(window) if media else _this_rest(window)
    foreign = _foreign_gated(window) if not window.isascii() else _foreign_ascii(window)
    gates = _SHUT if not (media or this or foreign) else (media, this, foreign)
    if system:
        if len(_SEEN) >= 256:
            _SEEN.clear()
        _SEEN[window] = gates
    return gates


def _may_match(pattern: re.Pattern[str], window: str) -> bool:
    """Could `pattern` match in a window that passed its gate? Every URL_TASK match holds "://",
    and every THIS_THING or MAKE_MEDIA match one of its verbs, looked up in the lowercased text
    (in ASCII text, what IGNORECASE does): a few substring tests cost far less than a search."""
    if pattern is URL_TASK:
        return "://" in window
    verbs = _VERBS.get(pattern)
    if verbs is None or not window.isascii():
        return True
    low = window.lower()
    return any(verb in low for verb in verbs)


_SHUT = (False, False, False)
_SEEN: dict[str, tuple[bool, bool, bool]] = {}  # system prompt -> its gates


def _this_rest(text: str) -> bool:
    """`_this_gated` of a text holding none of `_gated`'s stems: the same tests, less the stems
    the two share ("ttach", "nclos", "mage", "hart", ...), which cannot be there."""
    return ("ummar" in text or "escri" in text or "roofread" in text or "naly" in text or "eview" in text
            or "xplain" in text or "ranslat" in text or "aption" in text or "nterpret" in text or "rate" in text
            or "ritiq" in text or "hat " in text or "ho " in text) \
        and ("book" in text or "hapter" in text or "rticle" in text or "ssay" in text or "aper" in text
             or "eport" in text or "ocument" in text or "pdf" in text or "file" in text or "clip" in text
             or "song" in text or "lide" in text or "preadsheet" in text or "text" in text or "assage" in text
             or "rtwork" in text or "oster" in text or "nfographic" in text or "map" in text or "able" in text)


def _foreign_ascii(text: str) -> bool:
    """`_foreign_latin` of an ASCII text, with its stems that share a substring tested behind it."""
    return "sta " in text and ("esta " in text or "Esta " in text) \
        or "ste " in text and ("este " in text or "Este " in text) \
        or "ette " in text and ("cette " in text or "Cette " in text) \
        or "ce " in text and " ce " in text or "Ce " in text \
        or "iese" in text and ("dieses " in text or "Dieses " in text or "diesem " in text or "Diesem " in text) \
        or "Anhang" in text or "adjunt" in text or "joint" in text


def _this_gated(text: str) -> bool:
    """Does the text hold a verb and a thing THIS_THING needs? Substring tests, as `_gated`."""
    return ("ummar" in text or "escri" in text or "roofread" in text or "naly" in text or "eview" in text or "xplain" in text
            or "ranslat" in text or "aption" in text or "nterpret" in text or "rate" in text or "ritiq" in text
            or "hat " in text or "ho " in text or "ttach" in text or "nclos" in text) \
        and ("book" in text or "hapter" in text or "rticle" in text or "ssay" in text or "aper" in text
             or "eport" in text or "ocument" in text or "pdf" in text or "file" in text or "mage" in text
             or "ictur" in text or "hoto" in text or "creensho" in text or "hart" in text or "raph" in text
             or "iagra" in text or "igure" in text or "ideo" in text or "clip" in text or "ecord" in text
             or "udio" in text or "song" in text or "lide" in text or "preadsheet" in text or "ttach" in text
             or "nclos" in text or "text" in text or "assage" in text or "ainting" in text or "rawing" in text
             or "rtwork" in text or "oster" in text or "nfographic" in text or "map" in text or "able" in text)


def _foreign_gated(text: str) -> bool:
    """Could the text hold one of FOREIGN's references? Far cheaper than FOREIGN itself."""
    if not text.isascii():
        return "图" in text or "附" in text or "这幅" in text or "这篇" in text or "视频" in text or "照片" in text or "音频" in text \
            or "录音" in text or "imagen" in text or "vídeo" in text or "gráfico" in text or "pièce" in text \
            or "schéma" in text or "angehängt" in text or _foreign_latin(text)
    return _foreign_latin(text)


def _foreign_latin(text: str) -> bool:
    return "esta " in text or "Esta " in text or "este " in text or "Este " in text or "cette " in text \
        or "Cette " in text or " ce " in text or "Ce " in text or "dieses " in text or "Dieses " in text \
        or "diesem " in text or "Diesem " in text or "Anhang" in text or "adjunt" in text or "joint" in text


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


# each pattern, what it means, and the cheap test that says whether it could match: its place in
# what `_gates` returns (`_gated`, `_this_gated`, `_foreign_gated`)
_MEDIA_GATE, _THIS_GATE, _FOREIGN_GATE = 0, 1, 2
_KINDS: tuple[tuple[re.Pattern[str], str, int], ...] = (
    (ATTACHED, "refers to an attachment the model never sees", _MEDIA_GATE),
    (THIS_THING, "refers to a document or picture the model never sees", _THIS_GATE),
    (FOREIGN, "refers to an attachment the model never sees", _FOREIGN_GATE),
    (URL_TASK, "asks about a web page the model cannot open", _MEDIA_GATE),
    (MAKE_MEDIA, "asks for an image or audio a text model cannot make", _MEDIA_GATE))
# the words every match of a pattern holds, lowercased (keep them in step with the patterns)
_VERBS = {THIS_THING: ("summari", "describe", "analy", "review", "explain", "translate", "caption", "transcribe",
                       "interpret", "rate", "critique", "proofread", "what ", "who ", "attached", "enclosed"),
          MAKE_MEDIA: ("draw", "paint", "sketch", "generate", "create", "make", "produce", "design", "render",
                       "give me", "show me", "take", "record")}
