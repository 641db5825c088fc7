"""The statistical sentence classifier follows scikit-learn's estimator conventions."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer

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


def _gold_texts() -> list[str]:
    import csv

    from sprogtro.nlp.training import bundled_gold_path

    with open(bundled_gold_path(), encoding="utf-8") as fh:
        return [row["text"] for row in csv.DictReader(fh)]


def test_char_ngram_memo_gives_scikit_learns_matrix_exactly():
    """The word-by-word memo builds the very matrix TfidfVectorizer(analyzer="char_wb") builds: fitted on
    the gold sentences, checked on them and on edge cases (empty, one letter, words shorter than n,
    tabs and no-break spaces, Danish letters, digits)."""
    from scipy import sparse

    from sprogtro.nlp.classifier import CharNgramMemo

    texts = _gold_texts()
    edge = ["", "a", "ab", "  x\t\ny  ", "æøå  ÆØÅ", "é\u00a0ü", "1 22 333", "ikke-motiveret, men glad!"]
    for ngram_range in ((2, 5), (3, 3), (1, 6)):
        vec = TfidfVectorizer(analyzer="char_wb", ngram_range=ngram_range, sublinear_tf=True).fit(texts[:800])
        memo = CharNgramMemo(vec)
        probe = texts[800:1600] + edge
        fast, slow = memo.transform(probe), vec.transform(probe)
        assert memo.verified is True and fast.shape == slow.shape
        assert (sparse.csr_matrix(fast) != sparse.csr_matrix(slow)).nnz == 0
        again = memo.transform(probe)  # from the memo this time
        assert (sparse.csr_matrix(again) != sparse.csr_matrix(slow)).nnz == 0
        assert len(memo.words) > 100


def test_char_ngram_memo_falls_back_when_it_cannot_match(monkeypatch):
    from sprogtro.nlp.classifier import CharNgramMemo

    texts = _gold_texts()[:300]
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).fit(texts)
    memo = CharNgramMemo(vec)
    monkeypatch.setattr(memo, "_word_features", lambda word: (np.zeros(0, np.int32), np.zeros(0)))  # finds nothing
    with pytest.warns(RuntimeWarning, match="disagrees"):
        out = memo.transform(texts[:50])
    assert memo.verified is False and (out != vec.transform(texts[:50])).nnz == 0
    assert not CharNgramMemo(TfidfVectorizer(analyzer="char", ngram_range=(2, 3)).fit(texts)).supported


def test_classifier_pickles_without_its_fast_transforms_and_predicts_the_same():
    import pickle

    texts = _gold_texts()[:400]
    y = ["a" if i % 3 else "b" for i in range(len(texts))]
    clf = CueAwareClassifier().fit(texts, y)
    before = clf.predict_proba(texts[:100])
    assert set(clf.__dict__["_exact_transforms"]) == {"word_vectorizer_", "char_vectorizer_", "cue_vectorizer_"}
    copy = pickle.loads(pickle.dumps(clf))
    assert "_exact_transforms" not in copy.__dict__
    np.testing.assert_array_equal(copy.predict_proba(texts[:100]), before)


def test_word_ngram_counter_gives_scikit_learns_matrix_exactly():
    """The word and cue vectorizers' fast path builds TfidfVectorizer's own matrix: the classifier's token
    pattern with uni- to trigrams, the whitespace tokenizer without lower-casing, sublinear tf, idf or not,
    l1/l2/no norm; fitted on gold sentences, checked on others and on edge cases (out-of-vocabulary words,
    repeated n-grams, a one-word text, punctuation only, hyphens and apostrophes, Danish letters)."""
    from scipy import sparse

    from sprogtro.nlp.classifier import WordNgramCounter, _whitespace_tokens

    texts = _gold_texts()
    edge = ["", "ord", "!!! ...", "ikke ikke ikke ikke", "ikke-motiveret borger's ÆØÅ æøå", "zzqx qqzz",
            "Hun Hun HUN hun"]
    vectorizers = [
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w[\w'-]*\b"),
        TfidfVectorizer(ngram_range=(1, 3), min_df=2),
        TfidfVectorizer(ngram_range=(2, 2), norm="l1", use_idf=False),
        TfidfVectorizer(tokenizer=_whitespace_tokens, token_pattern=None, lowercase=False, sublinear_tf=True,
                        use_idf=False, norm="l2"),
        TfidfVectorizer(tokenizer=_whitespace_tokens, token_pattern=None, norm=None, binary=True),
    ]
    for vec in vectorizers:
        vec.fit(texts[:800])
        counter = WordNgramCounter(vec)
        assert counter.supported
        probe = texts[800:1600] + edge
        fast, slow = counter.transform(probe), vec.transform(probe)
        assert counter.verified is True and fast.shape == slow.shape
        assert (sparse.csr_matrix(fast) != sparse.csr_matrix(slow)).nnz == 0
        again = counter.transform(probe[::-1])
        assert (sparse.csr_matrix(again) != sparse.csr_matrix(vec.transform(probe[::-1]))).nnz == 0


def test_word_ngram_counter_leaves_what_it_cannot_match_to_scikit_learn(monkeypatch):
    from sprogtro.nlp.classifier import WordNgramCounter

    texts = _gold_texts()[:300]
    assert not WordNgramCounter(TfidfVectorizer(stop_words=["og"]).fit(texts)).supported
    assert not WordNgramCounter(TfidfVectorizer(tokenizer=lambda t: t.split(), token_pattern=None).fit(texts)).supported
    assert not WordNgramCounter(TfidfVectorizer(token_pattern=r"(\w+)").fit(texts)).supported
    counter = WordNgramCounter(TfidfVectorizer().fit(texts))
    monkeypatch.setattr(counter, "_counts", lambda batch: sparse_zeros(len(batch), len(counter.vectorizer.vocabulary_)))
    with pytest.warns(RuntimeWarning, match="disagrees"):
        out = counter.transform(texts[:50])
    assert counter.verified is False and (out != counter.vectorizer.transform(texts[:50])).nnz == 0


def sparse_zeros(rows: int, cols: int):
    from scipy import sparse

    return sparse.csr_matrix((rows, cols))


def test_char_ngram_memo_stays_bounded_and_exact_when_it_clears():
    from scipy import sparse

    from sprogtro.nlp.classifier import CharNgramMemo

    texts = _gold_texts()
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True).fit(texts[:800])
    memo = CharNgramMemo(vec)
    memo.MAX_WORDS = 50  # far fewer than the word types below: the memo clears many times
    probe = texts[800:1400]
    fast = memo.transform(probe)
    assert len(memo.words) <= 50
    assert (sparse.csr_matrix(fast) != sparse.csr_matrix(vec.transform(probe))).nnz == 0
