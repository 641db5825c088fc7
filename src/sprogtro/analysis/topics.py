"""Topics with BERTopic, every block explicit (embedder, reducer, clusterer, vectorizer, c-TF-IDF,
representation), reproducible, and with results tied back to sentences and their metadata.

Reproducibility: texts are de-duplicated (NFC, case-folded, whitespace collapsed) and fitted in sorted
order, so the same sentences give the same topics whatever their order or repetition; every random
block gets the same seed; UMAP starts from PCA (``init="pca"``) and runs single-threaded under its seed.
The default blocks need no download: TF-IDF + SVD embeddings and a Danish stop-word list.

BERTopic, UMAP and HDBSCAN are the ``topics`` extra; they are imported only when :func:`fit_topics` runs.
"""

from __future__ import annotations

import logging
import math
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from sprogtro._io import atomic_write_text
from sprogtro.analysis._io import write_csv
from sprogtro.analysis._optional import require
from sprogtro.analysis.embedders import Embedder, make_embedder
from sprogtro.analysis.frame import AnalysisError, coded_mask, dedupe_key, group_values
from sprogtro.analysis.stats import wilson_interval
from sprogtro.analysis.stopwords import danish_stop_words, surrogate_words


# Words of two or more letters, æøå included; no digits, no underscores (so "[PERSON_3]" tags stay out).
TOKEN_PATTERN = r"(?u)\b[^\W\d_]{2,}\b"
MIN_DOCUMENTS = 10
OUTLIER = -1
META = ("doc_id", "sent_index", "municipality", "doc_type", "role", "speaker", "date", "case_id")


def adaptive_min_topic_size(n_docs: int) -> int:
    """HDBSCAN's smallest topic: about 1/40 of the distinct texts, between 3 and 15."""
    return int(min(15, max(3, round(n_docs / 40))))


def adaptive_n_clusters(n_docs: int) -> int:
    """KMeans topics for the fast path: about sqrt(n/4), between 2 and 20."""
    return int(min(20, max(2, round(math.sqrt(n_docs / 4)))))


@dataclass(frozen=True)
class TopicConfig:
    """Settings of one topic model. ``None`` means "adapted to the data" where noted."""

    embedder: str | Embedder = "tfidf"
    fast: bool = False                   # PCA + KMeans instead of UMAP + HDBSCAN
    unit: str = "sentence"               # or "document" (a document's sentences joined)
    subset: str = "all"                  # or "coded": only sentences with a non-empty label
    seed: int = 42
    n_components: int = 5                # reducer output dimensions (capped by the data)
    n_neighbors: int = 15                # UMAP (capped by the data)
    min_topic_size: int | None = None    # HDBSCAN min_cluster_size; None: adaptive
    min_samples: int | None = None       # HDBSCAN; None: a third of min_topic_size (see _blocks)
    n_clusters: int | None = None        # KMeans; None: adaptive
    top_n_words: int = 10
    ngram_range: tuple[int, int] = (1, 2)
    stop_words: tuple[str, ...] | None = None   # None: the bundled Danish list (+ surrogate names)
    drop_surrogate_names: bool = True    # pseudonymization surrogates are names, not topics
    reduce_outliers: bool = False
    outlier_strategy: str = "c-tf-idf"   # or "embeddings"


def _units(df: pd.DataFrame, config: TopicConfig) -> pd.DataFrame:
    if config.subset not in ("all", "coded"):
        raise AnalysisError("subset must be 'all' or 'coded'")
    part = df.loc[coded_mask(df)] if config.subset == "coded" else df
    part = part.sort_values(["doc_id", "sent_index"], kind="stable")
    if config.unit == "sentence":
        return part.loc[:, [c for c in ("text", *META) if c in part.columns]].reset_index(drop=True)
    if config.unit != "document":
        raise AnalysisError("unit must be 'sentence' or 'document'")
    grouped = part.groupby("doc_id", sort=True)
    docs = grouped.agg(
        text=("text", " ".join), municipality=("municipality", "first"), doc_type=("doc_type", "first"),
        date=("date", "min"), case_id=("case_id", "first"),
    ).reset_index()
    docs["role"] = None
    return docs


