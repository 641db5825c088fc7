"""Training, versioning and loading of the sentence classifiers.

The trained bundle ships as package data (``src/sprogtro/nlp/data/sentence_classifier.joblib``). Its
version is a hash of the training rows, the lexicon rules and the training parameters, plus the
scikit-learn version: ``clf-<hash>-sk<version>``. When the installed scikit-learn differs from the one
the bundle was pickled with, the bundle is not trusted: sprogtro warns and retrains in memory from the
bundled gold sentences (a few seconds).
"""

from __future__ import annotations

import csv
import hashlib
import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import sklearn

from sprogtro.errors import ModelError
from sprogtro.nlp.classifier import CueAwareClassifier
from sprogtro.nlp.decisions import DIMENSIONS

BUNDLE_NAME = "sentence_classifier.joblib"
GOLD_COLUMNS = ("id", "text", "framing", "expectation", "action")
DEFAULT_PARAMS: dict[str, Any] = {"C": 4.0, "cue_weight": 2.0, "text_weight": 1.0, "char_weight": 1.0}


@dataclass
class ClassifierBundle:
    """The classifiers (one per dimension) and how they were made."""

    version: str
    sklearn_version: str
    classifiers: dict[str, CueAwareClassifier]
    meta: dict[str, Any] = field(default_factory=dict)


def bundled_model_path() -> Path:
    return Path(__file__).resolve().parent / "data" / BUNDLE_NAME


def bundled_gold_path() -> Path:
    from sprogtro.resources import data_path

    return data_path("corpora_sample", "gold", "gold_sentences.csv")


# gold -----------------------------------------------------------------------------------------------
def read_gold(path: str | Path, *, text_column: str = "text", id_column: str = "id",
              split: str | None = None) -> list[dict[str, str]]:
    """Rows of a gold CSV (or XLSX); ``split`` keeps rows whose ``split`` column equals it ("all": every row)."""
    path = Path(path)
    if not path.exists():
        raise ModelError(f"gold file {path} does not exist")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import pandas as pd

        rows = pd.read_excel(path, dtype=str).fillna("").to_dict("records")
    else:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    if rows and text_column not in rows[0]:
        raise ModelError(f"{path.name}: no column {text_column!r} (columns: {', '.join(rows[0])})")
    out = []
    for row in rows:
        row = {k: (v or "").strip() if isinstance(v, str) else ("" if v is None else str(v)) for k, v in row.items()}
        row["text"] = row.get(text_column, "")
        row["id"] = row.get(id_column, "")
        if split and split != "all" and row.get("split", "") != split:
            continue
        out.append(row)
    return out


