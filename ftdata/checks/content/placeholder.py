"""CNT001: an unfilled template placeholder (`{{name}}`, `[Your Name]`, `<insert ...>`, TODO, lorem ipsum)."""
from __future__ import annotations

import re
from typing import Iterator

from ftdata.checks.base import RecordCheck
from ftdata.checks.content._placeholder_words import CJK_SLOT, CJK_WORDS, HERE, SLOT, WORDS
from ftdata.checks.content._text import around, field_at, in_code, joined, looks_like_code, prompts, texts, turn_of
from ftdata.model import Finding, Message, Record, Severity

# (gate, pattern) per kind: a substring test first, then a pattern that starts with a literal,
# which the regex engine finds by fast search (one alternation over all kinds is 5x slower)
PATTERNS = {
    "braces": ("{", re.compile(r"\{\{\s*[A-Za-z_][\w .-]{0,40}?\s*\}\}")),
    # an instruction to fill in, in any turn: "[TARGET LANGUAGE]", "[insert topic here]", "[插入主题]", "<在此输入…>"
    "slot": ("[", SLOT),
    "cjk_slot": ("", CJK_SLOT),
    "here": ("[", HERE),
    "brackets": ("[", re.compile(rf"\[(?i:{WORDS})\b[\w '’/-]{{0,40}}\](?!\()")),
    "cjk_brackets": ("[", CJK_WORDS),
    "angle": ("<", re.compile(r"<(?i:insert|your|enter|add|fill in|placeholder)\b[^<>\n]{0,40}>")),
    "todo": ("TODO", re.compile(r"\bTODO\b")),
    "fixme": ("FIXME", re.compile(r"\bFIXME\b")),
    "lorem": ("ipsum", re.compile(r"\b[Ll]orem ipsum\b")),
}
# words in a record that make template syntax or filler text the subject, not a leftover
_ABOUT_TEMPLATES = re.compile(r"templat|jinja|handlebars|mustache|liquid|django|flask|vue|angular|ansible|helm|twig"
                              r"|nunjucks|jekyll|hugo|shopify|svelte|interpolat|render|placeholder|\{%|lorem"
                              r"|fill[- ]in|form letter|mail merge|模板|模版|占位符|テンプレート|템플릿", re.IGNORECASE)
# template code rather than a generation slot: a dotted or piped reference, a tag, a block statement
_TEMPLATE_CODE = re.compile(r"\{\{\s*[\w-]+(?:\.[\w-]+)+\s*\}\}|\{%|\{\{[^}\n]*\|[^}\n]*\}\}"
                            r"|</?[A-Za-z][\w-]*(?:\s[^<>\n]*)?>")
_GATES = tuple(gate for gate, _ in PATTERNS.values() if gate) + ("【", "＜", "〈")
_CJK_OPEN = ("[", "【", "<", "＜", "〈")  # the brackets a CJK slot opens with
# what a match may not follow: "${{ github.x }}" is a CI expression, "items[name]" indexing (tested
# in Python: a lookbehind in front of a pattern would cost the engine its fast literal search)
_NOT_AFTER = {"braces": "$#%", "brackets": "_])[", "slot": "_])[", "here": "_])[", "cjk_brackets": "_])["}
# prompts asking for something the user will complete and send, where "[Your Name]" slots are the
# convention: a letter, an email, a post, an ad, a pitch, or anything they ask to have written
_DRAFT = re.compile(r"\b(?:letter|e-?mail|message|note|invitation|invite|announcement|speech|toast|post|advert|ad|"
                    r"press release|job (?:description|posting|ad)|form|card|memo|newsletter|reply|script|bio|"
                    r"resume|cv|signature|greeting|welcome|pitch|proposal|call for papers|page|template)s?\b"
                    r"|\b(?:write|draft|compose|pen|create|design|prepare|generate|produce)\b"
                    r"|\b(?:carta|correo|mensaje|mensagem|lettre|courriel|Brief|Nachricht|письмо)\b"
                    r"|写|撰写|起草|草拟|拟一|生成|创作|创建|设计|编写|制作|邮件|封信|信件|求职信|推荐信|感谢信|邀请函|脚本|收据|通知|简历"
                    r"|文案|广告|邀请|演讲|公告"
                    r"|書いて|作成|手紙|メール|작성|편지|이메일", re.IGNORECASE)
_COMMENT = re.compile(r"//|#|/\*|<!--|--|\*")  # a TODO in a code comment quoted in prose
_KINDS = {"braces": "template variable", "slot": "placeholder", "cjk_slot": "placeholder", "here": "placeholder",
          "brackets": "bracketed placeholder", "cjk_brackets": "bracketed placeholder", "angle": "placeholder",
          "todo": "TODO marker", "fixme": "FIXME marker", "lorem": "lorem ipsum filler"}
