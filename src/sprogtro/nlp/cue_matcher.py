"""``sprogtro_cues``: find framing, expectation and action cues from the lexicons.

Writes labelled spans to ``doc.spans["sprogtro_cues"]`` (label = the entry's code, e.g. ``deficit``,
``expectation_low``, ``action``) with ``span._.cue_group``, ``cue_weight`` and ``cue_pattern``. Overlapping
cues are resolved longest-first, so "tæt på arbejdsmarkedet" (an expectation) wins over a shorter framing cue
inside it (the action/waiting cues resolve their overlaps apart from these), and a lookalike entry (``code: none``: "med venlig hilsen", "ringe til") takes its words away from
the cue it resembles without becoming a cue itself. Negation, hedging and the rest are the context component's job.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any, Callable, Iterable

import srsly
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import ensure_path

from sprogtro.nlp import extensions
from sprogtro.nlp.lexicon import CUE_CATEGORIES, FILLER_CATEGORY, LOOKALIKE_CODE, Rule, load_lexicon, rules_from_jsonl, rules_to_jsonl
from sprogtro.nlp.rule_matcher import RuleMatch, RuleMatcher, select_longest


def make_tokenize(nlp: Language) -> Callable[[str], list[str]]:
    """Split a lexicon word with the pipeline's own tokenizer, so patterns line up with Docs."""
    return lambda text: [t.text for t in nlp.make_doc(text)]


class LexiconComponent(Pipe):
    """Shared plumbing for components whose rules come from a lexicon folder.

    Rules load in :meth:`initialize` (or lazily on the first Doc, from ``lexicon_dir`` or the bundled
    lexicons) and travel with the pipeline through ``to_disk``/``from_disk``/``to_bytes``/``from_bytes``.
    """

    categories: tuple[str, ...] = ()

    def __init__(self, nlp: Language, name: str, *, lexicon_dir: str | None, max_fillers: int) -> None:
        self.nlp = nlp
        self.name = name
        self.lexicon_dir = lexicon_dir or None
        self.max_fillers = max_fillers
        self.rules: list[Rule] = []
        self.fillers: list[str] = []
        self._matcher: RuleMatcher | None = None
        self._loaded = False
        self._warned = False

    # rules -------------------------------------------------------------------------------------------
    def initialize(self, get_examples: Callable[[], Iterable[Any]] | None = None, *,
                   nlp: Language | None = None, lexicon_dir: str | None = None) -> None:
        """Load the rules from ``lexicon_dir`` (else the configured folder, else the bundled lexicons)."""
        folder = lexicon_dir or self.lexicon_dir
        lexicon = load_lexicon(folder)
        self.set_rules(lexicon.by_category(self.categories),
                       [r.pattern for r in lexicon.by_category([FILLER_CATEGORY]) if isinstance(r.pattern, str)])

    def set_rules(self, rules: Iterable[Rule], fillers: Iterable[str] = ()) -> None:
        """Replace the rules (and filler words) and recompile."""
        self.rules = [r for r in rules if r.category in self.categories]
        self.fillers = [f.lower() for f in fillers]
        self._matcher = None
        self._loaded = True

    @property
    def matcher(self) -> RuleMatcher:
        if not self._loaded:
            self.initialize()
        if self._matcher is None:
            self._matcher = RuleMatcher(self.nlp.vocab, self.rules, fillers=self.fillers,
                                        max_fillers=self.max_fillers, tokenize=make_tokenize(self.nlp))
            if not self.rules and not self._warned:
                warnings.warn(f"[{self.name}] no lexicon rules are loaded: nothing will be matched "
                              f"(categories {', '.join(self.categories)})", stacklevel=2)
                self._warned = True
        return self._matcher

    def match(self, doc: Doc) -> list[RuleMatch]:
        return self.matcher(doc)

    def __call__(self, doc: Doc) -> Doc:
        """Match, then set annotations (subclasses define :meth:`set_annotations`); a failure goes to
        spaCy's error handler so a batch run can skip one bad document."""
        error_handler = self.get_error_handler()
        try:
            self.set_annotations(doc, self.match(doc))
        except Exception as exc:  # noqa: BLE001 - spaCy's contract: hand it to the error handler
            error_handler(self.name, self, [doc], exc)
        return doc

    def set_annotations(self, doc: Doc, matches: list[RuleMatch]) -> None:
        raise NotImplementedError

    # serialization ----------------------------------------------------------------------------------
    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.msgpack_dumps({"rules": rules_to_jsonl(self._rules_for_saving()), "fillers": self.fillers})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()):
        payload = srsly.msgpack_loads(data)
        self.set_rules(rules_from_jsonl(payload["rules"]), payload["fillers"])
        return self

    def to_disk(self, path, *, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "rules.jsonl").write_text(rules_to_jsonl(self._rules_for_saving()), encoding="utf-8")
        srsly.write_json(path / "fillers.json", self.fillers)

    def from_disk(self, path, *, exclude: Iterable[str] = ()):
        path = ensure_path(path)
        rules = rules_from_jsonl((Path(path) / "rules.jsonl").read_text(encoding="utf-8"))
        self.set_rules(rules, srsly.read_json(Path(path) / "fillers.json"))
        return self

    def _rules_for_saving(self) -> list[Rule]:
        if not self._loaded:
            self.initialize()
        return self.rules


