"""What a prompt asks of its answer, so that a style the request explains is no deviation.

An all-caps answer to "uppercase this", a French one to "translate into French", a list to
"give me some ideas", a greeting back to "hi", "Let me know" closing a drafted email: each
departs from the dataset's habit because the prompt asked for it. Read only for the few
answers that deviate, after their records are re-read, so the patterns may be generous.
English and Chinese requests are recognised; a request in another language goes unseen (the
deviation is then reported, as before).
"""
from __future__ import annotations

import re

from ftdata import style

_I = re.I
# a text written for someone else, whose greeting, sign-off, voice and emoji are its own
_WRITING = re.compile(
    r"\b(?:write|draft|compose|create|generate|craft|prepare|come up with|produce|make|design|give me|rewrite|"
    r"reply|respond|edit|improve|translate)\b[^?!\n]{0,80}?\b(?:e-?mails?|letters?|notes?|messages?|posts?|tweets?|"
    r"captions?|bios?|profiles?|greetings?|speech(?:es)?|toasts?|reviews?|repl(?:y|ies)|responses?|comments?|"
    r"dialog(?:ue)?s?|conversations?|scripts?|stor(?:y|ies)|poems?|songs?|lyrics|ads?|advert\w*|slogans?|"
    r"invitations?|announcements?|memos?|cards?|texts?|sms|status|thank[- ]you|taglines?|headlines?|blurbs?|"
    r"pitch(?:es)?|essays?|articles?|diary|journal|monologues?|narratives?|sign-?off|closing|introductions?|"
    r"welcome|newsletters?|testimonials?|complaints?|apolog(?:y|ies)|descriptions?|summar(?:y|ies)|"
    r"cover letter|resumes?|sentences?|polls?|forms?|surveys?|questionnaires?|documents?|pages?|plans?|"
    r"templates?|agendas?|menus?|listings?|ads?|proposals?)\b"
    r"|(?:写|撰写|创作|起草|编写|拟|回复)[^。？！\n]{0,30}(?:邮件|信|推文|帖子|微博|标题|文案|故事|诗|对话|演讲|评论|"
    r"回复|广告|口号|邀请|通知|简介|祝福|贺卡|日记|文章|作文|歌词|台词|剧本|留言|介绍|句子)", _I)
_PERSONA = re.compile(
    r"\b(?:pretend|imagine (?:you|that you|yourself)|act as|acting as|you are (?:a|an|my|the)\b|role-?play|"
    r"first[- ]person|as if you were|play the role|from the perspective of|in the voice of|in character)\b"
    r"|扮演|假设你是|假如你是|你是一[名个位]|第一人称", _I)
_YOU = re.compile(r"\b(?:you|your|yours|yourself)\b|你|您", _I)  # the prompt addresses the assistant
_ABOUT_YOU = re.compile(r"\b(?:who|what) are you\b|\byour (?:name|creator|developer|maker|purpose|capabilit\w*)\b|"
                        r"\bare you (?:a|an)\b|\bdo you have (?:a )?name\b|\bintroduce yourself\b|"
                        r"\bwhat (?:kind of |sort of )?\w+ can(?:'t|not)? you\b|你是谁|你叫什么|你的名字|"
                        r"介绍一下你自己|你是什么", _I)
_GREETING = re.compile(r"^\W*(?:(?:hi|hello|hey|hiya|greetings|good (?:morning|afternoon|evening))\b|你好|您好|嗨|哈喽)",
                       _I)
_FAREWELL = re.compile(r"\b(?:thanks?|thank you|thx|bye|goodbye|see you|have a (?:nice|good|great))\b|谢谢|感谢|再见|拜拜",
                       _I)
_UPPER = re.compile(r"\b(?:upper[- ]?case|all caps|in caps|capital letters|capitali[sz]\w*|block letters|shout\w*)\b"
                    r"|大写", _I)
_LOWER = re.compile(r"\b(?:lower[- ]?case|small letters|(?:no|without) capital\w*)\b|小写", _I)
_LIST = re.compile(  # an explicit ask for several items ("how do I ...?" is not one: one-line answers serve it too)
    r"\b(?:list\w*|steps?|ways|ideas?|examples?|options?|suggest\w*|tips?|some|several|few|items|points|bullet\w*|"
    r"outline|enumerate|recommend\w*|alternatives?|reasons|instructions|procedure|top \d+|"
    r"\d+ (?:\w+ )?(?:things|ways|ideas|examples|tips|reasons|steps|items|points|names|words|facts|questions))\b"
    r"|列出|列举|步骤|几个|一些|哪些|建议|方法|推荐", _I)
_TABLE = re.compile(r"\btables?\b|tabular|表格|表", _I)
_CODE = re.compile(
    r"\b(?:code|coding|program\w*|script|function|method|class|snippet|implement\w*|python|java\w*|c\+\+|c#|sql|"
    r"html|css|regex|bash|shell|query|algorithm|compile|json|xml|yaml|command|terminal|api|syntax|debug\w*)\b"
    r"|代码|程序|函数|脚本|命令", _I)
