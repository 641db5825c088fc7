"""annotation_guides/: codebook.yml schema, the Danish codebook and the decision rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.data.conftest import LABELS

GUIDES = Path(__file__).resolve().parents[2] / "annotation_guides"
HEX = re.compile(r"#[0-9A-Fa-f]{6}")


@pytest.fixture(scope="module")
def codebook() -> dict:
    return yaml.safe_load((GUIDES / "codebook.yml").read_text(encoding="utf-8"))


def _codes(codebook):
    for dimension, node in codebook["dimensions"].items():
        for code, entry in node["labels"].items():
            yield dimension, code, entry


def test_codebook_top_level(codebook):
    assert codebook["version"] == 1
    assert codebook["language"] == "da"
    assert list(codebook["dimensions"]) == ["framing", "expectation", "action"]
    assert len(codebook["reflection_questions"]) >= 3


@pytest.mark.parametrize("dimension", sorted(LABELS))
def test_codebook_dimension_has_exactly_the_design_codes(codebook, dimension):
    node = codebook["dimensions"][dimension]
    assert node["name"] == dimension
    assert node["label_da"]
    assert node["description"]["da"] and node["description"]["en"]
    assert HEX.fullmatch(node["colour"])
    assert tuple(node["labels"]) == LABELS[dimension]


def test_codebook_codes_are_complete(codebook):
    for dimension, code, entry in _codes(codebook):
        where = f"{dimension}.{code}"
        assert entry["label_da"], where
        assert entry["description"]["da"] and entry["description"]["en"], where
        assert entry["include"] and entry["exclude"], where
        assert HEX.fullmatch(entry["colour"]), where
        assert len(entry["examples"]) >= 5, where
        assert len(entry["counter_examples"]) >= 5, where
        assert entry["reflection_questions"], where
        for counter in entry["counter_examples"]:
            assert counter["text"] and counter["code"] in LABELS[dimension], where
            assert counter["code"] != code, (where, counter)


def test_codebook_colours_are_distinct(codebook):
    colours = [entry["colour"].upper() for _, _, entry in _codes(codebook)]
    colours += [node["colour"].upper() for node in codebook["dimensions"].values()]
    assert len(set(colours)) == len(colours)


def test_codebook_examples_are_not_gold_test_sentences(codebook, gold_rows):
    """The held-out gold stays held out: no codebook sentence is a test sentence."""
    held_out = {r["text"].strip().lower() for r in gold_rows if r["split"] == "test"}
    for dimension, code, entry in _codes(codebook):
        texts = list(entry["examples"]) + [c["text"] for c in entry["counter_examples"]]
        assert not {t.strip().lower() for t in texts} & held_out, (dimension, code)


def test_codebook_loads_in_the_store_and_the_review_app(codebook):
    store = pytest.importorskip("sprogtro.store.codebook")
    review = pytest.importorskip("sprogtro.review.codebook")
    keys = {spec.key for spec in store.parse_codebook(codebook)}
    assert {f"{d}.{c}" for d, codes in LABELS.items() for c in codes} <= keys
    book = review.review_codebook(codebook)
    assert book.label("framing", "deficit") == "Mangelsprog"
    assert book.general_questions[0] == codebook["reflection_questions"][0]


def test_codebook_markdown_covers_every_code_with_examples():
    text = (GUIDES / "codebook.md").read_text(encoding="utf-8")
    assert "## English summary" in text
    for dimension, codes in LABELS.items():
        for code in codes:
            assert f"`{code}`" in text, (dimension, code)
    assert text.count("\nEksempler:") >= 11
    assert text.count("\nModeksempler") >= 11
    for section in re.split(r"\n### ", text)[1:]:
        examples = re.search(r"\nEksempler:\n((?:\d+\. .*\n)+)", section)
        counters = re.search(r"\nModeksempler[^\n]*\n((?:\d+\. .*\n)+)", section)
        assert examples and len(examples.group(1).splitlines()) >= 5, section[:40]
        assert counters and len(counters.group(1).splitlines()) >= 5, section[:40]
    assert "Refleksionsspørgsmål" in text and "Transskriptioner" in text


def test_decision_rules_exist_in_danish_and_english():
    text = (GUIDES / "decision_rules.md").read_text(encoding="utf-8")
    for word in ("Indramning", "Forventning", "Handling", "English version", "ikke uden ressourcer"):
        assert word in text
