"""Agreement (sprogtro.analysis.agreement): the statistics against reference implementations, and
sentence- and span-level agreement between coders of a project."""

from __future__ import annotations

import numpy as np
import pytest

from sprogtro.analysis.agreement import (cohen_kappa, krippendorff_alpha_nominal, percent_agreement,
                                         project_agreement, simple_sentences)
from tests.export.conftest import AARHUS, EMOJI_DOC, ODENSE


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_agreement_alpha_equals_krippendorff_package(seed):
    krippendorff = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(seed)
    values = rng.choice(["a", "b", "c"], size=(3, 60)).astype(object)
    values[rng.random((3, 60)) < 0.15] = None
    numeric = np.array([[np.nan if v is None else "abc".index(v) for v in row] for row in values])
    want = krippendorff.alpha(reliability_data=numeric, level_of_measurement="nominal")
    assert krippendorff_alpha_nominal(values) == pytest.approx(want)


def test_agreement_kappa_and_percent():
    from sklearn.metrics import cohen_kappa_score

    a = np.array(["x", "x", "y", "y", "x", "z"])
    b = np.array(["x", "y", "y", "y", "x", "x"])
    assert cohen_kappa(np.vstack([a, b])) == pytest.approx(cohen_kappa_score(a, b))
    assert percent_agreement(np.vstack([a, b])) == pytest.approx(4 / 6)
    assert np.isnan(cohen_kappa(np.vstack([a, a])[:, :2]))  # no variation: undefined, not an error


def test_agreement_model_vs_itself_is_perfect(full_project):
    full_project.save_sentence_coding(
        [r for r in _rows(full_project, "sprogtro-rules")], coder="kopi", version="1")
    result = project_agreement(full_project, ["sprogtro-rules", "kopi"], level="sentence")
    assert result.comparison == "model–model" and result.documents == 3 and result.units == 10
    assert result.overall["alpha"] == pytest.approx(1.0)
    assert result.overall["percent_agreement"] == 1.0


def _rows(project, coder):
    df = project.sentences_frame(coder=coder)
    return df[["doc_id", "sent_index", "start_char", "end_char", "text", "framing", "expectation", "action",
               "cues"]].to_dict("records")


def test_agreement_model_vs_human_sentence_level(full_project):
    result = project_agreement(full_project, ["sprogtro-rules", "Lærke"], level="sentence")
    assert result.comparison == "model–human"
    # Lærke coded two documents (Aarhus, the emoji note): Odense is left out.
    assert result.documents == 2 and result.units == 7
    framing = result.by_dimension.set_index("dimension").loc["framing"]
    # Aarhus: model deficit/resource/neutral/neutral; Lærke deficit (0–39), resource 30–70 → sentence 2
    # emoji: model resource/neutral/deficit; Lærke resource/none/none → 6 of 7 agree on framing.
    assert framing["n_units"] == 7 and framing["percent_agreement"] == pytest.approx(6 / 7)
    codes = result.by_code.set_index("code_key")
    assert codes.loc["framing.deficit", "n_sprogtro-rules"] == 2 and codes.loc["framing.deficit", "n_Lærke"] == 1
    assert codes.loc["framing.deficit", "n_all"] == 1
    text = "\n".join(result.lines())
    assert "Krippendorff" in text and "framing › deficit" in text
    assert result.to_dict()["by_code"][0]["code_key"]


def test_agreement_span_level(full_project):
    result = project_agreement(full_project, ["sprogtro-rules", "Lærke"], level="span")
    assert result.level == "span" and result.documents == 2
    text = full_project.get_document(AARHUS).text + full_project.get_document(EMOJI_DOC).text
    assert result.units == sum(not ch.isspace() for ch in text)
    codes = result.by_code.set_index("code_key")
    # Lærke's resource on the emoji note (9–22) lies inside the model's resource sentence (0–22).
    assert 0 < codes.loc["framing.resource", "percent_agreement"] < 1
    assert -1 <= result.overall["alpha"] <= 1


def test_agreement_human_only_documents_use_simple_sentences(project):
    from sprogtro.corpus.document import Document

    text = "Hun har svært ved at møde. Han er god til tal.\nVi venter på svar."
    project.add_document(Document(doc_id="x.txt", text=text, pseudonymized=True))
    project.add_codings([{"doc_id": "x.txt", "code": "framing.deficit", "start_char": 0, "end_char": 26}], coder="A")
    project.add_codings([{"doc_id": "x.txt", "code": "framing.deficit", "start_char": 4, "end_char": 20},
                         {"doc_id": "x.txt", "code": "action.waiting", "start_char": 47, "end_char": 65}], coder="B")
    result = project_agreement(project, ["A", "B"])
    assert simple_sentences(text) == [(0, 26), (27, 46), (47, 65)]
    assert result.units == 3 and result.comparison == "human–human"
    dims = result.by_dimension.set_index("dimension")
    assert dims.loc["framing", "percent_agreement"] == 1.0
    assert dims.loc["action", "percent_agreement"] == pytest.approx(2 / 3)


def test_agreement_needs_two_known_coders(full_project):
    from sprogtro.errors import SprogtroError

    with pytest.raises(SprogtroError, match="two"):
        project_agreement(full_project, ["Lærke"])
    with pytest.raises(SprogtroError, match="no coder named"):
        project_agreement(full_project, ["Lærke", "Ingen"])


def test_agreement_no_shared_documents(full_project):
    full_project.add_codings([{"doc_id": ODENSE, "code": "framing.resource", "start_char": 0, "end_char": 5}],
                             coder="Solo")
    result = project_agreement(full_project, ["Lærke", "Solo"])
    assert result.documents == 0 and result.units == 0 and result.notes
    assert np.isnan(result.overall["alpha"])
