"""spaCy factories for sprogtro's components (published as ``spacy_factories`` entry points).

spaCy imports this module whenever it builds a pipeline, so it stays light: the factories live here,
the classes in their own modules.

=====================  ==========================================  ==========================================
factory                reads                                       writes
=====================  ==========================================  ==========================================
``sprogtro_cues``      tokens (lower-case forms, lemmas)           ``doc.spans["sprogtro_cues"]``
``sprogtro_context``   cue spans, sentences, dependency parse      cue ``span._`` negated/hedged/…,
                                                                   ``doc.spans["sprogtro_modifiers"]``
``sprogtro_labeller``  cue and modifier spans, sentences           ``doc.spans["sprogtro_sentences"]``,
                                                                   sentence ``span._`` framing/…
``sprogtro_lemmas``    tokens                                      ``token.lemma`` (offline fallback)
=====================  ==========================================  ==========================================
"""

from __future__ import annotations

from spacy.language import Language

from sprogtro.nlp import extensions  # noqa: F401  (registers the extensions)
from sprogtro.nlp.context import ContextModifier
from sprogtro.nlp.cue_matcher import CueMatcher
from sprogtro.nlp.labeller import SentenceLabeller
from sprogtro.nlp.lemmas import FallbackLemmatizer


@Language.factory(
    "sprogtro_cues",
    assigns=["doc.spans"],
    requires=["token.lower", "token.lemma"],
    default_config={"lexicon_dir": None, "spans_key": extensions.CUES_KEY, "max_fillers": 3},
)
def make_cue_matcher(nlp: Language, name: str, lexicon_dir: str | None, spans_key: str,
                     max_fillers: int) -> CueMatcher:
    return CueMatcher(nlp, name, lexicon_dir=lexicon_dir, spans_key=spans_key, max_fillers=max_fillers)


@Language.factory(
    "sprogtro_context",
    assigns=["doc.spans", "span._.negated", "span._.hedged", "span._.conditional", "span._.effective"],
    requires=["doc.spans", "token.is_sent_start"],
    default_config={
        "lexicon_dir": None,
        "cues_key": extensions.CUES_KEY,
        "modifiers_key": extensions.MODIFIERS_KEY,
        "max_scope": 6,
        "backward_scope": 2,
        "boundary_punct": [",", ";", ":", "–", "—", "(", ")", "?", "!"],
        "use_parse": True,
    },
)
def make_context(nlp: Language, name: str, lexicon_dir: str | None, cues_key: str, modifiers_key: str,
                 max_scope: int, backward_scope: int, boundary_punct: list[str], use_parse: bool) -> ContextModifier:
    return ContextModifier(nlp, name, lexicon_dir=lexicon_dir, cues_key=cues_key, modifiers_key=modifiers_key,
                           max_scope=max_scope, backward_scope=backward_scope, boundary_punct=boundary_punct,
                           use_parse=use_parse)


@Language.factory(
    "sprogtro_labeller",
    assigns=["doc.spans", "span._.framing", "span._.expectation", "span._.action", "doc._.sprogtro_model_version"],
    requires=["doc.spans", "token.is_sent_start"],
    default_config={
        "model_path": "bundled",
        "combine": "stack",
        "cues_key": extensions.CUES_KEY,
        "modifiers_key": extensions.MODIFIERS_KEY,
        "sentences_key": extensions.SENTENCES_KEY,
        "batch_size": 256,
    },
)
def make_labeller(nlp: Language, name: str, model_path: str | None, combine: str, cues_key: str,
                  modifiers_key: str, sentences_key: str, batch_size: int) -> SentenceLabeller:
    return SentenceLabeller(nlp, name, model_path=model_path, combine=combine, cues_key=cues_key,
                            modifiers_key=modifiers_key, sentences_key=sentences_key, batch_size=batch_size)


@Language.factory(
    "sprogtro_lemmas",
    assigns=["token.lemma"],
    default_config={"overwrite": False, "compounds": True},
)
def make_fallback_lemmatizer(nlp: Language, name: str, overwrite: bool, compounds: bool) -> FallbackLemmatizer:
    return FallbackLemmatizer(nlp, name, overwrite=overwrite, compounds=compounds)
