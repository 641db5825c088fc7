"""``sprogtro_context``: ConText-style modifiers for the cues (negation, hedging, contrast, condition)
and sentence attributes (horizon, target, referent, experiencer).

Modifier rules come from the lexicons (``negation.yml``, ``hedges.yml`` …) with a ConText direction:

``forward`` / ``backward`` / ``bidirectional``
    the modifier affects cues after / before / on both sides of it, up to ``max_scope`` tokens
    (backward at most ``backward_scope``), never across a clause boundary: punctuation in
    ``boundary_punct`` or a ``terminate`` rule ("men", "dog", "til gengæld", "selvom").
``terminate``
    ends other modifiers' scopes and splits the sentence into contrast sides.
``pseudo``
    a lookalike ("ikke kun", "ikke mindst") whose words must not act as modifiers.

When the Doc has a dependency parse, a negation also reaches the cues inside its head's clause (the
head and its dependants that are not subordinate or coordinated clauses), wherever the word order puts
them. Negations are counted: an even number cancels out ("ikke uden ressourcer" is a resource).

Writes ``span._.negated``, ``hedged``, ``conditional``, ``contrast_side``, ``experiencer`` and
``effective`` (the code after negation) on every cue span, and puts the modifier spans in
``doc.spans["sprogtro_modifiers"]``.
"""

from __future__ import annotations

from itertools import compress, count
from typing import Iterable

import numpy as np
from spacy.attrs import ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from sprogtro.nlp import extensions
from sprogtro.nlp.cue_matcher import LexiconComponent
from sprogtro.nlp.decisions import OFFER_GROUPS
from sprogtro.nlp.lexicon import CONTEXT_CATEGORIES
from sprogtro.nlp.rule_matcher import RuleMatch, select_longest

# what a negation turns a code into; codes not listed stay as they are (a negated action is no action)
FLIP = {
    "deficit": "resource",
    "resource": "deficit",
    "expectation_high": "expectation_low",
    "expectation_low": "expectation_high",
    "expectation_uncertain": "expectation_uncertain",
    "action": "waiting",  # "er ikke iværksat", "har ikke søgt": passivity
    "waiting": "",
}
SCOPED = ("negation", "hedge", "condition")
SUBORDINATE_DEPS = {"advcl", "ccomp", "acl", "acl:relcl", "conj", "parataxis", "csubj", "xcomp:pred"}