# users paste forms with "[Your Name]" and their own TODOs; an instruction to fill in is a broken prompt
_ANY_ROLE = frozenset({"braces", "angle", "slot", "cjk_slot"})
_SLOTS = frozenset({"brackets", "cjk_brackets", "slot", "cjk_slot", "here"})  # a document's slots, for _DRAFT


def _excused(text: str, start: int, end: int, kind: str) -> bool:
    """Is the match at `start` code or a label rather than a leftover: after "$" or a name (an
    expression, an index), in a code span, a TODO in a quoted code comment, a bracketed label
    heading its line ("[PROMPT]" then the prompt), or template code such as `{{ user.name }}`?"""
    before = text[start - 1:start]
    if before and (before in _NOT_AFTER.get(kind, "") or kind in ("brackets", "slot") and before.isalnum()):
        return True
    if kind in ("todo", "fixme") and _COMMENT.search(text, text.rfind("\n", 0, start) + 1, start):
        return True
    if kind == "slot" and (start == 0 or text[start - 1] == "\n") and text[end:end + 1] in ("", "\n", ":"):
        return True
    if kind == "braces" and _TEMPLATE_CODE.search(text) is not None:
        return True
    return in_code(text, start)


class Placeholder(RecordCheck):
    """A turn holds an unfilled template placeholder: `{{name}}`, `[Your Name]`,
    `<insert date>`, `[TARGET LANGUAGE]`, `[插入主题]`, a TODO or FIXME marker, or lorem ipsum filler.

    What it does: finds these in every turn, outside code (fenced blocks, inline code, or an
    answer that is code), and leaves records that are about templates or filler text alone
    (they mention Jinja, Handlebars, Vue, Helm, "template", "render", "placeholder", "lorem" and
    the like), and `{{ }}` in a turn that is template code (`{{ user.name }}`, `{% for %}`,
    HTML tags). Instructions to fill in ("[insert topic here]", "[TARGET LANGUAGE]",
    "[PROMPT]" inside a sentence, "<在此输入…>") count in every turn, since a prompt template
    left unfilled is a broken prompt; other bracketed slots ("[Your Name]", "[Nombre]",
    "[Ihr Name]", "[您的姓名]") and TODOs count in answers and system prompts only, as a user
    may paste a form to fill in. Slots in an answer are left alone when the prompt asks to have
    something written, drafted or designed (a letter, an email, an ad, a page): there they are
    the convention. Rejected answers of preference data are judged for `{{ }}` only.
    Languages: bracketed slots in English, Spanish, French, German, Portuguese, Russian,
    Chinese, Japanese and Korean; legitimate brackets (citations `[1]`, links, `arr[i]`,
    `[Verse 1]`, `[SOUND]`, checkboxes, Chinese 【】 headings) are not placeholders.
    Why it matters: a generation template filled in part, or a draft never finished, teaches
    the model to answer with `{{name}}` or "[Your Name]" instead of the content.
    Example: `{"output": "I am {{name}}, an AI assistant developed by {{author}}."}`.
    Options: none.
    """

    code = "CNT001"
    name = "placeholder"
    category = "content"
    severity = Severity.WARNING

    def check(self, record: Record) -> Iterator[Finding]:
        whole = joined(record)
        if not any(gate in whole for gate in _GATES):
            return
        about: bool | None = None
        draft: bool | None = None
        conversation = len(record.messages)  # the turns after it are the rejected alternative's own
        for position, message in enumerate(texts(record)):
            text = message.content
            hits = [(kind, pattern) for kind, (gate, pattern) in PATTERNS.items()
                    if (gate in text if gate else not text.isascii() and any(b in text for b in _CJK_OPEN))]
            if not hits:
                continue
            code: bool | None = None
            rejected = position >= conversation
            matches = sorted(((m, kind) for kind, pattern in hits for m in pattern.finditer(text)),
                             key=lambda hit: hit[0].start())
            for match, kind in matches:
                if message.role == "user" and kind not in _ANY_ROLE or rejected and kind != "braces":
                    continue
                if _excused(text, match.start(), match.end(), kind):
                    continue
                if code is None:
                    code = looks_like_code(text)
                if about is None:
                    about = any(_ABOUT_TEMPLATES.search(t) for t in prompts(record))
                if code or about:
                    break
                if kind in _SLOTS and message.role != "user":
                    if draft is None:
                        draft = any(_DRAFT.search(t) for t in prompts(record))
                    if draft:
                        continue
                yield self._finding(record, message, match, kind)
                break  # one finding per turn: the first placeholder names the defect

    def _finding(self, record: Record, message: Message, match: re.Match[str], kind: str) -> Finding:
        pointer, _ = field_at(record, message, match.start())
        return self.finding(f"{turn_of(record, message).label} has an unfilled {_KINDS[kind]} {match.group()!r}",
                            record, pointer, around(message.content, match.start(), match.end()))
