"""What every recognizer shares: the :class:`Hit` it returns and a pattern-recognizer base.

The Presidio split: a recognizer only *detects* (offsets, entity type, score and why); operators
replace. Pattern recognizers declare named, graded patterns and context words at class level and may
adjust a score in :meth:`PatternRecognizer.validate`, which lowers or raises confidence; returning
``None`` drops the match (used only for shapes that cannot be the entity, never for a failed checksum).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import ClassVar

from sprogtro.privacy.lexicon import NameLexicon, name_lexicon
from sprogtro.privacy.textview import TextView

CONTEXT_WINDOW = 40  # characters before a match searched for context words
CONTEXT_BOOST = 0.25


@dataclass(frozen=True)
class Hit:
    """One detected identifier: ``text[start:end]`` is of ``entity_type`` with confidence ``score``.

    ``recognizer`` and ``pattern`` name the rule that fired and ``explanation`` says why, so over- and
    under-redaction can be debugged without printing the matched text.
    """

    start: int
    end: int
    entity_type: str
    score: float
    recognizer: str
    pattern: str
    explanation: str = ""

    def overlaps(self, other: "Hit") -> bool:
        return self.start < other.end and other.start < self.end

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Pattern:
    name: str
    regex: str
    score: float


class Recognizer:
    """Base class: ``analyze(view)`` returns hits for one text."""

    name: ClassVar[str] = "recognizer"
    entity_type: ClassVar[str] = ""
    uses_known: ClassVar[bool] = False  # True: results depend on the known names (re-run after propagation)

    def analyze(self, view: TextView, known: Collection[str] = ()) -> list[Hit]:  # pragma: no cover - interface
        raise NotImplementedError

    def hit(self, start: int, end: int, score: float, pattern: str, why: str = "", entity: str | None = None) -> Hit:
        return Hit(start, end, entity or self.entity_type, round(min(1.0, score), 3), self.name, pattern, why)


class LexiconRecognizer(Recognizer):
    """A recognizer that consults the name lexicon (the shared one unless another is given)."""

    def __init__(self, lexicon: NameLexicon | None = None) -> None:
        self._lexicon = lexicon

    @property
    def lexicon(self) -> NameLexicon:
        return self._lexicon or name_lexicon()


class PatternRecognizer(Recognizer):
    """Regex patterns with graded scores, context words that raise the score, and a validation hook."""

    patterns: ClassVar[tuple[Pattern, ...]] = ()
    context: ClassVar[tuple[str, ...]] = ()
    deny_context: ClassVar[tuple[str, ...]] = ()  # words before a match that mean "not this entity"
    flags: ClassVar[int] = re.UNICODE

    def __init__(self) -> None:
        self._compiled = [(p, re.compile(p.regex, self.flags)) for p in self.patterns]
        self._context = _word_regex(self.context)
        self._deny = _word_regex(self.deny_context)

    def analyze(self, view: TextView, known: Collection[str] = ()) -> list[Hit]:
        text = view.text
        hits: list[Hit] = []
        for pattern, regex in self._compiled:
            for m in regex.finditer(text):
                before = text[max(0, m.start() - CONTEXT_WINDOW) : m.start()].lower()
                if self._deny is not None and self._deny.search(before[-16:]):
                    continue
                score = self.validate(m, pattern.score)
                if score is None:
                    continue
                why = f"pattern {pattern.name} ({pattern.score:.2f})"
                if self._context is not None and self._context.search(before):
                    score += CONTEXT_BOOST
                    why += f", context word +{CONTEXT_BOOST:.2f}"
                hits.append(self.hit(*self.span(m), score, pattern.name, why))
        return hits

    def span(self, match: re.Match) -> tuple[int, int]:
        """The offsets to replace (a named group ``v`` when the pattern has one)."""
        if "v" in match.re.groupindex:
            return match.start("v"), match.end("v")
        return match.start(), match.end()

    def validate(self, match: re.Match, score: float) -> float | None:
        """Adjust ``score`` for this match; ``None`` drops it."""
        return score


def _word_regex(words: tuple[str, ...]) -> re.Pattern | None:
    if not words:
        return None
    alts = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:{alts})(?![^\W\d_])", re.UNICODE)
