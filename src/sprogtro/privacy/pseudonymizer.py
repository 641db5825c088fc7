"""Detect and replace: the privacy stage's one entry point for documents and strings.

:class:`Pseudonymizer` runs the :class:`~sprogtro.privacy.analyzer.Analyzer`, applies one operator
per entity type with surrogates from one :class:`~sprogtro.privacy.vault.KeyVault`, keeps possessives
right ("Mettes" → "Hannes", "Lars'" ↔ "Hannes"), re-anchors speaker turns on the new text and
pseudonymizes free-text metadata (extra table columns, speaker names). Counts per entity type are
returned for reports; originals never leave this module except through the vault.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sprogtro.corpus.document import KNOWN_METADATA, Document, Turn
from sprogtro.privacy.analyzer import Analyzer, person_words
from sprogtro.privacy.lexicon import name_lexicon
from sprogtro.privacy.operators import operators_for
from sprogtro.privacy.recognizers import Hit
from sprogtro.privacy.recognizers.speaker import ROLE_WORDS
from sprogtro.privacy.vault import KeyVault

# Metadata that is not free text (or is the reader's own bookkeeping) and stays as it is.
PLAIN_METADATA = frozenset(KNOWN_METADATA) | {"row", "encoding", "source_format", "speaker_roles"}
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_SIBILANT_END = ("s", "x", "z")


@dataclass
class PseudonymizedText:
    """The new text, the hits on the old text, and where each old span went (old start, old end, new
    start, new end), sorted."""

    text: str
    hits: list[Hit]
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)

    @property
    def counts(self) -> Counter:
        return Counter(h.entity_type for h in self.hits)

    def map_offset(self, pos: int, *, end: bool = False) -> int:
        """Where offset ``pos`` of the old text lies in the new text."""
        k = bisect.bisect_right([s[0] for s in self.spans], pos) - 1
        if k < 0:
            return pos
        old_start, old_end, new_start, new_end = self.spans[k]
        if pos >= old_end:
            return pos + new_end - old_end
        return new_end if end and pos > old_start else new_start


@dataclass
class PseudonymizedDocument:
    """What :meth:`Pseudonymizer.process` returns: the new document and counts per entity type."""

    document: Document
    counts: Counter
    names: frozenset[str] = frozenset()  # the person name words found (for the document's file name)


@dataclass
class PseudonymizationResult(Document):
    """What :meth:`Pseudonymizer.pseudonymize` returns: the pseudonymized document itself (use it as a
    :class:`Document`) that also offers the result contract's ``.document`` and ``.counts``."""

    counts: Counter = field(default_factory=Counter)

    @property
    def document(self) -> Document:
        return self


