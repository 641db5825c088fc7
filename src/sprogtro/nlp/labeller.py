"""``sprogtro_labeller``: sentence labels (framing, expectation, action), referent and agency.

For every sentence it applies the codebook's decision rules to the annotated cues
(:mod:`sprogtro.nlp.decisions`), then, when a trained classifier is available, lets the classifier
(:mod:`sprogtro.nlp.classifier`) read the sentence together with that rule evidence. The output keeps
both: ``span._.framing`` (the label), ``span._.framing_rule`` (what the rules alone said) and
``span._.framing_p`` (the classifier's probability for the label), so each label can be explained by
its cues and a number.

Sentence spans go to ``doc.spans["sprogtro_sentences"]`` with label = framing.
"""

from __future__ import annotations

import warnings
from bisect import bisect_left
from operator import attrgetter
from pathlib import Path
from types import SimpleNamespace
from typing import Iterable, Iterator

import numpy as np
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import ensure_path, minibatch

from sprogtro.nlp import extensions
from sprogtro.nlp.decisions import DIMENSIONS, cue_feature_tokens, rule_labels

# grammar (not domain) words for agency without a parse: passive auxiliaries and prepositions
_PASSIVE_AUX = {"blev", "bliver", "blevet", "blive"}
_PREPOSITIONS = {"til", "med", "for", "om", "af", "hos", "ved", "på", "fra", "mod", "overfor", "omkring"}
_NON_PASSIVE_ES = {"hendes", "deres", "vores", "jeres", "des", "tidligeres", "hinandens"}
_OTHER_SUBJECTS = {"vi", "jeg", "man", "de", "jobcentret", "kommunen", "virksomheden", "sagsbehandleren"}
_SUBJECT_DEPS = {"nsubj", "csubj"}
_PASSIVE_SUBJECT_DEPS = {"nsubj:pass", "nsubjpass", "csubj:pass"}
_OBJECT_DEPS = {"obj", "iobj", "obl", "nmod", "dobj", "pobj"}

COMBINE_MODES = ("stack", "rules", "classifier")


