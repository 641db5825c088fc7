"""Embedders for topic modelling: one small class per backend, all with ``embed(documents)``.

- :class:`TfidfSvdEmbedder` (default, ``"tfidf"``): character n-gram TF-IDF + TruncatedSVD (LSA) with the
  number of components chosen to fit the vocabulary and the number of documents. Needs only
  scikit-learn, runs offline, and keeps æøå (no accent stripping).
- :class:`SentenceTransformerEmbedder` (``"sentence-transformers:PATH_OR_NAME"``): a local model folder or
  a model already in the Hugging Face cache. Loaded with ``HF_HUB_OFFLINE=1`` and
  ``local_files_only=True``: sprogtro never downloads a model.
- :class:`SpacyEmbedder` (``"spacy:NAME_OR_PATH"``): the mean word vector of any spaCy pipeline that has
  word vectors (``da_core_news_md``/``lg`` or your own).

:func:`make_embedder` turns the CLI spelling into one of them. BERTopic gets them through
:mod:`sprogtro.analysis._bertopic_blocks`, so ``embedding_model`` is never left ``None`` (which would make
BERTopic download an English model).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from sprogtro.analysis._optional import require
from sprogtro.errors import ModelError


@runtime_checkable
class Embedder(Protocol):
    """What the topic model needs from an embedder."""

    name: str

    def embed(self, documents: list[str], verbose: bool = False) -> np.ndarray: ...


def adaptive_components(n_docs: int, n_features: int, wanted: int = 100) -> int:
    """SVD components that fit the data: at most ``wanted``, fewer than the documents and the features."""
    return max(1, min(wanted, n_docs - 1, n_features - 1))


class TfidfSvdEmbedder:
    """Character n-gram TF-IDF followed by TruncatedSVD; rows are L2-normalised (cosine-ready).

    ``fit`` must see the corpus first (topic fitting does that); ``embed`` then projects any text.
    ``n_components`` is an upper bound: the fitted ``n_components_`` is adapted to the vocabulary.
    ``min_df=None`` drops n-grams seen in one text only once there are 50 texts or more: on real case
    notes those hapaxes (names, numbers, typos) flatten the space until HDBSCAN sees a single blob.
    """

    name = "tfidf"

    def __init__(self, *, n_components: int = 100, ngram_range: tuple[int, int] = (3, 5),
                 analyzer: str = "char_wb", min_df: int | None = None, random_state: int = 42):
        self.n_components = n_components
        self.ngram_range = ngram_range
        self.analyzer = analyzer
        self.min_df = min_df
        self.random_state = random_state

    def fit(self, documents: list[str]) -> TfidfSvdEmbedder:
        docs = list(documents)
        if len(docs) < 3:
            raise ModelError("the TF-IDF embedder needs at least 3 distinct documents")
        min_df = self.min_df if self.min_df is not None else (2 if len(docs) >= 50 else 1)
        self.vectorizer_ = TfidfVectorizer(
            analyzer=self.analyzer, ngram_range=tuple(self.ngram_range), lowercase=True, strip_accents=None,
            sublinear_tf=True, min_df=min_df, dtype=np.float64,
        )
        matrix = self.vectorizer_.fit_transform(docs)
        self.n_components_ = adaptive_components(matrix.shape[0], matrix.shape[1], self.n_components)
        self.svd_ = TruncatedSVD(n_components=self.n_components_, algorithm="randomized", n_iter=7,
                                 random_state=self.random_state)
        self.svd_.fit(matrix)
        return self

    def embed(self, documents: list[str], verbose: bool = False) -> np.ndarray:
        if not hasattr(self, "svd_"):
            raise NotFittedError("TfidfSvdEmbedder.fit must see the corpus before embed")
        reduced = self.svd_.transform(self.vectorizer_.transform(list(documents)))
        return normalize(reduced)

    def describe(self) -> str:
        n = getattr(self, "n_components_", self.n_components)
        return (f"TF-IDF ({self.analyzer} {self.ngram_range[0]}–{self.ngram_range[1]}-grams) + "
                f"TruncatedSVD ({n} components)")


def _offline() -> None:
    """Never reach the Hugging Face hub from here (read when huggingface_hub is first imported)."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local folder or the local cache, never downloaded."""

    name = "sentence-transformers"

    def __init__(self, model: str, *, batch_size: int = 32, device: str | None = None):
        self.model = model
        self.batch_size = batch_size
        self.device = device

    def _load(self):
        if hasattr(self, "model_"):
            return self.model_
        _offline()
        st = require("sentence_transformers", "topics")
        path = Path(self.model).expanduser()
        target = str(path) if path.exists() else self.model
        try:
            self.model_ = st.SentenceTransformer(target, device=self.device, local_files_only=True)
        except Exception as exc:  # OSError, ValueError, HF errors: all mean "not available offline"
            raise ModelError(
                f"sentence-transformers model {self.model!r} is neither a local folder nor in the local "
                f"cache ({type(exc).__name__}); sprogtro never downloads models: pass a local path"
            ) from None
        return self.model_

    def embed(self, documents: list[str], verbose: bool = False) -> np.ndarray:
        model = self._load()
        vectors = model.encode(list(documents), batch_size=self.batch_size, show_progress_bar=verbose,
                               convert_to_numpy=True, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float64)

    def describe(self) -> str:
        return f"sentence-transformers model {Path(self.model).name or self.model}"


class SpacyEmbedder:
    """Mean word vector per text from a spaCy pipeline with word vectors (no other component runs)."""

    name = "spacy"

    def __init__(self, model: str, *, batch_size: int = 256):
        self.model = model
        self.batch_size = batch_size

    def _load(self):
        if hasattr(self, "nlp_"):
            return self.nlp_
        import spacy

        try:
            nlp = spacy.load(self.model)
        except (OSError, ImportError) as exc:
            raise ModelError(f"spaCy pipeline {self.model!r} could not be loaded: {exc}") from None
        if nlp.vocab.vectors.shape[0] == 0 or nlp.vocab.vectors.shape[1] == 0:
            raise ModelError(
                f"spaCy pipeline {self.model!r} has no word vectors; use one that has "
                "(e.g. da_core_news_md or da_core_news_lg) or --embedder tfidf"
            )
        self.nlp_ = nlp
        return nlp

    def embed(self, documents: list[str], verbose: bool = False) -> np.ndarray:
        nlp = self._load()
        with nlp.select_pipes(disable=nlp.pipe_names):
            vectors = [doc.vector for doc in nlp.pipe(list(documents), batch_size=self.batch_size)]
        return normalize(np.vstack(vectors).astype(np.float64))

    def describe(self) -> str:
        return f"spaCy word vectors from {Path(self.model).name or self.model}"


def make_embedder(spec: str | Embedder = "tfidf") -> Embedder:
    """``"tfidf"``, ``"sentence-transformers:PATH_OR_NAME"``, ``"spacy:NAME_OR_PATH"`` or an embedder."""
    if not isinstance(spec, str):
        if isinstance(spec, Embedder):
            return spec
        raise ModelError("an embedder needs a name and an embed(documents) method")
    kind, _, target = spec.partition(":")
    kind = kind.strip().lower()
    if kind == "tfidf" and not target:
        return TfidfSvdEmbedder()
    if kind in ("sentence-transformers", "st", "sbert") and target:
        return SentenceTransformerEmbedder(target)
    if kind == "spacy" and target:
        return SpacyEmbedder(target)
    raise ModelError(
        f"unknown embedder {spec!r}: use tfidf, sentence-transformers:PATH_OR_NAME or spacy:NAME_OR_PATH"
    )
