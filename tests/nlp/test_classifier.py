"""The statistical sentence classifier follows scikit-learn's estimator conventions."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from sprogtro.nlp.classifier import CueAwareClassifier

X = [
    {"text": "Hun har svært ved at møde op", "cues": "eff_deficit rule_framing_deficit"},
    {"text": "Han mangler motivation", "cues": "eff_deficit rule_framing_deficit"},
    {"text": "Hun er god til at lave mad", "cues": "eff_resource rule_framing_resource"},
    {"text": "Han er stabil og engageret", "cues": "eff_resource rule_framing_resource"},
    "Næste møde er på tirsdag",
    {"text": "Vi har modtaget lægeattesten", "cues": ""},
]
Y = ["deficit", "deficit", "resource", "resource", "neutral", "neutral"]


def test_classifier_init_only_stores_parameters():
    clf = CueAwareClassifier(C=2.0, cue_weight=3.0)
    assert clf.get_params()["C"] == 2.0 and clf.get_params()["cue_weight"] == 3.0
    assert not [k for k in vars(clf) if k.endswith("_")]
    assert clone(clf).get_params() == clf.get_params()


def test_classifier_fit_returns_self_and_learns_underscore_attributes():
    clf = CueAwareClassifier()
    assert clf.fit(X, Y) is clf
    assert list(clf.classes_) == ["deficit", "neutral", "resource"]
    learned = [k for k in vars(clf) if k.endswith("_")]
    assert {"classes_", "model_", "word_vectorizer_", "char_vectorizer_", "cue_vectorizer_"} <= set(learned)


def test_classifier_predict_proba_is_a_distribution():
    clf = CueAwareClassifier().fit(X, Y)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert list(clf.predict(X)) == Y


def test_classifier_reads_the_rule_features():
    clf = CueAwareClassifier(cue_weight=5.0).fit(X, Y)
    unseen = {"text": "xyzzy qwerty", "cues": "eff_deficit rule_framing_deficit"}
    assert clf.predict([unseen])[0] == "deficit"


def test_classifier_predict_before_fit_raises():
    with pytest.raises(NotFittedError):
        CueAwareClassifier().predict(X)


def test_classifier_rejects_mismatched_lengths():
    with pytest.raises(ValueError):
        CueAwareClassifier().fit(X, Y[:-1])
