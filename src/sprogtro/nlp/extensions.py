"""Custom attributes on spaCy's global classes, registered once, with plain (JSON-able) values.

Cue spans live in ``doc.spans["sprogtro_cues"]`` (label = code, e.g. ``deficit``), modifier and attribute
spans in ``doc.spans["sprogtro_modifiers"]`` (label = category, e.g. ``negation``), and sentence spans with
their labels in ``doc.spans["sprogtro_sentences"]`` (label = framing).

The span attributes live in one record per span, ``doc.user_data["sprogtro_attrs"]["<start>:<end>"]``
(character offsets), read and written through ``span._`` as usual. They survive ``DocBin`` (with
``store_user_data=True``) and ``nlp.pipe(n_process=2)``. sprogtro's own components read and write
the record directly (:func:`span_record`): a ``span._`` access costs microseconds, and coding a corpus
makes tens of them per sentence (a third of the components' time went there).
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


STORE_KEY = "sprogtro_attrs"


def _key(start_char: int, end_char: int) -> str:
    return f"{start_char}:{end_char}"  # a string: user_data is serialized with msgpack, which wants str map keys


def span_record(span: Span) -> dict[str, object]:
    """The span's attribute record, created empty when missing; write to it to set attributes."""
    store = span.doc.user_data.get(STORE_KEY)
    if store is None:
        store = span.doc.user_data[STORE_KEY] = {}
    key = _key(span.start_char, span.end_char)
    record = store.get(key)
    if record is None:
        record = store[key] = {}
    return record


def _existing_record(span: Span) -> dict[str, object] | None:
    store = span.doc.user_data.get(STORE_KEY)
    return store.get(_key(span.start_char, span.end_char)) if store else None


def span_values(span: Span, names: tuple[str, ...]) -> dict[str, object]:
    """The values of ``names`` on ``span`` (defaults where unset), read at once."""
    record = _existing_record(span)
    if not record:
        return {n: SPAN_EXTENSIONS[n] for n in names}
    return {n: record.get(n, SPAN_EXTENSIONS[n]) for n in names}


def _getter(name: str, default: object):
    def get(span: Span) -> object:
        record = _existing_record(span)
        return record.get(name, default) if record else default
    return get


def _setter(name: str):
    def set_(span: Span, value: object) -> None:
        span_record(span)[name] = value
    return set_


def register_extensions() -> None:
    """Register every sprogtro extension on ``Span`` and ``Doc`` (idempotent)."""
    for name, default in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, getter=_getter(name, default), setter=_setter(name))
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()