class ContextModifier(LexiconComponent):
    """Attach negation, hedging, condition, contrast side and experiencer to every cue."""

    categories = CONTEXT_CATEGORIES

    def __init__(self, nlp: Language, name: str = "sprogtro_context", *, lexicon_dir: str | None = None,
                 cues_key: str = extensions.CUES_KEY, modifiers_key: str = extensions.MODIFIERS_KEY,
                 max_scope: int = 6, backward_scope: int = 2, max_fillers: int = 0,
                 boundary_punct: Iterable[str] = (",", ";", ":", "–", "—", "(", ")", "?", "!"),
                 use_parse: bool = True) -> None:
        super().__init__(nlp, name, lexicon_dir=lexicon_dir, max_fillers=max_fillers)
        self.cues_key = cues_key
        self.modifiers_key = modifiers_key
        self.max_scope = max_scope
        self.backward_scope = backward_scope
        self.boundary_punct = set(boundary_punct)
        self.use_parse = use_parse

    # ------------------------------------------------------------------------------------------------
    def set_annotations(self, doc: Doc, matches: list[RuleMatch]) -> None:
        cues = list(doc.spans[self.cues_key]) if self.cues_key in doc.spans else []
        # pseudo lookalikes first: their tokens are off limits to the other modifiers
        by_category: dict[str, list[RuleMatch]] = {}
        for m in matches:
            by_category.setdefault(m.rule.category, []).append(m)
        modifiers = sorted((m for group in by_category.values() for m in select_longest(group)),
                           key=lambda m: (m.start, m.end))
        blocked: set[int] = set()
        for m in modifiers:
            if m.rule.direction == "pseudo":
                blocked.update(range(m.start, m.end))
        active = [m for m in modifiers if m.rule.direction != "pseudo" and blocked.isdisjoint(range(m.start, m.end))]
        boundaries = self._boundaries(doc, active)
        sent_of = _sentence_ids(doc)
        parsed = self.use_parse and doc.has_annotation("DEP")
        # per sentence: the scoped modifiers, the contrasts and the experiencer cues a cue there can see
        scoped: dict[int, list[RuleMatch]] = {}
        contrasts: dict[int, list[RuleMatch]] = {}
        experiencers: dict[int, list[RuleMatch]] = {}
        for m in active:
            if m.rule.category in SCOPED:
                scoped.setdefault(sent_of[m.start], []).append(m)
            if m.rule.category == "contrast":
                contrasts.setdefault(sent_of[m.start], []).append(m)
        for m in modifiers:
            if m.rule.category == "experiencer":
                experiencers.setdefault(sent_of[m.start], []).append(m)

        spans = []
        for m in modifiers:
            span = Span(doc, m.start, m.end, label=m.rule.category)
            extensions.span_record(span).update(modifier_value=m.rule.value or m.rule.code,
                                                modifier_direction=m.rule.direction)
            spans.append(span)
        doc.spans[self.modifiers_key] = SpanGroup(doc, name=self.modifiers_key, spans=spans)

        for cue in cues:
            record = extensions.span_record(cue)
            own = set(_explicit_tokens(cue, record.get("cue_explicit")))
            negations = 0
            hedged = conditional = False
            sent = sent_of[cue.start]
            for m in scoped.get(sent, ()):
                cat = m.rule.category
                if not own.isdisjoint(range(m.start, m.end)):
                    continue  # the modifier is the cue's own word ("kan ikke udelukkes")
                if cat == "condition":
                    conditional = True
                    continue
                in_scope = self._in_window(m, cue, boundaries) or (
                    parsed and cat == "negation" and _in_parse_scope(doc, m, cue)
                )
                if not in_scope:
                    continue
                if cat == "negation":
                    negations += 1
                elif cat == "hedge":
                    hedged = True
            negated = negations % 2 == 1
            label = cue.label_
            effective = FLIP.get(label, "") if negated else label
            if negated and label == "action" and record.get("cue_group", "") in OFFER_GROUPS:
                effective = ""  # "ikke overholdt aftalen med mentoren" is not passivity in the case
            record.update(negated=negated, hedged=hedged, conditional=conditional, effective=effective,
                          contrast_side=self._contrast_side(doc, cue, contrasts.get(sent, ()), sent_of),
                          experiencer=self._experiencer(cue, experiencers.get(sent, ())))

    # scopes -----------------------------------------------------------------------------------------
    def _boundaries(self, doc: Doc, active: list[RuleMatch]) -> set[int]:
        punct = {doc.vocab.strings.add(p) for p in self.boundary_punct}
        marks = set(compress(count(), map(punct.__contains__, doc.to_array([ORTH]).tolist())))
        for m in active:
            if m.rule.direction == "terminate":
                marks.update(range(m.start, m.end))
        return marks

    def _in_window(self, m: RuleMatch, cue: Span, boundaries: set[int]) -> bool:
        direction = m.rule.direction
        scope = m.rule.max_scope or self.max_scope
        if cue.start >= m.start and cue.start < m.end:
            return True  # a filler inside the cue ("har ikke svært ved")
        if cue.start >= m.end and direction in ("forward", "bidirectional"):
            gap = range(m.end, cue.start)
            return len(gap) < scope and not (set(gap) & boundaries)
        if cue.end <= m.start and direction in ("backward", "bidirectional"):
            back = min(scope, self.backward_scope) if direction == "bidirectional" else scope
            gap = range(cue.end, m.start)
            if len(gap) >= back or set(gap) & boundaries:
                return False
            return _verb_like(cue, boundaries)
        if cue.start < m.start < cue.end:
            return True  # inside a gapped cue
        return False

    def _contrast_side(self, doc: Doc, cue: Span, contrasts: Iterable[RuleMatch], sent_of: list[int]) -> int:
        """1 when the cue is on the dominant side of a contrast ("…, men HER"; "selvom …, HER"), else 0.
        ``contrasts``: the active contrast modifiers of the cue's sentence."""
        side = 0
        for m in contrasts:
            if m.rule.code not in ("contrast", "concessive"):
                continue  # coordination etc.: ends scopes, has no sides
            if m.rule.code == "concessive":
                # "selvom X, Y": X is the conceded side, Y the dominant one
                clause_end = next((t.i for t in doc[m.end:] if t.text in self.boundary_punct
                                   or sent_of[t.i] != sent_of[m.start]), len(doc))
                if m.end <= cue.start < clause_end:
                    return 0
                side = 1
            elif cue.start >= m.end:
                side = 1
        return side

    def _experiencer(self, cue: Span, experiencers: Iterable[RuleMatch]) -> str:
        """Whose belief: the nearest experiencer cue in the sentence, preferring one before the cue.
        ``experiencers``: the experiencer modifiers of the cue's sentence."""
        best, best_dist = "", None
        for m in experiencers:
            dist = cue.start - m.end if m.end <= cue.start else (m.start - cue.end) * 2 + 1
            if dist >= 0 and (best_dist is None or dist < best_dist):
                best, best_dist = m.rule.value or m.rule.code, dist
        return best


def _verb_like(cue: Span, boundaries: set[int]) -> bool:
    """Can a negation after this cue negate it? Only a verb does ("magter ikke", "trives ikke"), not a noun
    ("rygsmerter ikke"). With POS tags: the cue ends in a verb/auxiliary; without: the cue stands first or
    second in its clause (Danish V2: "Hun magter ikke", "Motivationen mangler").
    """
    doc = cue.doc
    last = doc[cue.end - 1]
    if doc.has_annotation("POS"):
        return last.pos_ in ("VERB", "AUX") or cue.start == cue.sent.start
    position = 0
    i = cue.start - 1
    while i >= 0 and i not in boundaries and not doc[i].is_sent_end and not doc[i].is_punct:
        position += 1
        i -= 1
    return position <= 1


def _explicit_tokens(cue: Span, offsets: Iterable[int] | None) -> Iterable[int]:
    if offsets is None:
        return range(cue.start, cue.end)
    return [cue.start + i for i in offsets]


def _sentence_ids(doc: Doc) -> list[int]:
    """The sentence number of every token (read as one array, no Token objects)."""
    if not len(doc) or not doc.has_annotation("SENT_START"):
        return [0] * len(doc)
    starts = doc.to_array([SENT_START]) == 1
    starts[0] = True
    return (np.cumsum(starts) - 1).tolist()


def _in_parse_scope(doc: Doc, m: RuleMatch, cue: Span) -> bool:
    """The negation's head clause contains the cue's head (not through a subordinate clause)."""
    head = doc[m.start].head
    target = cue.root
    for _ in range(4):
        if target == head:
            return True
        if target.dep_ in SUBORDINATE_DEPS or target.head == target:
            return False
        target = target.head
    return False
