"""Token-level name evidence shared by the person recognizers: what kind of name-token a token is,
and how far a multi-part name ("Mette Kirkegaard", "Ahmed bin Ali", "Anne-Marie Hansen-Nielsen",
"M. Jensen") runs from a token.

Kinds, from strongest: ``strong`` (a gazetteer name that is not an ordinary word, or a name already
known in this document), ``weak`` (a gazetteer name that is also an ordinary word: Bo, Storm, Rask),
``unknown`` (a capitalised token that is no ordinary Danish word, place or listed non-name), ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from sprogtro.privacy.lexicon import NameLexicon
from sprogtro.privacy.textview import TextView, Token

STRONG, WEAK, UNKNOWN = "strong", "weak", "unknown"
PARTICLES = frozenset({"bin", "ibn", "bint", "al", "el", "abu", "ben", "van", "von", "der", "den", "de", "da", "di", "du", "la", "le", "ter"})
_VOWEL_END = re.compile(r"[aeiouyæøå]$")
_INITIAL_GAP = re.compile(r"\.\s?$")


class NameEvidence:
    """Classifies tokens of one :class:`TextView` against a :class:`NameLexicon` and known names."""

    def __init__(self, view: TextView, lexicon: NameLexicon, known: Collection[str] = ()):
        self.view = view
        self.lex = lexicon
        self.known = known

    def kind(self, token: str, *, lower_ok: bool = False) -> str | None:
        """The name kind of ``token`` (hyphenated tokens by their parts)."""
        if "-" in token:
            parts = [p for p in token.split("-") if p]
            if parts and parts[0].lower() in PARTICLES and len(parts) > 1:
                parts = parts[1:]
            kinds = [self._kind_simple(p, lower_ok) for p in parts]
            if STRONG in kinds and token[:1].isupper():
                return STRONG  # "Super-Pedersen", "Anne-Marie"
            if any(k is None for k in kinds):
                return None
            return STRONG if STRONG in kinds else WEAK if WEAK in kinds else UNKNOWN
        return self._kind_simple(token, lower_ok)

    def _kind_simple(self, token: str, lower_ok: bool) -> str | None:
        if len(token) < 2:
            return None
        title = token[0].upper() + token[1:].lower() if token.isupper() or token.islower() else token
        if token.islower() and not lower_ok:
            return None
        if title in self.known:
            return STRONG
        lex = self.lex
        if lex.is_name(title):
            return WEAK if lex.is_name_word(title) else STRONG
        if token.islower() or token.isupper() or title in lex.not_names or title in lex.places:
            return None
        if lex.is_word(token.lower()):
            return None
        return UNKNOWN

    def possessive_stem(self, token: str, *, lower_ok: bool = False) -> str | None:
        """``"Mettes"`` → ``"Mette"`` when the stem is a name and the whole token is not. An unknown
        stem counts only when it ends in a vowel ("Jovanas") and the token is no word or place."""
        if len(token) < 4 or not token.endswith("s"):
            return None
        whole = self.kind(token, lower_ok=lower_ok)
        if whole in (STRONG, WEAK) or token in self.lex.places or token in self.lex.not_names:
            return None
        stem = token[:-1]
        kind = self.kind(stem, lower_ok=lower_ok)
        if kind in (STRONG, WEAK):
            return stem
        if whole == UNKNOWN and kind == UNKNOWN and _VOWEL_END.search(stem) and len(stem) >= 3:
            return stem
        return None

    def run_from(self, idx: int, *, lower_ok: bool = False, allow_words: bool = False) -> tuple[int, int, list[str]]:
        """The name run starting at token ``idx``: (start offset, end offset, kinds of its tokens).

        Tokens join when separated by one space (or ". " after an initial), with particles between.
        The run stops after a possessive ("Mette Jensens"), whose ``s`` is left outside the span.
        ``allow_words`` lets capitalised ordinary words join (after "fru", "hedder"…); they always join
        right after a name ("Mogens Lykketoft").
        """
        tokens = self.view.tokens
        text = self.view.text
        kinds: list[str] = []
        start = end = tokens[idx].start
        k = idx
        while k < len(tokens):
            tok = tokens[k]
            if kinds and not self._joins(text[end : tok.start], tokens[k - 1]):
                break
            if tok.text.lower() in PARTICLES and kinds and k + 1 < len(tokens) and tokens[k + 1].capitalised:
                after = tokens[k + 1]
                nxt = self.possessive_stem(after.text) or self._token_kind(after, False, allow_words)
                if text[tok.end : after.start] != " " or nxt is None:
                    break
                end = tok.end
                k += 1
                continue
            stem = self.possessive_stem(tok.text, lower_ok=lower_ok)
            after_name = bool(kinds) and kinds[-1] in (STRONG, WEAK)
            kind = None if stem else self._token_kind(tok, lower_ok, allow_words or after_name)
            if kind is None and stem is None:
                if len(tok.text) == 1 and tok.capitalised and text[tok.end : tok.end + 1] == ".":
                    kinds.append("initial")
                    end = tok.end + 1
                    k += 1
                    continue
                break
            if stem is not None:
                kinds.append(self.kind(stem, lower_ok=lower_ok) or UNKNOWN)
                end = tok.start + len(stem)
                break
            kinds.append(kind)
            end = tok.end
            k += 1
        return start, end, kinds

    def _token_kind(self, tok: Token, lower_ok: bool, allow_words: bool) -> str | None:
        kind = self.kind(tok.text, lower_ok=lower_ok)
        lex = self.lex
        if (kind is None and allow_words and tok.capitalised and not tok.text.isupper() and len(tok.text) > 1
                and tok.text not in lex.not_names and tok.text not in lex.places):
            return WEAK  # a capitalised word after a name or a naming cue: "Mogens Lykketoft", "hr. Rask"
        return kind

    @staticmethod
    def _joins(gap: str, previous: Token) -> bool:
        return gap == " " or (len(previous.text) == 1 and bool(_INITIAL_GAP.match(gap)))
