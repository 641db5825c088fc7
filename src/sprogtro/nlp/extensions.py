"""Custom attributes on spaCy's global classes, registered once, with plain (JSON-able) values.

Cue spans live in ``doc.spans["sprogtro_cues"]`` (label = code, e.g. ``deficit``), modifier and attribute
spans in ``doc.spans["sprogtro_modifiers"]`` (label = category, e.g. ``negation``), and sentence spans with
their labels in ``doc.spans["sprogtro_sentences"]`` (label = framing). Values set through ``span._`` are
stored in ``doc.user_data`` keyed by character offsets, so they survive ``DocBin`` (with
``store_user_data=True``) and ``nlp.pipe(n_process=2)``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

CUES_KEY = "sprogtro_cues"
MODIFIERS_KEY = "sprogtro_modifiers"
SENTENCES_KEY = "sprogtro_sentences"

# span extensions (cue spans and sentence spans) with their defaults
SPAN_EXTENSIONS: dict[str, object] = {
    # cue spans
    "cue_group": "",
    "cue_weight": 1.0,
    "cue_pattern": "",
    "cue_explicit": None,  # token offsets (from the span start) matched by the pattern's own words
    "negated": False,
    "hedged": False,
    "conditional": False,
    "contrast_side": 0,  # 0: before any contrast word in the sentence, 1: after it
    "experiencer": "",
    "effective": "",  # the code after negation: a negated deficit is a resource, etc.
    "modifier_value": "",  # horizon/target/experiencer value on modifier spans
    "modifier_direction": "",
    # sentence spans
    "framing": "neutral",
    "expectation": "none",
    "action": "none",
    "framing_p": None,
    "expectation_p": None,
    "action_p": None,
    "framing_rule": "neutral",
    "expectation_rule": "none",
    "action_rule": "none",
    "referent": "",
    "agency": "",
    "horizon": "",
    "target": "",
    "speaker": "",
    "role": "",
}
DOC_EXTENSIONS: dict[str, object] = {
    "sprogtro_model_version": "",
}


def register_extensions() -> None:
    """Register every sprogtro extension on ``Span`` and ``Doc`` (idempotent)."""
    for name, default in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()