class CueMatcher(LexiconComponent):
    """Match framing/expectation/action cues and store them as labelled spans."""

    categories = CUE_CATEGORIES

    def __init__(self, nlp: Language, name: str = "sprogtro_cues", *, lexicon_dir: str | None = None,
                 spans_key: str = extensions.CUES_KEY, max_fillers: int = 3) -> None:
        super().__init__(nlp, name, lexicon_dir=lexicon_dir, max_fillers=max_fillers)
        self.spans_key = spans_key

    def set_annotations(self, doc: Doc, matches: list[RuleMatch]) -> None:
        spans = []
        matches = [m for m in matches if not _names_a_place(doc, m)]
        # Framing/expectation cues and action/waiting cues code different dimensions, so each family
        # resolves its own overlaps: "har selv fundet en praktikplads" is a resource AND a step.
        families: dict[bool, list[RuleMatch]] = {True: [], False: []}
        for m in matches:
            families[m.rule.category in COURSE_CATEGORIES].append(m)
        chosen = sorted(select_longest(families[False]) + select_longest(families[True]),
                        key=lambda m: (m.start, m.end))
        for m in chosen:
            if m.rule.code == LOOKALIKE_CODE:
                continue  # it won its tokens from shorter cues ("venlig hilsen" over "venlig"), and is no cue
            span = Span(doc, m.start, m.end, label=m.rule.code)
            extensions.span_record(span).update(
                cue_group=m.rule.group, cue_weight=m.rule.weight,
                cue_pattern=m.rule.pattern if isinstance(m.rule.pattern, str) else "<token pattern>",
                cue_explicit=sorted(i - m.start for i in m.explicit))
            spans.append(span)
        doc.spans[self.spans_key] = SpanGroup(doc, name=self.spans_key, spans=spans)



# Heads of Danish compounds that name an institution, a place or a professional, not the citizen:
# "misbrugscentret", "angstklinikken", "handicapafdelingen", "misbrugskonsulenten".
INSTITUTION_HEADS = (
    "center", "centret", "centeret", "centre", "centrene", "centers", "centrets",
    "afdeling", "afdelingen", "afdelinger", "afdelingerne",
    "konsulent", "konsulenten", "konsulenter", "konsulenterne",
    "klinik", "klinikken", "klinikker", "ambulatorium", "ambulatoriet",
    "team", "teamet", "behandlingssted", "behandlingsstedet", "bosted", "bostedet",
    "forening", "foreningen", "rådgivning", "rådgivningen", "institution", "institutionen",
)
# "…behandling" is a place only after a place preposition ("går på misbrugsbehandlingen")
PLACE_ONLY_AFTER_PREPOSITION = ("behandling", "behandlingen")
PLACE_PREPOSITIONS = frozenset({"på", "hos", "fra", "i"})
FRAMING_CODES = frozenset({"deficit", "resource"})
COURSE_CATEGORIES = frozenset({"action", "waiting"})


def _names_a_place(doc: Doc, m: RuleMatch) -> bool:
    """A one-word framing cue that is only the first part of an institution/place compound."""
    if m.rule.code not in FRAMING_CODES or m.end - m.start != 1:
        return False
    word = doc[m.start].lower_
    for head in INSTITUTION_HEADS:
        if word.endswith(head) and len(word) >= len(head) + 3:
            return True
    for head in PLACE_ONLY_AFTER_PREPOSITION:
        if word.endswith(head) and len(word) >= len(head) + 3 and m.start > 0 \
                and doc[m.start - 1].lower_ in PLACE_PREPOSITIONS:
            return True
    return False