def _blocks(config: TopicConfig, n_docs: int, n_dims: int) -> dict:
    """Reducer, clusterer, vectorizer, c-TF-IDF and representation blocks sized to the data."""
    from sklearn.feature_extraction.text import CountVectorizer

    from sprogtro.analysis._bertopic_blocks import CtfidfWords

    vectorizers = require("bertopic.vectorizers", "topics")
    n_components = max(2, min(config.n_components, n_dims, n_docs - 2))
    if config.fast:
        from sklearn.cluster import KMeans
        from sklearn.decomposition import PCA

        reducer = PCA(n_components=n_components, svd_solver="full", random_state=config.seed)
        k = min(config.n_clusters or adaptive_n_clusters(n_docs), n_docs - 1)
        clusterer = KMeans(n_clusters=k, n_init=10, random_state=config.seed)
    else:
        umap = require("umap", "topics")
        hdbscan = require("hdbscan", "topics")
        reducer = umap.UMAP(
            n_neighbors=max(2, min(config.n_neighbors, n_docs - 1)), n_components=n_components,
            min_dist=0.0, metric="cosine", init="pca", random_state=config.seed, n_jobs=1,
        )
        size = config.min_topic_size or adaptive_min_topic_size(n_docs)
        # min_samples below min_cluster_size: with the default (equal) HDBSCAN's "eom" tends to keep one
        # big cluster of short case-note sentences (seen on the sample corpus: 1 topic holding 97%).
        clusterer = hdbscan.HDBSCAN(
            min_cluster_size=size, min_samples=config.min_samples or max(2, size // 3),
            metric="euclidean", cluster_selection_method="eom", prediction_data=True,
        )
    stop = list(config.stop_words if config.stop_words is not None else danish_stop_words())
    if config.drop_surrogate_names:
        stop = sorted(set(stop) | surrogate_words())
    vectorizer = CountVectorizer(
        token_pattern=TOKEN_PATTERN, lowercase=True, strip_accents=None, stop_words=stop or None,
        ngram_range=tuple(config.ngram_range), min_df=1,
    )
    ctfidf = vectorizers.ClassTfidfTransformer(reduce_frequent_words=True)
    return {"umap_model": reducer, "hdbscan_model": clusterer, "vectorizer_model": vectorizer,
            "ctfidf_model": ctfidf, "representation_model": CtfidfWords()}


@dataclass
class TopicResult:
    """A fitted topic model and its results tied back to the analysed rows."""

    model: object
    config: TopicConfig
    embedder: Embedder
    rows: pd.DataFrame            # one row per unit (sentence or document) with ``topic``
    docs: list[str]               # distinct texts in fitting order
    embeddings: np.ndarray
    doc_topics: list[int]         # topic per distinct text
    notes: list[str] = field(default_factory=list)

    # ---- tables -------------------------------------------------------------------------------
    def settings(self) -> dict[str, str]:
        """The blocks as fitted (adapted sizes included), for the settings table and the report."""
        model, cfg = self.model, self.config
        embedder = getattr(self.embedder, "describe", None)
        if cfg.fast:
            reducer = f"PCA ({model.umap_model.n_components} components)"
            clusterer = f"KMeans ({model.hdbscan_model.n_clusters} topics)"
        else:
            umap, hdb = model.umap_model, model.hdbscan_model
            reducer = (f"UMAP (init=pca, metric=cosine, {umap.n_components} components, "
                       f"{umap.n_neighbors} neighbours)")
            clusterer = f"HDBSCAN (min_cluster_size {hdb.min_cluster_size}, min_samples {hdb.min_samples})"
        return {
            "embedder": embedder() if callable(embedder) else getattr(self.embedder, "name", "?"),
            "reducer": reducer, "clusterer": clusterer, "unit": cfg.unit, "subset": cfg.subset,
            "seed": str(cfg.seed), "distinct texts": str(len(self.docs)),
            "outlier reduction": cfg.outlier_strategy if any("outlier reduction" in n for n in self.notes) else "no",
        }

    def topic_labels(self) -> dict[int, str]:
        labels = {}
        for topic in sorted(set(self.doc_topics)):
            if topic == OUTLIER:
                labels[topic] = "Outliers (−1)"
                continue
            words = [w for w, _ in (self.model.get_topic(topic) or [])][:4]
            labels[topic] = f"T{topic}: " + ", ".join(w for w in words if w)
        return labels

    def topic_table(self) -> pd.DataFrame:
        """One row per topic: size in distinct texts and in rows, share of rows, top words."""
        labels = self.topic_labels()
        counts = self.rows["topic"].value_counts()
        distinct = pd.Series(self.doc_topics).value_counts()
        rows = []
        for topic in sorted(labels):
            words = self.model.get_topic(topic) or []
            rows.append({
                "topic": topic, "label": labels[topic], "n_rows": int(counts.get(topic, 0)),
                "n_distinct_texts": int(distinct.get(topic, 0)),
                "share_rows": float(counts.get(topic, 0) / len(self.rows)),
                "words": ", ".join(w for w, _ in words[: self.config.top_n_words] if w),
                "weights": ", ".join(f"{s:.4f}" for w, s in words[: self.config.top_n_words] if w),
            })
        return pd.DataFrame(rows)

    def shares(self, by: str) -> pd.DataFrame:
        """Share of each group's rows in each topic, with 95% Wilson intervals."""
        groups = group_values(self.rows, by)
        labels = self.topic_labels()
        out = []
        for group in sorted(groups.unique()):
            part = self.rows.loc[groups == group, "topic"]
            total = len(part)
            for topic in sorted(labels):
                k = int((part == topic).sum())
                low, high = wilson_interval(k, total)
                out.append({"by": by, "group": group, "topic": topic, "label": labels[topic], "count": k,
                            "total": total, "share": k / total, "ci_low": low, "ci_high": high})
        return pd.DataFrame(out)

    @contextmanager
    def _row_topics(self):
        """BERTopic's ``topics_per_class`` reads ``topics_`` for the documents passed; pass all rows
        (duplicates included, each with its own metadata) by swapping in the row topics."""
        fitted = self.model.topics_
        self.model.topics_ = self.rows["topic"].tolist()
        try:
            yield self.rows["text"].tolist()
        finally:
            self.model.topics_ = fitted

    def per_class(self, by: str) -> pd.DataFrame:
        """BERTopic's ``topics_per_class``: class-specific top words and frequency per topic."""
        classes = group_values(self.rows, by).tolist()
        with self._row_topics() as docs:
            table = self.model.topics_per_class(docs, classes=classes)
        table = table.rename(columns={"Topic": "topic", "Words": "words", "Frequency": "frequency",
                                      "Class": by})
        return table.sort_values([by, "topic"]).reset_index(drop=True)

    def over_time(self, period: str = "year") -> pd.DataFrame:
        """BERTopic's ``topics_over_time`` on rows with a date, per calendar ``period`` (year, quarter or
        month). BERTopic gets datetimes (each the start of its period), never strings."""
        freq = {"year": "Y", "quarter": "Q", "month": "M"}.get(period)
        if freq is None:
            raise AnalysisError("period must be year, quarter or month")
        dated = self.rows["date"].notna()
        if dated.sum() < 2:
            return pd.DataFrame(columns=["topic", "words", "frequency", "timestamp"])
        rows = self.rows.loc[dated]
        starts = pd.to_datetime(rows["date"]).dt.to_period(freq).dt.start_time
        timestamps = [ts.to_pydatetime() for ts in starts]
        table = self.model.topics_over_time(rows["text"].tolist(), timestamps, topics=rows["topic"].tolist())
        table = table.rename(columns={"Topic": "topic", "Words": "words", "Frequency": "frequency",
                                      "Timestamp": "timestamp"})
        return table.sort_values(["timestamp", "topic"]).reset_index(drop=True)

    def representative(self, n: int = 3) -> pd.DataFrame:
        """Per topic the ``n`` distinct texts nearest the topic's centroid, with one row's metadata each."""
        keys = [dedupe_key(t) for t in self.docs]
        first_row = self.rows.assign(_key=[dedupe_key(t) for t in self.rows["text"]]).drop_duplicates("_key")
        first_row = first_row.set_index("_key")
        topics = np.asarray(self.doc_topics)
        out = []
        for topic in sorted(set(self.doc_topics)):
            idx = np.flatnonzero(topics == topic)
            centroid = self.embeddings[idx].mean(axis=0)
            norm = np.linalg.norm(centroid) * np.linalg.norm(self.embeddings[idx], axis=1)
            sims = (self.embeddings[idx] @ centroid) / np.where(norm == 0, 1, norm)
            order = idx[np.lexsort((idx, -np.round(sims, 10)))][:n]
            for rank, i in enumerate(order, start=1):
                meta = first_row.loc[keys[i]]
                out.append({"topic": topic, "rank": rank, "similarity": float(sims[idx == i][0]),
                            **{c: meta.get(c) for c in META if c in meta.index}, "text": meta["text"]})
        return pd.DataFrame(out)

    def reduce_outliers(self, strategy: str | None = None) -> TopicResult:
        """Assign outliers (−1) to their nearest topic (BERTopic's ``reduce_outliers`` with the
        ``c-tf-idf`` or ``embeddings`` strategy) and update the topic words; changes this result in place."""
        strategy = strategy or self.config.outlier_strategy
        topics = self.doc_topics
        if OUTLIER not in topics or len(set(topics)) < 2:
            return self
        before = topics.count(OUTLIER)
        topics = [int(t) for t in self.model.reduce_outliers(self.docs, topics, strategy=strategy,
                                                              embeddings=self.embeddings)]
        with _quiet_bertopic():  # it warns that custom topic assignments must come last: they do here
            self.model.update_topics(self.docs, topics=topics, top_n_words=self.config.top_n_words,
                                     vectorizer_model=self.model.vectorizer_model,
                                     ctfidf_model=self.model.ctfidf_model,
                                     representation_model=self.model.representation_model)
        by_key = {dedupe_key(d): t for d, t in zip(self.docs, topics)}
        self.doc_topics = topics
        self.rows = self.rows.assign(topic=[by_key[dedupe_key(t)] for t in self.rows["text"]])
        self.notes.append(f"outlier reduction ({strategy}): {before} → {topics.count(OUTLIER)} outliers")
        return self

    # ---- plots ----------------------------------------------------------------------------------
    def figures(self, by: str) -> dict[str, object]:
        """BERTopic's interactive plotly figures; a plot that cannot be drawn for this data is skipped
        with a note. (BERTopic's intertopic distance map is left out: it fits a second UMAP with its own
        settings, costs a long numba compile, and fails on few topics; the heatmap shows the same
        similarities.)"""
        n_topics = len([t for t in set(self.doc_topics) if t != OUTLIER])
        makers = {
            "topics_barchart": lambda: self.model.visualize_barchart(top_n_topics=min(12, n_topics), n_words=8),
            f"topics_per_{by}": lambda: self.model.visualize_topics_per_class(self.per_class(by).rename(
                columns={"topic": "Topic", "words": "Words", "frequency": "Frequency", by: "Class"})),
            "topics_over_time": lambda: self._over_time_figure(),
            "topics_heatmap": lambda: self.model.visualize_heatmap(),
        }
        figs = {}
        for name, make in makers.items():
            try:
                fig = make()
            except Exception as exc:  # plots are extras: never fail the run over one
                self.notes.append(f"plot {name} skipped ({type(exc).__name__})")  # no message: it may quote text
                continue
            if fig is not None:
                figs[name] = fig
        return figs

    def _over_time_figure(self):
        table = self.over_time()
        if table.empty:
            raise AnalysisError("no dated documents")
        table = table.rename(columns={"topic": "Topic", "words": "Words", "frequency": "Frequency",
                                      "timestamp": "Timestamp"})
        return self.model.visualize_topics_over_time(table)

    def write(self, out_dir: str | Path, by: str, n_examples: int = 5) -> list[Path]:
        """Write topic tables (CSV), representative sentences and interactive HTML plots to ``out_dir``.

        The plots go into one ``topics.html`` with plotly.js inline (once): it opens offline, no CDN.
        """
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = []

        def csv(name: str, table: pd.DataFrame) -> None:
            written.append(write_csv(out / name, table))

        csv("topic_info.csv", self.topic_table())
        rows = self.rows.drop(columns=["text"]).assign(text=self.rows["text"])
        csv("document_topics.csv", rows)
        csv("representative_sentences.csv", self.representative(n_examples))
        csv(f"topic_shares_by_{by}.csv", self.shares(by))
        csv(f"topics_per_{by}.csv", self.per_class(by))
        over_time = self.over_time()
        if not over_time.empty:
            csv("topics_over_time.csv", over_time)
        else:
            self.notes.append("topics over time skipped: fewer than two dated rows")
        figures = self.figures(by)
        if figures:
            written.append(atomic_write_text(out / "topics.html", _figures_page(figures)))
        settings = pd.DataFrame(
            [{"setting": k, "value": v} for k, v in self.settings().items()]
            + [{"setting": "note", "value": n} for n in self.notes]
        )
        csv("topic_settings.csv", settings)
        return written


@contextmanager
def _quiet_bertopic():
    logger = logging.getLogger("BERTopic")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


PLOT_TITLES = {
    "topics_barchart": "Topic words (c-TF-IDF)",
    "topics_over_time": "Topics over time",
    "topics_heatmap": "Topic similarity",
}


def _figures_page(figures: dict[str, object]) -> str:
    """One HTML page with every figure; plotly.js is inlined with the first and reused by the rest."""
    parts = []
    for i, (name, fig) in enumerate(figures.items()):
        title = PLOT_TITLES.get(name, name.replace("_", " ").capitalize())
        div = fig.to_html(include_plotlyjs=(i == 0), full_html=False)
        parts.append(f"<section><h2>{title}</h2>{div}</section>")
    return ('<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>sprogtro topics</title></head>'
            '<body style="font-family: system-ui, sans-serif">' + "".join(parts) + "</body></html>")


def fit_topics(df: pd.DataFrame, config: TopicConfig | None = None, **overrides) -> TopicResult:
    """Fit a topic model on a prepared sentence table (see :func:`prepare_sentences`).

    Returns a :class:`TopicResult` whose ``rows`` hold one row per sentence (or document) with its
    ``topic``. Raises :class:`AnalysisError` when there are fewer than 10 distinct texts.
    """
    config = replace(config or TopicConfig(), **overrides)
    bertopic = require("bertopic", "topics")
    units = _units(df, config)
    keys = [dedupe_key(t) for t in units["text"]]
    units = units.assign(_key=keys).loc[[bool(k) for k in keys]]
    first_text = units.drop_duplicates("_key").set_index("_key")["text"]
    unique_keys = sorted(first_text.index)
    docs = [first_text[k] for k in unique_keys]
    if len(docs) < MIN_DOCUMENTS:
        raise AnalysisError(
            f"topics need at least {MIN_DOCUMENTS} distinct texts; this selection has {len(docs)}"
        )
    embedder = make_embedder(config.embedder)
    if hasattr(embedder, "fit"):
        embedder.fit(docs)
    embeddings = np.asarray(embedder.embed(docs), dtype=np.float64)

    from sprogtro.analysis._bertopic_blocks import EmbedderBackend

    blocks = _blocks(config, len(docs), embeddings.shape[1])
    model = bertopic.BERTopic(
        embedding_model=EmbedderBackend(embedder), top_n_words=config.top_n_words,
        calculate_probabilities=False, verbose=False, **blocks,
    )
    topics, _ = model.fit_transform(docs, embeddings=embeddings)
    topics = [int(t) for t in topics]
    by_key = dict(zip(unique_keys, topics))
    rows = units.assign(topic=[by_key[k] for k in units["_key"]]).drop(columns="_key").reset_index(drop=True)
    result = TopicResult(model=model, config=config, embedder=embedder, rows=rows, docs=docs,
                         embeddings=embeddings, doc_topics=topics)
    if config.reduce_outliers:
        result.reduce_outliers()
    return result
