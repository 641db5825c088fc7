"""A statistical sentence classifier that reads both the words and the rule evidence.

One :class:`CueAwareClassifier` per dimension (framing, expectation, action): word and character n-gram
TF-IDF over the sentence plus the rule cues as feature words (``eff_deficit_neg``, ``rule_framing_mixed``
…), fed to a class-balanced logistic regression. The rule features carry what the codebook says; the
n-grams catch phrasings outside the lexicon. It follows scikit-learn's conventions: ``__init__`` only
stores parameters, ``fit`` returns ``self``, learned state ends in ``_``, ``check_is_fitted`` guards
prediction.

``X`` is a sequence of records, each ``{"text": str, "cues": str}`` (``cues``: space-separated feature
words) or a plain string (text only).
"""

from __future__ import annotations

import re
import warnings
from itertools import repeat
from typing import Any, Sequence

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize
from sklearn.utils.multiclass import unique_labels
from sklearn.utils.validation import check_is_fitted

_DIGITS = re.compile(r"\d")


def _split(X) -> tuple[list[str], list[str]]:
    texts, cues = [], []
    for record in X:
        if isinstance(record, str):
            texts.append(record)
            cues.append("")
        else:
            texts.append(str(record.get("text", "")))
            cues.append(str(record.get("cues", "")))
    return texts, cues


def _normalise(text: str) -> str:
    return _DIGITS.sub("0", text.lower())


def _whitespace_tokens(text: str) -> list[str]:
    return text.split()


class _ExactTransform:
    """A faster ``TfidfVectorizer.transform`` that gives the very same matrix.

    Subclasses count the n-grams (:meth:`_counts`); the TF-IDF weighting is the vectorizer's own
    arithmetic. The first call checks the result against scikit-learn's transform; if they ever differ,
    a warning says so and scikit-learn's transform is used from then on.
    """

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        self.vectorizer = vectorizer
        self.verified: bool | None = None  # None: not checked yet
        self.supported = self._supports(vectorizer)

    @staticmethod
    def _supports(v: TfidfVectorizer) -> bool:
        raise NotImplementedError

    def _counts(self, texts: list[str]) -> sparse.csr_matrix:
        """The n-gram count matrix (float64, sorted indices, no explicit zeros)."""
        raise NotImplementedError

    def transform(self, texts: list[str]):
        if not self.supported or self.verified is False:
            return self.vectorizer.transform(texts)
        fast = self._weight(self._counts(texts))
        if self.verified is None:
            slow = self.vectorizer.transform(texts)
            diff = abs(sparse.csr_matrix(fast) - sparse.csr_matrix(slow))
            self.verified = bool(fast.shape == slow.shape and (diff.nnz == 0 or diff.max() < 1e-12))
            if not self.verified:
                warnings.warn(f"{type(self).__name__} disagrees with scikit-learn; using scikit-learn's "
                              "transform", RuntimeWarning, stacklevel=2)
                return slow
        return fast

    def _weight(self, X: sparse.csr_matrix):
        v = self.vectorizer
        X = X.astype(v.dtype, copy=False)
        if v.binary:
            X.data.fill(1)
        if v.sublinear_tf:
            np.log(X.data, X.data)
            X.data += 1.0
        if v.use_idf:
            X.data *= v.idf_[X.indices]
        if v.norm is not None:
            X = normalize(X, norm=v.norm, copy=False)
        return X


def _plain_vectorizer(v: TfidfVectorizer) -> bool:
    return (v.input == "content" and v.preprocessor is None and v.strip_accents is None
            and v.norm in ("l1", "l2", None))


