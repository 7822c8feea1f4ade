"""Words by how they end a sentence, for truncated-answer (CNT004): the words no sentence ends with,
those that end one only after certain words, and those that begin one."""
from __future__ import annotations

import re

# words that never end a sentence: articles, conjunctions, possessive determiners
DANGLING = frozenset("a an the and or but nor because although whereas unless than my your our their its every".split())
# Words that rarely end one, judged only where the answer's other sentences end in punctuation and
# not at the end of a question ("Anything else I can help you with"). Each with the words before
# it that make it a fine ending: a stranded preposition ("what it is made of", "looking for"),
# verb-phrase ellipsis ("if you want to", "as soon as you can"), an idiom ("like that").
_VERBISH = frozenset("ask asked look looked looking wait waited pay paid care stand go went come came get got "
                     "deal dealt play work agree talk talked think thought hear heard known".split())
_PRONOUNS = frozenset("i you he she it we they there this that who one".split())
WEAK_DANGLING: dict[str, frozenset[str]] = {
    "of": frozenset("made afraid aware proud sure capable tired fond scared ashamed dream dreamed consist consists "
                    "composed kind sort out rid".split()) | _VERBISH,
    "to": frozenset("want wants wanted need needs have has had going love like ought able supposed used try tried "
                    "hope plan mean meant wish refer listen".split()) | _VERBISH,
    "for": frozenset("account responsible grateful thankful known here there hoping searching".split()) | _VERBISH,
    "with": frozenset("familiar comfortable happy satisfied fine okay ok done along up start started".split())
    | _VERBISH,
    "from": frozenset("choose recover suffer away apart benefit learn".split()) | _VERBISH,
    "into": frozenset("run ran turn turned break broke fit bump".split()) | _VERBISH,
    "at": frozenset("good bad great better best aim laugh laughed stare arrive arrived".split()) | _VERBISH,
    "onto": _VERBISH, "as": frozenset("such same well so".split()),
    "that": frozenset("like after about of with for than all and is do did know that this by on in to from at just "
                      "not said say think".split()),
    "which": frozenset("know decide choose tell".split()), "who": frozenset("know guess look tell".split()),
    "if": frozenset("as what even only".split()), "very": frozenset(), "i": frozenset("and than".split()),
    "we": frozenset("than and".split()), "they": frozenset("than and are".split()), "he": frozenset("than and".split()),
    "she": frozenset("than and".split()),
}
# auxiliaries end a sentence after a pronoun ("as soon as you can", "that's how it is"), not after a noun
_AUXILIARIES = frozenset("is are was were have has had will would can could should shall may might must".split())
# particles end one after a verb ("log in", "carry on"): only after a comma, a conjunction or "be"
_PARTICLES = frozenset("in on by about through".split())
_BEFORE_PARTICLE = frozenset("and but or nor are is was were be".split())
CONTRACTION = re.compile(r"['’](?:d|ll|re|ve|m)\Z", re.IGNORECASE)  # "I’d", "you're": never last
_PREPOSITIONS = frozenset("of to for with from into onto at".split())
WEAK = frozenset(WEAK_DANGLING) | _AUXILIARIES | _PARTICLES
QUESTION_START = frozenset("is are was were do does did can could would will should shall may might what who whom "
                           "which where when why how anything any".split())
# words that begin a sentence and cannot end it two words later ("While Bitcoin", "If they"), unlike
# a label, a name or a sign-off after the last full stop ("Science and Technology", "Thank You")
STARTERS = frozenset("the a an this that these those it its i i'd i’d i'm i’m we you he she they there if when while "
                     "although though because since as for and but or so in on at to with by from of after before "
                     "during however also then my your our their his her what which who how why where some many "
                     "most one each every all no not once unlike just".split())


def weak_ending(previous: str, word: str) -> bool:
    """Can't `word` end a sentence after `previous` (the word before it, as written)?"""
    prev = previous.lower()
    if CONTRACTION.search(word):
        return True
    lower = word.lower()
    if lower in _AUXILIARIES:  # "as soon as you can", "more than you'd have", "I don't know if it is"
        return prev.replace("’", "'").split("'")[0] not in _PRONOUNS and not prev.endswith(("n't", "n’t"))
    if lower in _PARTICLES:
        return prev in _BEFORE_PARTICLE or previous.endswith(",")
    fine = WEAK_DANGLING.get(lower)
    return fine is not None and prev.strip(",") not in fine and not (prev.endswith("ing") and lower in _PREPOSITIONS)