def data_hash(rows: Sequence[dict[str, str]]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(json.dumps([row.get("text", "")] + [row.get(d, "") for d in DIMENSIONS],
                                 ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def make_version(rows: Sequence[dict[str, str]], rules_digest: str, params: dict[str, Any]) -> str:
    digest = hashlib.sha256()
    digest.update(data_hash(rows).encode())
    digest.update(rules_digest.encode())
    digest.update(json.dumps(params, sort_keys=True).encode())
    return f"clf-{digest.hexdigest()[:10]}-sk{sklearn.__version__}"


# features ---------------------------------------------------------------------------------------------
def featurize(nlp, texts: Iterable[str]) -> list[dict[str, str]]:
    """Classifier input records ({text, cues}) for texts, each taken as one unit, from the rule components."""
    labeller = nlp.get_pipe("sprogtro_labeller")
    previous = labeller.combine
    labeller.combine = "rules"
    try:
        return [r["record"] for r in labeller.label_texts(list(texts))]
    finally:
        labeller.combine = previous


# training ---------------------------------------------------------------------------------------------
def train_bundle(nlp, rows: Sequence[dict[str, str]], *, params: dict[str, Any] | None = None,
                 records: list[dict[str, str]] | None = None, meta: dict[str, Any] | None = None) -> ClassifierBundle:
    """Fit one classifier per dimension on gold rows; rows missing a dimension's label are skipped for it."""
    from sprogtro.nlp.models import rules_hash

    params = {**DEFAULT_PARAMS, **(params or {})}
    if records is None:
        records = featurize(nlp, [r["text"] for r in rows])
    classifiers = {}
    for dim, labels in DIMENSIONS.items():
        idx = [i for i, r in enumerate(rows) if r.get(dim, "") in labels]
        if not idx:
            raise ModelError(f"no gold labels for {dim!r}: the gold needs columns {', '.join(DIMENSIONS)}")
        clf = CueAwareClassifier(**params)
        clf.fit([records[i] for i in idx], [rows[i][dim] for i in idx])
        classifiers[dim] = clf
    version = make_version(rows, rules_hash(nlp), params)
    info = {"n_train": len(rows), "data_sha256": data_hash(rows), "params": params, **(meta or {})}
    return ClassifierBundle(version=version, sklearn_version=sklearn.__version__, classifiers=classifiers, meta=info)


def cross_validate(nlp, rows: Sequence[dict[str, str]], *, folds: int = 5, seed: int = 13,
                   params: dict[str, Any] | None = None, records: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """Stratified k-fold cross-validation per dimension: macro-F1 per fold and per-class report."""
    from sklearn.metrics import classification_report, f1_score
    from sklearn.model_selection import StratifiedKFold

    params = {**DEFAULT_PARAMS, **(params or {})}
    if records is None:
        records = featurize(nlp, [r["text"] for r in rows])
    out: dict[str, Any] = {}
    for dim, labels in DIMENSIONS.items():
        idx = [i for i, r in enumerate(rows) if r.get(dim, "") in labels]
        y = [rows[i][dim] for i in idx]
        X = [records[i] for i in idx]
        smallest = min((y.count(c) for c in set(y)), default=0)
        k = max(2, min(folds, smallest))
        if smallest < 2:
            out[dim] = {"error": "a class has fewer than 2 examples"}
            continue
        skf = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
        pred = [""] * len(y)
        scores = []
        for train, test in skf.split(X, y):
            clf = CueAwareClassifier(**params).fit([X[i] for i in train], [y[i] for i in train])
            fold_pred = clf.predict([X[i] for i in test])
            for j, p in zip(test, fold_pred):
                pred[j] = p
            scores.append(f1_score([y[i] for i in test], fold_pred, average="macro", labels=sorted(set(y))))
        out[dim] = {
            "folds": k,
            "macro_f1_mean": float(sum(scores) / len(scores)),
            "macro_f1_folds": [round(float(s), 4) for s in scores],
            "report": classification_report(y, pred, labels=list(labels), output_dict=True, zero_division=0),
        }
    return out


# persistence ------------------------------------------------------------------------------------------
def save_bundle(bundle: ClassifierBundle, path: str | Path) -> Path:
    import joblib

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    joblib.dump(bundle, tmp, compress=3)
    tmp.replace(path)
    return path


_MEMORY: dict[str, ClassifierBundle] = {}


def load_bundle(path: str | Path | None = None, *, nlp=None) -> ClassifierBundle | None:
    """Load a bundle (default: the one shipped with sprogtro).

    On a scikit-learn version mismatch, warn and retrain in memory from the bundled gold (needs ``nlp``).
    Returns ``None`` when there is no bundle and nothing to retrain from.
    """
    import joblib

    path = Path(path) if path else bundled_model_path()
    bundle = None
    if path.exists():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # sklearn's InconsistentVersionWarning: we check ourselves
            try:
                bundle = joblib.load(path)
            except Exception as exc:  # noqa: BLE001 - unpickling across versions can fail in many ways
                warnings.warn(f"sentence classifier {path.name} could not be loaded ({exc.__class__.__name__})",
                              stacklevel=2)
        if bundle is not None and bundle.sklearn_version == sklearn.__version__:
            return bundle
        if bundle is not None:
            warnings.warn(f"sentence classifier was trained with scikit-learn {bundle.sklearn_version}, this is "
                          f"{sklearn.__version__}: retraining in memory from the bundled gold", stacklevel=2)
    return _retrain_from_bundled_gold(nlp)


def _retrain_from_bundled_gold(nlp) -> ClassifierBundle | None:
    if nlp is None:
        return None
    try:
        gold = bundled_gold_path()
    except FileNotFoundError:
        return None
    key = str(gold)
    if key not in _MEMORY:
        rows = read_gold(gold, split="train")
        if not rows:
            return None
        _MEMORY[key] = train_bundle(nlp, rows, meta={"retrained_in_memory": True})
    return _MEMORY[key]
