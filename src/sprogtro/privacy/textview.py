"""A light token view of a text, shared by the recognizers of one document (built once per text).

No spaCy: a regex tokenizer that keeps hyphenated names ("Anne-Marie", "Hansen-Nielsen") and
apostrophes of possessives apart, plus the one fact name detection needs most, whether a token
starts a sentence (Danish capitalises proper nouns only, so a capital inside a sentence is evidence).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from sprogtro.corpus.document import Turn

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
# What may stand between a sentence end (or line start) and the next sentence's first word.
_OPENERS = set(" \t\"'«»“”‘’([{*•–—-")
_ENDERS = set(".!?:;\n")
_ABBREV = re.compile(r"(?:\b(?:hr|fr|frk|dr|ca|kl|nr|tlf|bl\.a|f\.eks|evt|jf|mht|vedr|pga|inkl|ang|st|mv|osv|dvs)\.)$", re.I)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    initial: bool  # first word of a sentence, a line, a list item or an utterance

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass
class TextView:
    """Tokens of ``text`` and document-level facts (transcript, mostly lower-case)."""

    text: str
    turns: list[Turn] = field(default_factory=list)

    @cached_property
    def tokens(self) -> list[Token]:
        out: list[Token] = []
        starts = {t.start for t in self.turns}
        for m in WORD.finditer(self.text):
            out.append(Token(m.start(), m.end(), m.group(), self._initial(m.start(), starts)))
        return out

    def _initial(self, pos: int, turn_starts: set[int]) -> bool:
        if pos in turn_starts:
            return True
        i = pos - 1
        while i >= 0 and self.text[i] in _OPENERS:
            i -= 1
        if i < 0:
            return True
        ch = self.text[i]
        if ch in _ENDERS:
            return not (ch == "." and _ABBREV.search(self.text[max(0, i - 6) : i + 1]))
        return ch == ")" and _line_start(self.text, i - 1)

    @cached_property
    def index_at(self) -> dict[int, int]:
        """Token index by start offset."""
        return {t.start: k for k, t in enumerate(self.tokens)}

    @cached_property
    def starts(self) -> list[int]:
        return [t.start for t in self.tokens]

    def token_after(self, pos: int) -> int | None:
        """Index of the first token starting at or after ``pos``."""
        k = bisect.bisect_left(self.starts, pos)
        return k if k < len(self.tokens) else None

    @cached_property
    def lowercase_mode(self) -> bool:
        """True for transcripts and texts written mostly in lower case (automatic transcription)."""
        if self.turns:
            return True
        firsts = [t for t in self.tokens if t.initial]
        if len(firsts) < 3:
            return False
        return sum(1 for t in firsts if not t.capitalised) / len(firsts) > 0.5

    def line_of(self, pos: int) -> tuple[int, int]:
        """Start and end offsets of the line holding ``pos``."""
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        return start, (len(self.text) if end < 0 else end)


def _line_start(text: str, i: int) -> bool:
    """True when ``text[i]`` ends a list number ("1)", "a)") that starts a line."""
    j = i
    while j >= 0 and text[j].isalnum():
        j -= 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return j < i and (j < 0 or text[j] == "\n")
