"""The spaCy components: registered factories, save/load round trip, DocBin, n_process=2, errors."""

from __future__ import annotations

import shutil

import pytest
import spacy
from spacy.tokens import DocBin
from spacy.util import raise_error

TEXTS = [
    "Borgeren har svært ved at møde stabilt, men hun er motiveret.",
    "Jeg tvivler på, at han kan holde til et job. Sagen sættes i bero.",
    "Der iværksættes virksomhedspraktik i fire uger.",
]


def _summary(doc):
    return ([(c.start, c.end, c.label_, c._.negated, c._.hedged, c._.effective) for c in doc.spans["sprogtro_cues"]],
            [(s.start, s.end, s._.framing, s._.expectation, s._.action) for s in doc.spans["sprogtro_sentences"]])


def test_components_factories_are_registered_entry_points():
    from importlib.metadata import entry_points

    names = {ep.name: ep.value for ep in entry_points(group="spacy_factories")}
    spacy.blank("da")  # spaCy loads the entry points when it builds a pipeline
    for name in ("sprogtro_cues", "sprogtro_context", "sprogtro_labeller"):
        assert name in names
        assert spacy.Language.has_factory(name)
    meta = spacy.Language.get_factory_meta("sprogtro_cues")
    assert "doc.spans" in meta.assigns


def test_components_save_load_round_trip_is_self_contained(nlp_rules, tmp_path):
    """A saved pipeline carries its rules: it works after the lexicon folder it came from is gone."""
    from sprogtro.nlp.models import load_pipeline
    from sprogtro.resources import lexicon_dir

    folder = tmp_path / "lex"
    shutil.copytree(lexicon_dir("da"), folder)
    nlp = load_pipeline("fallback", lexicon_dir=folder, combine="rules", quiet=True)
    nlp.to_disk(tmp_path / "pipeline")
    shutil.rmtree(folder)
    loaded = load_pipeline(str(tmp_path / "pipeline"), combine="rules", quiet=True)
    assert loaded.pipe_names == nlp.pipe_names
    assert [_summary(d) for d in loaded.pipe(TEXTS)] == [_summary(d) for d in nlp_rules.pipe(TEXTS)]


def test_components_to_bytes_round_trip(nlp_rules):
    cues = nlp_rules.get_pipe("sprogtro_cues")
    fresh = spacy.blank("da").add_pipe("sprogtro_cues")
    fresh.from_bytes(cues.to_bytes())
    assert [r.to_dict() for r in fresh.rules] == [r.to_dict() for r in cues.rules]


def test_components_docbin_keeps_spans_and_extensions(nlp_rules):
    docs = list(nlp_rules.pipe(TEXTS))
    data = DocBin(docs=docs, store_user_data=True).to_bytes()
    restored = list(DocBin(store_user_data=True).from_bytes(data).get_docs(nlp_rules.vocab))
    assert [_summary(d) for d in restored] == [_summary(d) for d in docs]


@pytest.mark.slow
def test_components_n_process_2_equals_one_process(nlp_rules):
    one = [_summary(d) for d in nlp_rules.pipe(TEXTS * 4, n_process=1)]
    two = [_summary(d) for d in nlp_rules.pipe(TEXTS * 4, n_process=2, batch_size=2)]
    assert one == two


def test_components_errors_go_to_the_error_handler(nlp_rules):
    cues = nlp_rules.get_pipe("sprogtro_cues")
    seen = []
    original = cues.match

    def broken(doc):
        raise ValueError("boom")

    cues.match = broken
    cues.set_error_handler(lambda name, proc, docs, exc: seen.append((name, type(exc).__name__)))
    try:
        list(nlp_rules.pipe(["Hun mangler motivation."]))
    finally:
        cues.match = original
        cues.set_error_handler(raise_error)
    assert seen == [("sprogtro_cues", "ValueError")]


def test_components_use_ner_from_a_saved_pipeline(tmp_path):
    """A pipeline with NER (here an entity ruler standing in for a trained one) is saved, loaded through
    load_pipeline(path), and its PER entities become the referent "name"."""
    from sprogtro.nlp.models import load_pipeline

    base = spacy.blank("da")
    base.add_pipe("sentencizer")
    ruler = base.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PER", "pattern": "Ahmad"}])
    base.to_disk(tmp_path / "with_ner")
    nlp = load_pipeline(str(tmp_path / "with_ner"), combine="rules", quiet=True)
    assert "sprogtro_labeller" in nlp.pipe_names
    doc = nlp("Ahmad henvises til et afklaringsforløb.")
    [sent] = doc.spans["sprogtro_sentences"]
    assert (sent._.referent, sent._.agency, sent._.action) == ("name", "object", "action")


def test_components_load_pipeline_reports_the_tier(capsys):
    from sprogtro.nlp.models import load_pipeline

    load_pipeline("fallback", combine="rules")
    err = capsys.readouterr().err
    assert "fallback" in err and "lacks" in err and "parse" in err