class SentenceLabeller(Pipe):
    """Label each sentence and say who it is about (referent) and whether they act (agency)."""

    def __init__(self, nlp: Language, name: str = "sprogtro_labeller", *, model_path: str | None = "bundled",
                 combine: str = "stack", cues_key: str = extensions.CUES_KEY,
                 modifiers_key: str = extensions.MODIFIERS_KEY,
                 sentences_key: str = extensions.SENTENCES_KEY, batch_size: int = 256) -> None:
        if combine not in COMBINE_MODES:
            raise ValueError(f"combine must be one of {', '.join(COMBINE_MODES)}, not {combine!r}")
        self.nlp = nlp
        self.name = name
        self.model_path = model_path
        self.combine = combine
        self.cues_key = cues_key
        self.modifiers_key = modifiers_key
        self.sentences_key = sentences_key
        self.batch_size = batch_size
        self._bundle = None
        self._bundle_loaded = False

    # the classifier ---------------------------------------------------------------------------------
    @property
    def bundle(self):
        """The trained classifiers (``None`` in rules-only mode or when none is available)."""
        if not self._bundle_loaded:
            self._bundle_loaded = True
            if self.combine != "rules" and self.model_path:
                from sprogtro.nlp.training import load_bundle

                self._bundle = load_bundle(None if self.model_path == "bundled" else self.model_path, nlp=self.nlp)
                if self._bundle is None:
                    warnings.warn(f"[{self.name}] no trained sentence classifier: labels come from the rules "
                                  "alone (run 'sprogtro train')", stacklevel=2)
        return self._bundle

    def set_bundle(self, bundle) -> None:
        """Use this classifier bundle (e.g. one just trained in memory)."""
        self._bundle = bundle
        self._bundle_loaded = True

    @property
    def model_version(self) -> str:
        bundle = self.bundle
        return bundle.version if bundle is not None else "rules-only"

    def initialize(self, get_examples=None, *, nlp: Language | None = None, model_path: str | None = None) -> None:
        """(Re)load the classifier from ``model_path`` (default: the configured one)."""
        if model_path:
            self.model_path = model_path
        self._bundle_loaded = False
        self._bundle = None

    # processing -------------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        """Label the sentences of one Doc."""
        return next(iter(self.pipe([doc], batch_size=1)))

    def pipe(self, stream: Iterable[Doc], *, batch_size: int | None = None) -> Iterator[Doc]:
        """Label Docs in batches, so the classifier predicts many sentences at once."""
        error_handler = self.get_error_handler()
        for docs in minibatch(stream, size=batch_size or self.batch_size):
            try:
                items = [(doc, self.evidence(doc)) for doc in docs]
                self.set_annotations(items, self.predict([ev for _, evs in items for ev in evs]))
            except Exception as exc:  # noqa: BLE001
                error_handler(self.name, self, docs, exc)
            yield from docs

    def evidence(self, doc: Doc, *, whole: bool = False) -> list[dict]:
        """Per sentence: the span, its cues and modifiers, rule labels and the classifier's input record.

        ``whole=True`` treats the Doc as one unit (a gold sentence the sentencizer might split).
        """
        cues = doc.spans[self.cues_key] if self.cues_key in doc.spans else []
        mods = doc.spans[self.modifiers_key] if self.modifiers_key in doc.spans else []
        cue_views = [_SpanView.of(c, _CUE_ATTRS) for c in cues]
        mod_views = [_SpanView.of(m, _MODIFIER_ATTRS) for m in mods]
        sents = list(doc.sents) if doc.has_annotation("SENT_START") and not whole else [doc[:]]
        role = doc.user_data.get(("sprogtro", "role"), "") if doc.user_data else ""
        text = doc.text
        cue_views.sort(key=attrgetter("start"))  # sprogtro's groups are in order already; others may not be
        mod_views.sort(key=attrgetter("start"))
        cue_starts = [c.start for c in cue_views]
        mod_starts = [m.start for m in mod_views]
        out = []
        for sent in sents:
            v_cues = cue_views[bisect_left(cue_starts, sent.start) : bisect_left(cue_starts, sent.end)]
            v_mods = mod_views[bisect_left(mod_starts, sent.start) : bisect_left(mod_starts, sent.end)]
            labels = rule_labels(v_cues, v_mods)
            feats = cue_feature_tokens(v_cues, v_mods, labels, role=role)
            out.append({"sent": sent, "cues": [c.span for c in v_cues], "mods": v_mods, "rules": labels,
                        "record": {"text": text[sent.start_char : sent.end_char], "cues": " ".join(feats)}})
        return out

    def predict(self, evidence: list[dict]) -> dict[str, list[tuple[str, float]]] | None:
        """Classifier labels and probabilities per dimension, or ``None`` in rules-only mode."""
        bundle = self.bundle if self.combine != "rules" else None
        if bundle is None or not evidence:
            return None
        records = [ev["record"] for ev in evidence]
        out = {}
        shared = _shared_features(bundle, records)
        for dim, clf in bundle.classifiers.items():
            proba = clf.predict_proba_features(shared) if shared is not None else clf.predict_proba(records)
            best = proba.argmax(axis=1)
            classes = [str(c) for c in clf.classes_]
            out[dim] = list(zip(map(classes.__getitem__, best.tolist()),
                                proba[np.arange(len(best)), best].tolist()))
        return out

    def set_annotations(self, items: list[tuple[Doc, list[dict]]], predictions) -> None:
        k = 0
        version = self.model_version
        for doc, evs in items:
            people = _people(doc)
            spans = []
            for ev in evs:
                sent: Span = ev["sent"]  # a fresh Span from doc.sents: labelled and kept as it is
                record = extensions.span_record(sent)
                rules = ev["rules"]
                for dim, rule_key, p_key in _DIMENSION_KEYS:
                    rule = rules[dim]
                    record[rule_key] = rule
                    if predictions is not None and dim in predictions:
                        label, p = predictions[dim][k]
                        record[dim] = label
                        record[p_key] = round(p, 4)
                    else:
                        record[dim] = rule
                        record[p_key] = None
                referent, agency = self.referent_and_agency(doc, sent, ev["mods"], people)
                record.update(referent=referent, agency=agency,
                              horizon=_first_value(ev["mods"], "horizon"),
                              target=_first_value(ev["mods"], "target"))
                sent.label_ = record["framing"]
                spans.append(sent)
                k += 1
            doc.spans[self.sentences_key] = SpanGroup(doc, name=self.sentences_key, spans=spans)
            doc._.sprogtro_model_version = version

    def label_texts(self, texts: Iterable[str], *, batch_size: int = 256) -> list[dict]:
        """Label each text as one unit (for evaluation and training): labels, probabilities, rule labels, cues.

        Runs the pipeline up to this component, then the rules and (unless rules-only) the classifier.
        """
        results = []
        disable = [self.name]
        for doc in self.nlp.pipe(texts, batch_size=batch_size, disable=disable):
            ev = self.evidence(doc, whole=True)[0]
            results.append({"doc": doc, "rules": ev["rules"], "record": ev["record"], "cues": ev["cues"]})
        preds = self.predict([{"record": r["record"]} for r in results]) if results else None
        for i, r in enumerate(results):
            r["labels"] = dict(r["rules"])
            r["p"] = {}
            if preds is not None:
                for dim, values in preds.items():
                    r["labels"][dim], r["p"][dim] = values[i]
        return results

    # referent and agency ----------------------------------------------------------------------------
    def referent_and_agency(self, doc: Doc, sent: Span, mods: list[Span],
                            people: list[Span] | None = None) -> tuple[str, str]:
        """Who the sentence is about (borgeren/jobkandidaten/klienten/name/pronoun) and whether they act.

        The first referent cue or PERSON entity in the sentence counts. Agency is ``agent`` when the
        referent is the active subject, ``object`` when it is acted upon (object, prepositional object,
        passive subject), ``""`` without a referent. ``people``: the Doc's person entities, when the caller
        has them already (``doc.ents`` is rebuilt on every access).
        """
        candidates = [(m.start, m._.modifier_value, _span(m)) for m in mods if m.label_ == "referent"]
        if people is None:
            people = _people(doc)
        for ent in people:
            if sent.start <= ent.start < sent.end:
                candidates.append((ent.start, "name", ent))
        if not candidates:
            return "", ""
        _, referent, span = min(candidates, key=lambda c: c[0])
        if referent == "possessive":
            return "pronoun", ""  # "hendes motivation": about the citizen, who is no actor here
        return referent, _agency(doc, sent, span)

    # serialization: the classifier is package data or a path; saving records which -------------------
    def to_disk(self, path, *, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        bundle = self.bundle if self.combine != "rules" else None
        if bundle is not None:
            from sprogtro.nlp.training import save_bundle

            save_bundle(bundle, Path(path) / "classifier.joblib")

    def from_disk(self, path, *, exclude: Iterable[str] = ()):
        path = ensure_path(path)
        model = Path(path) / "classifier.joblib"
        if model.exists():
            self.model_path = str(model)
            self._bundle_loaded = False
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        import io

        import joblib

        buffer = io.BytesIO()
        bundle = self.bundle if self.combine != "rules" else None
        joblib.dump(bundle, buffer)
        return buffer.getvalue()

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()):
        import io

        import joblib

        self.set_bundle(joblib.load(io.BytesIO(data)))
        return self


