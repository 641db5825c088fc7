"""Training, versioning and the bundled model: reproducible versions, retraining on version mismatch."""

from __future__ import annotations

import csv

import pytest

from sprogtro.nlp import training

GOLD = [
    ("Borgeren har svært ved at møde op.", "deficit", "none", "none"),
    ("Hun mangler motivation.", "deficit", "none", "none"),
    ("Han har store smerter i ryggen.", "deficit", "none", "none"),
    ("Hun er god til at lave mad.", "resource", "none", "none"),
    ("Han møder stabilt og er engageret.", "resource", "none", "none"),
    ("Hun har erfaring fra rengøring.", "resource", "none", "none"),
    ("Hun er tæt på arbejdsmarkedet.", "neutral", "high", "none"),
    ("Jeg tror på, at han kommer i job.", "neutral", "high", "none"),
    ("Han er langt fra arbejdsmarkedet.", "neutral", "low", "none"),
    ("Jeg tvivler på, at hun kan arbejde.", "neutral", "low", "none"),
    ("Der iværksættes praktik.", "neutral", "none", "action"),
    ("Borgeren henvises til mentor.", "neutral", "none", "action"),
    ("Sagen sættes i bero.", "neutral", "none", "waiting"),
    ("Praktikken udskydes.", "neutral", "none", "waiting"),
]


@pytest.fixture
def gold_csv(tmp_path):
    path = tmp_path / "gold.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "text", "framing", "expectation", "action", "split"])
        for i, row in enumerate(GOLD):
            writer.writerow([f"g{i}", *row, "train" if i % 7 else "test"])
    return path


def test_training_version_is_reproducible_and_names_sklearn(nlp_rules, gold_csv):
    import sklearn

    rows = training.read_gold(gold_csv, split="all")
    a = training.train_bundle(nlp_rules, rows)
    b = training.train_bundle(nlp_rules, rows)
    assert a.version == b.version and a.version.endswith(f"-sk{sklearn.__version__}")
    c = training.train_bundle(nlp_rules, rows[:-1])
    assert c.version != a.version


def test_training_read_gold_split(gold_csv):
    assert len(training.read_gold(gold_csv, split="test")) == 2
    assert len(training.read_gold(gold_csv, split="train")) == len(GOLD) - 2


def test_training_saved_bundle_loads(nlp_rules, gold_csv, tmp_path):
    bundle = training.train_bundle(nlp_rules, training.read_gold(gold_csv, split="all"))
    path = training.save_bundle(bundle, tmp_path / "clf.joblib")
    assert training.load_bundle(path).version == bundle.version


def test_training_sklearn_mismatch_warns_and_retrains(nlp_rules, gold_csv, tmp_path, monkeypatch):
    bundle = training.train_bundle(nlp_rules, training.read_gold(gold_csv, split="all"))
    bundle.sklearn_version = "0.0.1"
    path = training.save_bundle(bundle, tmp_path / "old.joblib")
    monkeypatch.setattr(training, "bundled_gold_path", lambda: gold_csv)
    monkeypatch.setattr(training, "_MEMORY", {})
    with pytest.warns(UserWarning, match="retraining in memory"):
        fresh = training.load_bundle(path, nlp=nlp_rules)
    assert fresh is not None and fresh.meta.get("retrained_in_memory")


def test_training_cli_trains_with_cross_validation(gold_csv, tmp_path):
    from click.testing import CliRunner

    from sprogtro.cli import cli

    out = tmp_path / "clf.joblib"
    result = CliRunner().invoke(cli, ["train", "--gold", str(gold_csv), "--out", str(out), "--folds", "2",
                                      "--model", "fallback", "-q"])
    assert result.exit_code == 0, result.output
    assert "cross-validated macro-F1" in result.output and "model version clf-" in result.output
    assert out.exists()


def test_training_cli_adds_reviewed_labels_from_a_project(gold_csv, tmp_path):
    from click.testing import CliRunner

    from sprogtro.cli import cli
    from sprogtro.corpus.document import Document
    from sprogtro.store import Project

    with Project.init(tmp_path / "projekt") as project:
        project.add_document(Document(doc_id="a.txt", text="Hun er en knagestærk kollega.", pseudonymized=True))
        [sid] = project.save_sentences("a.txt", [(0, 29)])
        project.add_review(sid, "lene", "framing", "disagree", corrected="resource")
    out = tmp_path / "clf.joblib"
    result = CliRunner().invoke(cli, ["train", "--gold", str(gold_csv), "--project", str(tmp_path / "projekt"),
                                      "--out", str(out), "--folds", "2", "--model", "fallback", "-q"])
    assert result.exit_code == 0, result.output
    assert "(1 reviewed)" in result.output
