"""The review codebook: Danish labels, definitions and reflection questions from the codebook file,
the store's codes table, other shapes, or the built-in defaults."""

from __future__ import annotations

import pandas as pd
import pytest

from sprogtro.review.codebook import DIMENSIONS, review_codebook
from sprogtro.review.source import ReviewSource, _guide_codebook


def test_codebook_from_the_bundled_file_has_danish_labels_and_questions():
    raw = _guide_codebook()
    if raw is None:
        pytest.skip("annotation_guides/codebook.yml is not there yet")
    cb = review_codebook(raw)
    assert cb.values("framing") == ["deficit", "resource", "mixed", "neutral"]
    assert cb.values("expectation") == ["high", "low", "uncertain", "none"]
    assert cb.values("action") == ["action", "waiting", "none"]
    assert cb.label("framing", "deficit") == "Mangelsprog"
    assert cb.dimension_labels["framing"] == "Indramning"
    for dim, codes in DIMENSIONS.items():
        for code in codes:
            assert cb.questions(dim, code), (dim, code)
            assert cb.get(dim, code).definition
    assert len(cb.general_questions) >= 3
    assert all("?" in q for q in cb.general_questions)


def test_codebook_of_a_project_prefers_the_file_and_speaks_danish(project_dir):
    source = ReviewSource(project_dir)
    cb = source.codebook()
    source.close()
    assert cb.label("expectation", "low") == "Lav forventning"
    assert "Problems" not in cb.get("framing", "deficit").definition  # never the English QDA description


def test_codebook_from_the_store_table_takes_codes_and_colours_only():
    table = pd.DataFrame([
        {"key": "framing", "dimension": "framing", "label": None, "name": "framing", "colour": "#000000",
         "description": "How the sentence describes the citizen."},
        {"key": "framing.deficit", "dimension": "framing", "label": "deficit", "name": "deficit",
         "colour": "#C44E52", "description": "Problems, limitations."},
    ])
    cb = review_codebook(table)
    code = cb.get("framing", "deficit")
    assert code.label == "Mangelsprog" and code.color == "#C44E52"
    assert code.definition.startswith("Beskriver borgeren")
    assert cb.values("framing") == ["deficit", "resource", "mixed", "neutral"]  # no bogus parent code


@pytest.mark.parametrize("raw", [
    None,
    {},
    {"dimensions": [{"name": "framing", "codes": [{"value": "deficit", "label_da": "Mangel",
                                                   "reflection_questions": ["Hvorfor?"]}]}]},
    {"framing": {"deficit": {"navn": "Mangel", "refleksion": "Hvorfor?"}}},
    [{"dimension": "framing", "code": "deficit", "label": "Mangel", "questions": ["Hvorfor?"]}],
])
def test_codebook_shapes(raw):
    cb = review_codebook(raw)
    assert cb.is_valid("framing", "deficit") and not cb.is_valid("framing", "high")
    if raw:
        assert cb.label("framing", "deficit") == "Mangel"
        assert cb.questions("framing", "deficit") == ["Hvorfor?"]
    else:
        assert cb.label("framing", "deficit") == "Mangelsprog"
    assert cb.questions("action", "waiting")


def test_codebook_accepts_a_code_the_codebook_adds():
    cb = review_codebook({"dimensions": {"framing": {"labels": {"deficit": {}, "ambivalent": {"label_da": "Tvetydig"}}}}})
    assert "ambivalent" in cb.values("framing") and cb.label("framing", "ambivalent") == "Tvetydig"