_LONG = re.compile(
    r"\b(?:poems?|haiku|limerick|sonnet|songs?|lyrics|verses?|rap|essays?|stor(?:y|ies)|articles?|letters?|"
    r"e-?mails?|speech|blog|report|paragraphs?|details?|detailed|explain\w*|describe|elaborate|outline|plan|"
    r"guide|tutorial|compare|comparison|discuss|analy[sz]e|summar\w*|write|draft|compose|create|generate)\b"
    r"|诗|文章|故事|详细|解释|介绍|写", _I)
_MARKDOWN = re.compile(r"\b(?:markdown|headings?|headers?|sections?|bold|titles?)\b|标题|加粗", _I)
_SHORT = re.compile(r"\b(?:one|single|a) (?:word|sentence|line|number|letter)\b|\bbrief\w*|\bshort\w*|\bconcise\w*|"
                    r"\byes or no\b|\bonly\b|一句话|一个词|简短|简要", _I)
_JSON = re.compile(r"[\[{]|\b(?:json|arrays?|lists?|dict\w*|objects?|python|javascript|js|format\w*|tuples?|numbers|"
                   r"integers|values|elements)\b|数组|列表|字典", _I)
_JSON_WORD = re.compile(r"\bjson\b", _I)
_CONTINUE = re.compile(r"\bcontinu\w*|\bcomplete (?:the|this)|\bfinish (?:the|this)|继续|接着|续写", _I)
_EMOJI = re.compile(r"\bemojis?\b|\bemoticons?\b|\b(?:tweets?|twitter|instagram|facebook|tiktok|social media|hashtags?|"
                    r"linkedin)\b|表情|推文|微博|朋友圈|小红书", _I)
_TRANSLATE = re.compile(r"\btranslat\w*|\bin (?:another|other) languages?\b|翻译|译成|译为", _I)
_LETTER = re.compile(r"^(?:dear|hi|hello|hey|to whom)\b[^\n]{0,60}[,:!\n]|\n(?:best|kind|warm)? ?regards\b|"
                     r"\n(?:sincerely|cheers|best wishes|yours)\b", _I)
# "book, novel, newspaper."; an item starts after the spaces (else every way of splitting them is tried)
_WORD_LIST = re.compile(r"[a-z][\w '-]{0,30}(?:,\s*[\w'-][\w '-]{0,29}){2,}\.?")
_EMOJI_BYTES = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]")
# names a prompt may give a language by, beyond CLD2's English name (LANGUAGES)
_NAMES = {"en": "英文|英语", "zh": "中文|汉语|简体|普通话|mandarin", "zh-Hant": "繁体|繁體|traditional", "fr": "法语|法文",
          "de": "德语|德文", "es": "西班牙", "pt": "葡萄牙", "it": "意大利", "ru": "俄语|俄文", "ja": "日语|日文",
          "ko": "韩语|韩文|朝鲜语", "ar": "阿拉伯", "nl": "荷兰", "vi": "越南", "th": "泰语", "hi": "印地"}

LISTED = ("bullets", "numbered lists")