class CharNgramMemo(_ExactTransform):
    """``TfidfVectorizer(analyzer="char_wb").transform``, word by word with a memo.

    char_wb n-grams never cross a word boundary, so a sentence's n-gram counts are the sum of its words'
    counts; words repeat, so each word type is analysed once. The vectorizer's own transform builds every
    n-gram of every sentence in Python (about a third of the labeller's time).
    """

    MAX_WORDS = 50_000  # cleared when full (see sprogtro.nlp.patterns): ~40 MB at most

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        super().__init__(vectorizer)
        self.words: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    @staticmethod
    def _supports(v: TfidfVectorizer) -> bool:
        return v.analyzer == "char_wb" and _plain_vectorizer(v)

    def _word_features(self, word: str) -> tuple[np.ndarray, np.ndarray]:
        # the n-grams of scikit-learn's ``_char_wb_ngrams`` for one word, as (vocabulary index, count)
        vocabulary = self.vectorizer.vocabulary_
        min_n, max_n = self.vectorizer.ngram_range
        w = f" {word} "
        w_len = len(w)
        counts: dict[int, int] = {}
        for n in range(min_n, max_n + 1):
            offset = 0
            grams = [w[0:n]]
            while offset + n < w_len:
                offset += 1
                grams.append(w[offset : offset + n])
            for g in grams:
                index = vocabulary.get(g)
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
            if offset == 0:  # a word shorter than n counts once
                break
        return np.fromiter(counts, dtype=np.int32, count=len(counts)), \
            np.fromiter(counts.values(), dtype=np.float64, count=len(counts))

    def _counts(self, texts: list[str]) -> sparse.csr_matrix:
        # sentence × word-type counts (S) times word-type × n-gram counts (W): Python loops run once per
        # text and once per word type, the per-word look-ups in C (map) and the sums in scipy
        v = self.vectorizer
        words: list[str] = []
        lengths: list[int] = []
        for text in texts:
            split = (text.lower() if v.lowercase else text).split()
            words.extend(split)
            lengths.append(len(split))
        local = dict.fromkeys(words)  # the batch's word types, in order of first occurrence
        memo = self.words
        rows = []
        for j, word in enumerate(local):
            local[word] = j
            features = memo.get(word)
            if features is None:
                features = self._word_features(word)
                if len(memo) >= self.MAX_WORDS:
                    memo.clear()
                memo[word] = features
            rows.append(features)
        S = sparse.csr_matrix((np.ones(len(words)), (np.repeat(np.arange(len(texts)), lengths),
                                                     np.fromiter(map(local.__getitem__, words), dtype=np.int64,
                                                                 count=len(words)))),
                              shape=(len(texts), len(rows)))
        S.sum_duplicates()
        w_indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        if rows:
            np.cumsum([len(idx) for idx, _ in rows], out=w_indptr[1:])
            w_indices = np.concatenate([idx for idx, _ in rows])
            w_data = np.concatenate([cnt for _, cnt in rows])
        else:
            w_indices, w_data = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64)
        W = sparse.csr_matrix((w_data, w_indices, w_indptr), shape=(len(rows), len(v.vocabulary_)))
        X = sparse.csr_matrix(S @ W)
        X.eliminate_zeros()
        X.sort_indices()
        return X


class WordNgramCounter(_ExactTransform):
    """``TfidfVectorizer(analyzer="word").transform`` with the per-token work in C.

    scikit-learn builds and looks up every n-gram in Python loops; here the tokens come from the same
    regular expression (or the same tokenizer function), n-grams from ``map(" ".join, zip(...))`` and
    vocabulary indices from ``map(vocabulary.get, ...)``, and scipy sums the counts.
    """

    @staticmethod
    def _supports(v: TfidfVectorizer) -> bool:
        if v.analyzer != "word" or v.stop_words is not None or not _plain_vectorizer(v):
            return False
        if v.tokenizer is None:
            return v.token_pattern is not None and re.compile(v.token_pattern).groups == 0
        return v.tokenizer is _whitespace_tokens

    def _counts(self, texts: list[str]) -> sparse.csr_matrix:
        v = self.vectorizer
        tokenize = str.split if v.tokenizer is _whitespace_tokens else re.compile(v.token_pattern).findall
        lookup = v.vocabulary_.get
        min_n, max_n = v.ngram_range
        indices: list[int] = []
        lengths: list[int] = []
        for text in texts:
            tokens = tokenize(text.lower() if v.lowercase else text)
            before = len(indices)
            for n in range(min_n, max_n + 1):
                grams = tokens if n == 1 else map(" ".join, zip(*(tokens[k:] for k in range(n))))
                indices.extend(map(lookup, grams, repeat(-1)))
            lengths.append(len(indices) - before)
        cols = np.asarray(indices, dtype=np.int64)
        rows = np.repeat(np.arange(len(texts)), lengths)
        known = cols >= 0
        X = sparse.csr_matrix((np.ones(int(known.sum())), (rows[known], cols[known])),
                              shape=(len(texts), len(v.vocabulary_)))
        X.sum_duplicates()
        X.sort_indices()
        return X


class CueAwareClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression over word + character n-grams and rule-cue features.

    Parameters
    ----------
    C : inverse regularisation strength of the logistic regression.
    word_ngram_range, char_ngram_range : n-gram ranges of the two TF-IDF views of the text.
    text_weight, char_weight, cue_weight : how much each view counts (the blocks are scaled before fitting).
    min_df : minimum document frequency for the n-gram vocabularies.
    class_weight : passed to LogisticRegression ("balanced" by default: rare classes matter for macro-F1).
    """

    def __init__(self, *, C: float = 4.0, word_ngram_range: tuple[int, int] = (1, 2),
                 char_ngram_range: tuple[int, int] = (2, 5), text_weight: float = 1.0,
                 char_weight: float = 1.0, cue_weight: float = 2.0, min_df: int = 1,
                 class_weight: str | dict | None = "balanced", max_iter: int = 3000) -> None:
        self.C = C
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.text_weight = text_weight
        self.char_weight = char_weight
        self.cue_weight = cue_weight
        self.min_df = min_df
        self.class_weight = class_weight
        self.max_iter = max_iter

    def _transform(self, X, *, fit: bool = False):
        texts, cues = _split(X)
        texts = [_normalise(t) for t in texts]
        cues = [c if c.strip() else "nocue" for c in cues]
        blocks = []
        for attr, data, weight in (("word_vectorizer_", texts, self.text_weight),
                                   ("char_vectorizer_", texts, self.char_weight),
                                   ("cue_vectorizer_", cues, self.cue_weight)):
            if weight <= 0:
                continue
            vec = getattr(self, attr)
            if fit:
                matrix = vec.fit_transform(data)
            else:
                matrix = self._exact_transform(attr).transform(data)
            blocks.append(matrix * weight)
        return sparse.hstack(blocks).tocsr()

    def _exact_transform(self, attr: str) -> _ExactTransform:
        """A faster transform of a fitted vectorizer, same matrix (a cache, not learned state: never pickled)."""
        cache = self.__dict__.setdefault("_exact_transforms", {})
        vectorizer = getattr(self, attr)
        fast = cache.get(attr)
        if fast is None or fast.vectorizer is not vectorizer:
            kind = CharNgramMemo if vectorizer.analyzer == "char_wb" else WordNgramCounter
            fast = cache[attr] = kind(vectorizer)
        return fast

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_exact_transforms", None)
        return state

    def fit(self, X: Sequence[Any], y: Sequence[str]) -> "CueAwareClassifier":
        """Fit the vectorizers and the logistic regression; returns ``self``."""
        y = np.asarray(list(y))
        if len(y) != len(X):
            raise ValueError(f"X has {len(X)} records but y has {len(y)} labels")
        if len(y) == 0:
            raise ValueError("cannot fit on zero sentences")
        self.classes_ = unique_labels(y)
        self.word_vectorizer_ = TfidfVectorizer(ngram_range=tuple(self.word_ngram_range), min_df=self.min_df,
                                                sublinear_tf=True, token_pattern=r"(?u)\b\w[\w'-]*\b")
        self.char_vectorizer_ = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.char_ngram_range),
                                                min_df=self.min_df, sublinear_tf=True)
        self.cue_vectorizer_ = TfidfVectorizer(tokenizer=_whitespace_tokens, token_pattern=None, lowercase=False,
                                               sublinear_tf=True, use_idf=False, norm="l2")
        features = self._transform(X, fit=True)
        if len(self.classes_) == 1:
            self.model_ = None
        else:
            self.model_ = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter)
            self.model_.fit(features, y)
        self.n_features_in_ = features.shape[1]
        return self

    def transform(self, X: Sequence[Any]):
        """The feature matrix the logistic regression reads (sparse)."""
        check_is_fitted(self, "classes_")
        return self._transform(X)

    def same_features_as(self, other: "CueAwareClassifier") -> bool:
        """True when both were fitted with identical vectorizers (so one ``transform`` serves both)."""
        if self.get_params() != other.get_params():
            return False
        return all(getattr(self, a).vocabulary_ == getattr(other, a).vocabulary_ and
                   np.array_equal(getattr(getattr(self, a), "idf_", np.zeros(0)),
                                  getattr(getattr(other, a), "idf_", np.zeros(0)))
                   for a in ("word_vectorizer_", "char_vectorizer_", "cue_vectorizer_"))

    def predict_proba_features(self, features) -> np.ndarray:
        """Class probabilities from an already transformed feature matrix."""
        check_is_fitted(self, "classes_")
        if self.model_ is None:
            return np.ones((features.shape[0], 1))
        return self.model_.predict_proba(features)

    def predict_proba(self, X: Sequence[Any]) -> np.ndarray:
        """Class probabilities, columns in the order of ``classes_``."""
        return self.predict_proba_features(self.transform(X))

    def predict(self, X: Sequence[Any]) -> np.ndarray:
        """The most probable class per record."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]
