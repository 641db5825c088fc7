"""``sprogtro_lemmas``: fills the gaps of spaCy's lookup lemmatizer in the offline fallback pipeline.

spaCy's ``lemmatizer`` in lookup mode (table from spacy-lookups-data) returns the word itself when the
word is not in the table. After it, this component tries, in order: the lower-case form
("Borgeren" → "borger"), the longest known compound head ("rygsmerterne" → "ryg" + "smerte"), and
simplemma for anything else. Results are cached per word, so the cost stays flat on long corpora.
"""

from __future__ import annotations

from typing import Iterable

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc

MIN_HEAD = 4  # shortest compound head worth trusting
MIN_MODIFIER = 2


class FallbackLemmatizer(Pipe):
    """Lower-case and compound fallback for lookup lemmas."""

    def __init__(self, nlp: Language, name: str = "sprogtro_lemmas", *, overwrite: bool = False,
                 compounds: bool = True, cache_size: int = 200_000) -> None:
        self.nlp = nlp
        self.name = name
        self.overwrite = overwrite
        self.compounds = compounds
        self.cache_size = cache_size
        self._cache: dict[str, str] = {}
        self._table = None
        self._simplemma = None

    @property
    def table(self):
        if self._table is None:
            table = {}
            if "lemmatizer" in self.nlp.pipe_names:
                lookups = self.nlp.get_pipe("lemmatizer").lookups
                if lookups.has_table("lemma_lookup"):
                    table = lookups.get_table("lemma_lookup")
            self._table = table
        return self._table

    def lemma(self, text: str) -> str:
        """The lemma of one word, lower-cased."""
        hit = self._cache.get(text)
        if hit is not None:
            return hit
        lower = text.lower()
        table = self.table
        lemma = table.get(text) or table.get(lower)
        if lemma is None and self.compounds and lower.isalpha():
            lemma = self._compound(lower)
        if lemma is None:
            lemma = self._simple(lower)
        lemma = lemma.lower()
        if len(self._cache) < self.cache_size:
            self._cache[text] = lemma
        return lemma

    def _compound(self, lower: str) -> str | None:
        table = self.table
        for k in range(MIN_MODIFIER, len(lower) - MIN_HEAD + 1):
            head = lower[k:]
            lemma = table.get(head)
            if lemma is not None:
                return lower[:k] + lemma
        return None

    def _simple(self, lower: str) -> str:
        if self._simplemma is None:
            try:
                import simplemma

                self._simplemma = simplemma
            except ImportError:  # pragma: no cover - simplemma is a core dependency
                self._simplemma = False
        if self._simplemma:
            try:
                return self._simplemma.lemmatize(lower, lang="da")
            except Exception:  # noqa: BLE001 - a lemma is a nicety, never a failure
                return lower
        return lower

    def __call__(self, doc: Doc) -> Doc:
        """Set ``token.lemma_`` where the lookup lemmatizer left the word unchanged (or always, with overwrite)."""
        error_handler = self.get_error_handler()
        try:
            for token in doc:
                if self.overwrite or not token.lemma or token.lemma_ == token.text:
                    token.lemma_ = self.lemma(token.text)
        except Exception as exc:  # noqa: BLE001
            error_handler(self.name, self, [doc], exc)
        return doc

    def to_disk(self, path, *, exclude: Iterable[str] = ()) -> None:
        """Nothing to save: the table belongs to the ``lemmatizer`` before this component."""

    def from_disk(self, path, *, exclude: Iterable[str] = ()):
        return self