def explained(feature: str, value: str, answer: str, prompt: str, convention: str = "") -> bool:
    """Does the prompt (or the answer's own genre: a letter, a draft) account for this value of
    the feature, where the dataset's convention is `convention`? Values are the labels the
    report shows (see style.FEATURES)."""
    if feature == "opening":
        if value == "a greeting":
            return bool(_GREETING.search(prompt) or _WRITING.search(prompt) or _PERSONA.search(prompt)
                        or _copied(answer[:24], prompt))
        if value == "thanks":
            return bool(_WRITING.search(prompt) or _PERSONA.search(prompt) or _LETTER.search(answer))
        if value == "'As an AI'" and _ABOUT_YOU.search(prompt):  # "Do you have a name?": saying what it is
            return True
        return _copied(answer[:24], prompt)
    if feature == "closing":
        return bool(_WRITING.search(prompt) or _PERSONA.search(prompt) or _LETTER.search(answer)
                    or _FAREWELL.search(prompt))
    if feature == "first person":
        said = style.first_person(answer)
        return bool(_WRITING.search(prompt) or _PERSONA.search(prompt) or _YOU.search(prompt) or _LETTER.search(answer)
                    or style.first_person(prompt) or said and _copied(answer[max(0, said[0] - 12):said[1] + 12], prompt))
    if feature == "emoji":  # a post or a tweet, an emoji asked or shown, a smile back to small talk
        return bool(_WRITING.search(prompt) or _EMOJI.search(prompt) or _EMOJI_BYTES.search(prompt)
                    or _GREETING.search(prompt) or _FAREWELL.search(prompt))
    if feature == "case":
        if value == "all caps":
            return bool(_UPPER.search(prompt)) or _copied(answer[:40], prompt)
        first = answer.split(None, 1)[0] if answer.split() else ""
        return (bool(_LOWER.search(prompt) or _CONTINUE.search(prompt) or _WORD_LIST.fullmatch(answer.strip()))
                or _copied(first.strip(",.;:!?"), prompt) or _copied(answer[:40], prompt) or _mirrors(prompt))
    if feature == "quotes":
        curly = any(q in prompt for q in "‘’“”")
        return curly if value in ("curly", "mixed") else ('"' in prompt or "'" in prompt)
    if feature == "ending":
        last = answer.rstrip().rsplit("\n", 1)[-1].lstrip()
        return bool(_LONG.search(prompt) and "\n" in answer.strip() or last[:1] in "-*•+|" or last[:1].isdigit()
                    or _SHORT.search(prompt))
    if feature == "structure":  # among JSON answers, prose or broken JSON is never what was asked
        if value == "broken JSON":  # prose that opens with a bracket, a Python literal; unless JSON was asked
            return convention == "prose" and not _JSON_WORD.search(prompt)
        return convention == "prose" and bool(_JSON.search(prompt))
    if feature in LISTED:
        return bool(_LIST.search(prompt))
    if feature == "tables":
        return bool(_TABLE.search(prompt))
    if feature == "code fences":
        return bool(_CODE.search(prompt))
    if feature in ("headings", "bold"):
        return bool(_MARKDOWN.search(prompt) or feature == "headings" and _LONG.search(prompt))
    if feature == "layout":
        if value == "one line":
            return bool(_SHORT.search(prompt))
        return bool(_LIST.search(prompt) or _LONG.search(prompt) or _CODE.search(prompt) or _TABLE.search(prompt))
    if feature == "length":
        if value == "much shorter":
            return bool(_SHORT.search(prompt))
        return bool(_LONG.search(prompt) or _LIST.search(prompt) or _CODE.search(prompt))
    return False


def _mirrors(prompt: str) -> bool:
    """Does the user write in lower case (a chat reply in kind mirrors the register)?"""
    return prompt.islower() and sum(c.isalpha() for c in prompt[:200]) >= 8


def _copied(text: str, prompt: str) -> bool:
    """Does the answer repeat this text of the prompt ("Hello, World!" for a program printing it)?"""
    text = text.strip()
    return len(text) >= 2 and text in prompt


def language(answer: str, prompt: str, convention: str) -> str | None:
    """The language (CLD2 code) an answer is written in where it is not the convention's and its
    prompt does not account for it; None when the answer keeps the convention, is too short or
    mixed for a confident guess, or answers in its prompt's language or the one it asks for."""
    text = prose(answer)
    found = style.detect(text.encode("utf-8", "surrogatepass"))
    if not found or any(code == convention and share >= 20 for code, share in found):
        return None
    top = found[0][0]
    if convention in _CJK and top not in _CJK and (_cjk_share(text) >= 0.25 or _cjk_share(text.lstrip().split("\n")[0]) >= 0.5):
        return None  # Chinese prose around English names, titles and terms
    if convention in _CJK and top not in _CJK and _SENTENCE.search(prompt) and any(q in answer for q in _QUOTED.findall(prompt)):
        return None  # "用“opulent”造句" (use 'opulent' in a sentence): the sentence is in the word's language
    asked = style.detect(prose(prompt).encode("utf-8", "surrogatepass"), strict=False, hint=top)
    if asked and asked[0][0] == top:
        return None
    names = style.LANGUAGE_NAMES.get(top, "").split(" (")[0]
    extra = _NAMES.get(top)
    if _TRANSLATE.search(prompt) or names and re.search(rf"\b{names}\b", prompt, _I) or extra and re.search(extra, prompt, _I):
        return None
    return top


_SENTENCE = re.compile(r"句|\bsentences?\b", _I)
_QUOTED = re.compile(r"[“\"‘']([A-Za-z][A-Za-z '-]{1,40}[A-Za-z])[”\"’']")
_CJK = frozenset({"zh", "zh-Hant", "ja", "ko"})
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def _cjk_share(text: str) -> float:
    """CJK characters' share of the letters, by UTF-8 bytes (3 a CJK character, 1 a Latin letter)."""
    head = text[:style.LANGUAGE_BYTES]
    cjk = 3 * len(_CJK_CHAR.findall(head))
    return cjk / max(1, cjk + len(_LATIN.findall(head)))


_INLINE = re.compile(r"`{1,3}[^`\n]*`{1,3}|https?://\S+")


def prose(text: str) -> str:
    """The text without its fenced code, inline code, URLs and lines that read as code."""
    text = _INLINE.sub(" ", style.without_fences(text))
    return "\n".join(line for line in text.split("\n")
                     if not line.strip() or not (style.is_code(line.strip()) or _JSON_LINE.match(line)))


_JSON_LINE = re.compile(r'\s*(?:[{}\[\]],?\s*$|"[^"\n]*"\s*:)')  # a line of a JSON document