_DIMENSION_KEYS = tuple((dim, f"{dim}_rule", f"{dim}_p") for dim in DIMENSIONS)
_CUE_ATTRS = ("effective", "contrast_side", "cue_group", "cue_weight", "negated", "hedged", "conditional")
_MODIFIER_ATTRS = ("modifier_value",)


class _SpanView:
    """A span's offsets, label and sprogtro attributes, read once. The decision rules read them many times,
    and every ``span._`` access is an extension lookup; this keeps labelling cheap next to spaCy."""

    __slots__ = ("span", "start", "end", "label_", "doc", "_")

    @classmethod
    def of(cls, span: Span, attrs: tuple[str, ...]) -> "_SpanView":
        view = cls()
        view.span, view.start, view.end, view.label_, view.doc = span, span.start, span.end, span.label_, span.doc
        view._ = SimpleNamespace(**extensions.span_values(span, attrs))
        return view


def _span(m: "Span | _SpanView") -> Span:
    return m.span if isinstance(m, _SpanView) else m


def _shared_features(bundle, records):
    """When every dimension's classifier was fitted on the same rows (the usual case), their vectorizers
    are identical: transform the sentences once instead of once per dimension."""
    signature = getattr(bundle, "_shared_signature", None)
    if signature is None:
        clfs = list(bundle.classifiers.values())
        first = clfs[0]
        signature = all(c.same_features_as(first) for c in clfs[1:])
        try:
            bundle._shared_signature = signature
        except AttributeError:  # pragma: no cover
            pass
    if not signature:
        return None
    return next(iter(bundle.classifiers.values())).transform(records)


def _people(doc: Doc) -> list[Span]:
    return [ent for ent in doc.ents if ent.label_ in ("PER", "PERSON")]


def _first_value(mods: "list[Span | _SpanView]", category: str) -> str:
    for m in mods:
        if m.label_ == category:
            return m._.modifier_value
    return ""


def _agency(doc: Doc, sent: Span, ref: Span) -> str:
    token = ref.root
    if doc.has_annotation("DEP"):
        dep = token.dep_.lower()
        if dep in _PASSIVE_SUBJECT_DEPS:
            return "object"
        if dep in _SUBJECT_DEPS:
            head = token.head
            if any(c.dep_.lower() in ("aux:pass", "auxpass") for c in head.children) or _looks_passive(head.lower_):
                return "object"
            return "agent"
        if dep in _OBJECT_DEPS:
            return "object"
    # no parse: word order. After a preposition or a verb → object; followed by a passive → object.
    first = doc[sent.start]
    if ref.start > sent.start + 1 and first.lower_ in _OTHER_SUBJECTS:
        return "object"  # "Vi har henvist borgeren …"
    prev = doc[ref.start - 1] if ref.start > sent.start else None
    if prev is not None and (prev.lower_ in _PREPOSITIONS or prev.pos_ in ("VERB",)):
        return "object"
    for t in doc[ref.end: min(ref.end + 4, sent.end)]:
        if t.is_punct:
            break
        if t.lower_ in _PASSIVE_AUX or _looks_passive(t.lower_):
            return "object"
    return "agent"


def _looks_passive(word: str) -> bool:
    """Danish s-passive ("henvises", "vurderes", "visiteres")."""
    return len(word) > 5 and word.endswith("es") and word not in _NON_PASSIVE_ES and word.isalpha()
