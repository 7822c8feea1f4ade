"""The fast gates of unseen-context (CNT007) and refusal (CNT003) say exactly what the plain
tests they stand in for say (or, where they stand in front of a pattern, never turn away a text
the pattern matches), on real prompts and answers and on texts built to hit each stem."""
from __future__ import annotations

import re

import pytest

import ftdata
from ftdata.checks.content import _refusal_phrases as P
from ftdata.checks.content import refusal as R
from ftdata.checks.content import unseen_context as U
from independent import DATASETS

# every stem of the gates, in the cases a text may hold them, alone and inside words
_STEMS = ("mage", "://", "ictur", "hoto", "ideo", "udio", "ttach", "pload", "creensho", "hart", "igure", "iagra",
          "raph", "ecord", "scan", "ound clip", "nclos", "ccompan", "rawing", "ainting", "llustrat", "ortrait",
          "ummar", "escri", "roofread", "naly", "eview", "xplain", "ranslat", "aption", "nterpret", "rate", "ritiq",
          "hat ", "ho ", "book", "hapter", "rticle", "ssay", "aper", "eport", "ocument", "pdf", "file", "clip", "song",
          "lide", "preadsheet", "text", "assage", "rtwork", "oster", "nfographic", "map", "able", "esta ", "Esta ",
          "este ", "Este ", "cette ", "Cette ", " ce ", "Ce ", "dieses ", "Dieses ", "diesem ", "Diesem ", "Anhang",
          "adjunt", "joint", "图", "附", "这幅", "这篇", "视频", "照片", "音频", "录音", "imagen", "vídeo", "gráfico",
          "pièce", "schéma", "angehängt", "sta ", "ste ", "ette ", "ce ", "iese")
_SYNTHETIC = (
    [f"Please look {s} now." for s in _STEMS] + [f"{a} and {b}" for a in _STEMS[:40] for b in _STEMS[20:60]]
    + [s.upper() for s in _STEMS] + ["", " ", "Summarize the book.", "What does this chart show?",
                                     "SUMMARIZE THE BOOK.", "Describe this image, what is in it?",
                                     "Describe the attached photo in one sentence.", "描述这张图片", "esta imagen",
                                     "Read the article at https://example.com and summarise it.",
                                     "Draw me a picture of a cat.", "DRAW ME A PICTURE OF A CAT."])


def _real_texts(limit: int = 4000) -> list[str]:
    if not DATASETS.is_dir():
        return []
    out: list[str] = []
    for name in ("llama_factory/alpaca_en_demo.json", "llama_factory/alpaca_zh_demo.json", "lima/lima.json",
                 "oasst1_zh/oaast_sft_zh.json", "llama_factory/glaive_toolcall_en_demo.json",
                 "fastchat/dummy_conversation.json"):
        path = DATASETS / name
        if path.exists():
            for record in ftdata.records(str(path)):
                out += [m.content for m in record.messages]
    return out[:limit]


TEXTS = _SYNTHETIC + _real_texts()


def _windows(texts: list[str]) -> list[str]:
    return [w for t in texts for _, w in U._windows(t)]


def test_unseen_context_gates_equal_the_plain_tests() -> None:
    for window in _windows(TEXTS):
        expected = (U._gated(window), U._this_gated(window), U._foreign_gated(window))
        assert tuple(U._gates(window, False)) == expected, window
        assert tuple(U._gates(window, True)) == expected, window  # remembered, the same
        assert tuple(U._gates(window, True)) == expected, window


@pytest.mark.parametrize("pattern", [U.URL_TASK, U.THIS_THING, U.MAKE_MEDIA, U.ATTACHED, U.FOREIGN])
def test_unseen_context_never_skips_a_window_the_pattern_matches(pattern: re.Pattern[str]) -> None:
    matched = [w for w in _windows(TEXTS) if pattern.search(w)]
    assert matched  # the texts above do reach each pattern
    assert all(U._may_match(pattern, w) for w in matched)


def test_refusal_gate_equals_the_single_pattern() -> None:
    old = re.compile(r"I(?:'m|’m| am| can| won| will| must| apolog| do| don| currently)|AI|[Ss]orry|pologi|"
                     r"decline|refuse|language model|my (?:programming|guidelines|policies|ethical|knowledge|training)|"
                     r"appropriate for me|intelligence|ANGUAGE MODEL|AS AN|I'M|I AM|OpenAI|ChatGPT|GPT-")
    heads = [t[:600] for t in TEXTS] + ["I'm sorry", "Sorry, no", "my training data", "my  training", "I AM AN AI",
                                        "it is not appropriate for me", "worry not", "As an AI language model, I"]
    for head in heads:
        assert R._gated(head) == (old.search(head) is not None), head


def test_european_keys_written_out_equal_the_key_list() -> None:
    texts = TEXTS + [f"x {k} y" for k in P.EUROPEAN_KEYS] + ["Eu não posso", "je n’ai pas"]
    for text in texts:
        assert P.european(text) == any(k in text for k in P.EUROPEAN_KEYS), text
        if text.isascii():
            assert P.european_ascii(text) == P.european(text), text


def test_opener_gate_never_turns_away_a_formula() -> None:
    heads = [t[:600] for t in TEXTS] + ["As an AI, I suggest tea.", "AS AN AI LANGUAGE MODEL, I think so.",
                                        "As A Large Language Model, I would say yes.", "作为一个AI助手，我建议",
                                        "— as an artificial intelligence, I prefer"]
    # the substring test refusal.py always made before the pattern (it misses "As A Large ...")
    matched = [h for h in heads if ("s a" in h or "S A" in h or "作" in h or "身为" in h) and P.OPENER.search(h)]
    assert len(matched) >= 4
    assert all(R._opener_gated(h) for h in matched)
    assert not R._opener_gated("This is a plain answer about gardening.")