class Pseudonymizer:
    """Replaces identifiers with consistent surrogates (``style="realistic"``) or tags (``"tags"``).

    ``vault`` defaults to :meth:`KeyVault.ephemeral`; pass an opened vault to keep surrogates across
    runs and make them reversible. ``nlp``: a spaCy pipeline whose NER adds evidence (optional).
    """

    def __init__(self, vault: KeyVault | None = None, *, style: str = "realistic", nlp: Any = None,
                 analyzer: Analyzer | None = None) -> None:
        self.vault = vault if vault is not None else KeyVault.ephemeral()
        self.style = style
        self.operators = operators_for(style)
        self.analyzer = analyzer or Analyzer(nlp=nlp)
        self._corpus_names: set[str] = set()  # names found with strong evidence earlier in this run
        self._corpus_orgs: set[str] = set()  # organisation names likewise
        self._full_names: dict[str, str] = {}  # name word → full name it belongs to (tags style)

    def analyze(self, text: str, turns: Sequence[Turn] = (), known: Iterable[str] = ()) -> list[Hit]:
        return self.analyzer.analyze(text, turns, set(known) | self._corpus_names, self._corpus_orgs)

    def pseudonymize_text(self, text: str, turns: Sequence[Turn] = (), known: Iterable[str] = ()) -> PseudonymizedText:
        """Pseudonymize one string (``turns`` label speakers; ``known`` adds names to look for)."""
        hits = self.analyze(text, turns, known)
        lex = name_lexicon()
        strong = [h for h in hits if h.score >= 0.8]
        self._corpus_names |= {w for w in person_words(text, strong) if not lex.is_name_word(w)}
        self._corpus_orgs |= {text[h.start : h.end] for h in hits if h.entity_type == "ORG" and h.score >= 0.7}
        keys = self._person_keys(text, hits)
        with self.vault.avoiding(person_words(text, hits) | set(known)):
            return self._replace(text, hits, keys)

    def _replace(self, text: str, hits: list[Hit], keys: dict[int, str]) -> PseudonymizedText:
        pieces: list[str] = []
        spans: list[tuple[int, int, int, int]] = []
        pos = new_pos = 0
        for hit in hits:
            if hit.start < pos:
                continue
            original = text[hit.start : hit.end]
            operator = self.operators[hit.entity_type]
            key = keys.get(hit.start, original) if self.style == "tags" and hit.entity_type == "PERSON" else original
            surrogate = operator.operate(key, self.vault)
            end = hit.end
            if hit.entity_type == "PERSON":
                surrogate, end = _possessive(text, end, original, surrogate)
            pieces.append(text[pos : hit.start])
            new_pos += hit.start - pos
            pieces.append(surrogate)
            spans.append((hit.start, end, new_pos, new_pos + len(surrogate)))
            new_pos += len(surrogate)
            pos = end
        pieces.append(text[pos:])
        return PseudonymizedText("".join(pieces), hits, spans)

    def process(self, doc: Document) -> PseudonymizedDocument:
        """Pseudonymize a document: text, turns (re-anchored, speaker names replaced) and metadata."""
        result = self.pseudonymize_text(doc.text, doc.turns)
        counts = result.counts
        names = person_words(doc.text, result.hits)
        turns = [self._turn(t, result, names) for t in doc.turns]
        metadata: dict[str, Any] = {}
        for key, value in doc.metadata.items():
            if key == "speaker_roles" and value:
                metadata[key] = self._roles(value, names)
            elif key not in PLAIN_METADATA and isinstance(value, str) and value.strip():
                sub = self.pseudonymize_text(value, known=names)
                counts.update(sub.counts)
                metadata[key] = sub.text
            else:
                metadata[key] = value
        new_doc = replace(doc, text=result.text, turns=turns, metadata=metadata, pseudonymized=True)
        return PseudonymizedDocument(new_doc, counts, frozenset(names))

    def pseudonymize(self, doc: Document) -> PseudonymizationResult:
        """A pseudonymized copy of ``doc``; it is a :class:`Document` and carries ``.counts`` too."""
        result = self.process(doc)
        new = result.document
        return PseudonymizationResult(new.doc_id, new.text, new.metadata, new.turns, new.source_path,
                                      new.pseudonymized, counts=result.counts)

    # -- file and folder names -------------------------------------------------------------------------
    def pseudonymize_path(self, relative_posix_path: str, *, known: Iterable[str] = ()) -> str:
        """The relative posix path with the identifiers in its folder and file names replaced by the
        surrogates the text gets ("aarhus/notat_Mette_Kirkegaard_2023.docx" →
        "aarhus/notat_Abelone_Aagaard_2023.docx"; tags style: "notat_PERSON_1_2023.docx").

        Separators, case style, dates, case numbers, ordinary words, the layout folders and the suffix
        stay. ``known``: name words found in the document's text (``PseudonymizedDocument.names``).
        Call it after the document's text, so tags name the person the text names. Renamed components
        are remembered in the vault: the same path gives the same result with the same key file, and
        :meth:`KeyVault.reidentify_path` maps it back. See :mod:`sprogtro.privacy.paths`.
        """
        from sprogtro.privacy.paths import pseudonymize_path

        return pseudonymize_path(self, relative_posix_path, known)  # type: ignore[return-value]

    def lookup_path(self, relative_posix_path: str) -> str | None:
        """What :meth:`pseudonymize_path` gives, if it needs no new surrogate; else ``None``. Adds nothing
        to the vault (used to recognise documents already done in an earlier run)."""
        from sprogtro.privacy.paths import pseudonymize_path

        return pseudonymize_path(self, relative_posix_path, create=False)

    @property
    def known_names(self) -> frozenset[str]:
        """Name words found with strong evidence earlier in this run."""
        return frozenset(self._corpus_names)

    def full_name(self, word: str) -> str | None:
        """Tags style: the full name a lone name word stands for in this run, if one was seen."""
        return self._full_names.get(word)

    def note_full_name(self, name: str) -> None:
        """Tags style: lone words of ``name`` refer to it from now on (unless they already refer to one)."""
        if len(name.split()) > 1:
            for word in set(name.split()) | set(name.replace("-", " ").split()):
                self._full_names.setdefault(word, name)

    # -- helpers --------------------------------------------------------------------------------------
    def _turn(self, turn: Turn, result: PseudonymizedText, names: set[str]) -> Turn:
        label_start = None if turn.label_start is None else result.map_offset(turn.label_start)
        label_end = None if turn.label_end is None else result.map_offset(turn.label_end, end=True)
        speaker = turn.speaker
        if speaker:
            speaker = self._replace_names(speaker, names)
        return replace(turn, start=result.map_offset(turn.start), end=result.map_offset(turn.end, end=True),
                       label_start=label_start, label_end=label_end, speaker=speaker)

    def _replace_names(self, value: str, names: set[str]) -> str:
        """Replace the known name words in a short string (a speaker label) with their surrogates."""
        def sub(m: re.Match) -> str:
            word = m.group()
            if word.lower() in ROLE_WORDS or (word[:1].upper() + word[1:] not in names and word not in names):
                return word
            key = self._full_names.get(word, word) if self.style == "tags" else word
            return self.operators["PERSON"].operate(key, self.vault)
        return _WORD.sub(sub, value)

    def _roles(self, value: Any, names: set[str]) -> Any:
        if isinstance(value, dict):
            return {self._replace_names(k, names | {k}): v for k, v in value.items()}
        parts = []
        for part in str(value).split(";"):
            who, sep, role = part.partition("=")
            parts.append(self._replace_names(who.strip(), names | {who.strip()}) + sep + role if sep else part)
        return ";".join(parts)

    def _person_keys(self, text: str, hits: list[Hit]) -> dict[int, str]:
        """Tags style: the person each PERSON hit refers to (a lone "Mette" → "Mette Kirkegaard")."""
        if self.style != "tags":
            return {}
        full = [text[h.start : h.end] for h in hits if h.entity_type == "PERSON" and len(text[h.start : h.end].split()) > 1]
        for name in full:
            for word in name.split():
                self._full_names.setdefault(word, name)
        keys = {}
        for h in hits:
            if h.entity_type == "PERSON":
                original = text[h.start : h.end]
                local = next((f for f in full if original in f.split()), None)
                keys[h.start] = local or self._full_names.get(original, original)
        return keys


def _possessive(text: str, end: int, original: str, surrogate: str) -> tuple[str, int]:
    """Keep the genitive right when the surrogate ends differently: "Lars' " ↔ "Hannes ", "Mettes" → "Lars'"."""
    nxt = text[end : end + 1]
    after = text[end + 1 : end + 2]
    if after and (after.isalnum() or after == "_"):
        return surrogate, end
    if nxt == "s" and surrogate.endswith(_SIBILANT_END) and not original.endswith(_SIBILANT_END):
        return surrogate + "'", end + 1
    if nxt == "'" and original.endswith(_SIBILANT_END) and not surrogate.endswith(_SIBILANT_END):
        return surrogate + "s", end + 1
    return surrogate, end


def evidence_id(nlp: Any) -> str:
    """What besides the rules decides the replacements: ``rules`` or the NER pipeline's name and version.
    It goes into the keyed source hashes, so switching ``--model`` re-processes documents instead of
    skipping them as unchanged."""
    if nlp is None:
        return "rules"
    meta = getattr(nlp, "meta", {}) or {}
    return f"{meta.get('lang', '')}_{meta.get('name', 'pipeline')}-{meta.get('version', '')}"
