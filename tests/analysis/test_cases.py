"""The expectation index (1–5, missing when no cue) and the expectation–action link per case."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from sprogtro.analysis.cases import (case_table, expectation_index, index_summary, link_summary, sentence_scores,
                                     to_step)
from sprogtro.analysis.frame import prepare_sentences


def _rows(case, specs, muni="Vejle"):
    """specs: (doc_id, date, expectation, hedged, action)"""
    rows = []
    for i, (doc, date, exp, hedged, action) in enumerate(specs):
        cues = [{"start": 0, "end": 3, "code": f"expectation.{exp}", "cue": "tro", "negated": False,
                 "hedged": hedged}] if exp != "none" else []
        rows.append({"doc_id": doc, "sent_index": i, "text": f"Sætning {i}.", "framing": "neutral",
                     "expectation": exp, "action": action, "cues": json.dumps(cues), "date": date,
                     "case_id": case, "municipality": muni})
    return rows


@pytest.mark.parametrize("expectation,hedged,score", [
    ("high", False, 5), ("high", True, 4), ("uncertain", False, 3), ("uncertain", True, 3),
    ("low", True, 2), ("low", False, 1),
])
def test_cases_sentence_score_mapping(expectation, hedged, score):
    df = prepare_sentences(pd.DataFrame(_rows("K", [("d", None, expectation, hedged, "none")])))
    assert sentence_scores(df).iloc[0] == score


@pytest.mark.parametrize("cues,score", [
    # the expectation cue's own flag decides, whatever hedge cues stand elsewhere in the sentence
    ([{"code": "expectation.high", "cue": "tror på", "hedged": False}, {"code": "hedge", "cue": "nok"}], 5),
    ([{"code": "expectation.high", "cue": "job", "hedged": True}], 4),
    # labelled high without an expectation cue (e.g. by the classifier): a hedge cue makes it hedged
    ([{"code": "hedge", "cue": "formentlig", "hedged": False}], 4),
    ([], 5),
])
def test_cases_hedging_comes_from_the_cues(cues, score):
    row = _rows("K", [("d", None, "high", False, "none")])[0]
    row["cues"] = json.dumps(cues)
    assert sentence_scores(prepare_sentences(pd.DataFrame([row]))).iloc[0] == score


def test_cases_no_expectation_is_missing_never_neutral():
    df = prepare_sentences(pd.DataFrame(_rows("K", [("d", None, "none", False, "action")] * 3)))
    idx = expectation_index(df).iloc[0]
    assert idx["n_expectation"] == 0
    assert math.isnan(idx["expectation_index"])
    assert pd.isna(idx["expectation_step"]) and idx["expectation_step_label"] is None
    case = case_table(df).iloc[0]
    assert case["link"] == "no_expectation"
    assert index_summary(df, "municipality").iloc[0]["n_cases_missing"] == 1


def test_cases_index_is_mean_and_step_rounds_half_up():
    df = prepare_sentences(pd.DataFrame(_rows("K", [("d", None, "high", False, "none"),
                                                     ("d", None, "high", True, "none")])))
    idx = expectation_index(df).iloc[0]
    assert idx["expectation_index"] == 4.5 and idx["expectation_step"] == 5
    assert idx["expectation_step_label"] == "meget sandsynligt"
    assert to_step(2.5) == 3 and to_step(1.2) == 1 and to_step(float("nan")) is None


def test_cases_link_and_long_period_without_action():
    rows = (
        _rows("BELIEF", [("b1", "2019-01-01", "high", False, "none"), ("b2", "2019-06-01", "none", False, "waiting")])
        + _rows("ACTION", [("a1", "2019-01-01", "low", False, "action"), ("a2", "2021-07-01", "none", False, "none"),
                           ("a3", "2021-08-01", "none", False, "action")])
        + _rows("ONEDOC", [("o1", "2020-01-01", "uncertain", False, "none")])
    )
    cases = case_table(prepare_sentences(pd.DataFrame(rows))).set_index("case_id")
    assert cases.loc["BELIEF", "link"] == "belief_without_action"
    assert cases.loc["BELIEF", "n_waiting"] == 1
    assert cases.loc["BELIEF", "long_period_without_action"] == False  # noqa: E712 (5 months)
    assert cases.loc["ACTION", "link"] == "action_without_belief"
    assert cases.loc["ACTION", "longest_gap_without_action_years"] == pytest.approx(943 / 365.25)  # 2019-01-01 → 2021-08-01
    assert cases.loc["ACTION", "long_period_without_action"] == True  # noqa: E712
    assert cases.loc["ONEDOC", "link"] == "neither"
    assert pd.isna(cases.loc["ONEDOC", "long_period_without_action"])  # one dated document: unknown
    summary = link_summary(cases.reset_index()).set_index("measure")
    assert summary.loc["belief_without_action", "count"] == 1
    assert summary.loc["long_period_without_action", "total"] == 2


def test_cases_table_on_synthetic_corpus(sentences):
    cases = case_table(sentences)
    assert len(cases) == sentences["case_id"].nunique()
    with_index = cases["expectation_index"].notna()
    assert cases.loc[with_index, "expectation_index"].between(1, 5).all()
    assert (cases.loc[~with_index, "n_expectation"] == 0).all()
    assert set(cases["link"]) <= {"belief_and_action", "belief_without_action", "action_without_belief", "neither",
                                  "no_expectation"}
