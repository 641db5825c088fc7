"""The training command keeps working: a few steps on the fictional sample (CI never retrains for real)."""

from __future__ import annotations

import json

import pytest
import spacy
from click.testing import CliRunner

from sprogtro.cli import cli
from sprogtro.nlp.train_pipeline import model_card, train


@pytest.mark.slow
def test_train_pipeline_smoke_writes_model_metrics_and_card(ddt_sample, tmp_path):
    out = tmp_path / "out"
    installed = tmp_path / "installed" / "sprogtro_da"
    metrics = train(ddt_sample, out, max_steps=4, eval_frequency=2, seed=3, install_to=installed, log=lambda m: None)
    assert (out / "corpus" / "train.spacy").is_file()
    saved = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert saved["test"]["cased"]["pos_acc"] == metrics["test"]["cased"]["pos_acc"]
    assert set(saved["test"]) == {"cased", "lower"}
    probe = saved["pseudonymization"]["conditions"]
    assert set(probe) == {"rules only", "rules + sprogtro_da NER"} and "recall" in probe["rules only"]["lower"]
    nlp = spacy.load(installed)  # spaCy built-ins only
    assert nlp.pipe_names == ["tok2vec", "morphologizer", "trainable_lemmatizer", "ner", "sentencizer"]
    assert nlp.meta["license"] == "CC BY-SA 4.0" and nlp.meta["name"] == "sprogtro_da"
    assert set(nlp.get_pipe("ner").labels) <= {"PER", "ORG", "LOC"}
    doc = nlp("karina bor i odense.")
    assert len(doc) == 5 and all(t.pos_ for t in doc)
    card = (installed / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in card and "UNER" in card and "lower-cased" in card
    assert "person names not in the gazetteers" in card
    config = (installed / "config.cfg").read_text(encoding="utf-8")
    assert str(out) not in config  # no local training paths in the shipped config


@pytest.mark.slow
def test_train_pipeline_is_reproducible(ddt_sample, tmp_path):
    kw = {"max_steps": 3, "eval_frequency": 3, "seed": 5, "name_probe": False, "log": lambda m: None}
    first, second = train(ddt_sample, tmp_path / "a", **kw), train(ddt_sample, tmp_path / "b", **kw)
    assert first["test"]["cased"]["pos_acc"] == second["test"]["cased"]["pos_acc"]
    assert first["conversion"] == second["conversion"]
    assert (tmp_path / "a" / "corpus" / "train.spacy").read_bytes() == (tmp_path / "b" / "corpus" / "train.spacy").read_bytes()


def test_train_pipeline_cli_rejects_a_folder_without_the_data(tmp_path):
    result = CliRunner().invoke(cli, ["train-pipeline", "--data", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code != 0 and "ud_danish_ddt" in result.output


def test_model_card_carries_figures():
    per_type = {k: {"p": 0.5, "r": 0.5, "f": 0.5} for k in ("PER", "ORG", "LOC")}
    scores = {"pos_acc": 0.9, "morph_acc": 0.8, "lemma_acc": 0.95, "ents_p": 0.7, "ents_r": 0.6, "ents_f": 0.65,
              "ents_per_type": per_type, "words_per_second": 1000}
    metrics = {
        "version": "0.1.0", "seed": 0, "train_seconds": 12.0,
        "conversion": {"test_sentences": 565, "ddt_sentences": 5638, "excluded_ud_dev_test": 1081,
                       "excluded_near_duplicates": 35, "train_ddt_sentences": 4522, "mapping_learned_on_dev_tokens": 9075,
                       "mapping_agreement_on_test": {"pos": 0.97, "morph": 0.98, "lemma": 0.99},
                       "train_ner_sentences": 4383, "train_ner_only_sentences": 479, "lower_fraction": 0.6,
                       "upper_fraction": 0.2, "train_docs_with_case_copies": 9000, "train_tokens": 160000,
                       "dev_sentences": 564},
        "test": {"cased": scores, "lower": scores},
    }
    card = model_card(metrics)
    assert "| POS accuracy (UPOS) | 90.0 | 90.0 |" in card
    assert "| PER | 50.0 |" in card
