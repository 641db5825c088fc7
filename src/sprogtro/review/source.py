"""The review stage's only door to the project store.

Everything the app and the booklet read or write goes through :class:`ReviewSource`: the coded
sentences (``Project.sentences_frame()``), the codebook, and the reviews (``Project.add_review()``,
``Project.reviews_frame()``). The store owns the database (SQLite in WAL mode with a busy timeout), so
several reviewers posting at once are serialised there; each thread of the web server gets its own
``Project`` handle, because an SQLite connection must not be shared between threads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from sprogtro.errors import StoreError
from sprogtro.review.codebook import ReviewCodebook, review_codebook

REVIEW_COLUMNS = ["review_id", "sentence_id", "dimension", "reviewer", "verdict", "code", "comment",
                  "created_at"]
_REVIEW_ALIASES = {"id": "review_id", "corrected_value": "code", "corrected_code": "code",
                   "created": "created_at", "timestamp": "created_at", "time": "created_at"}


def _open_project(path: Path):
    from sprogtro.store import Project

    return Project.open(path)


class ReviewSource:
    """Reads sentences and codebook from a project and writes reviews to it (thread-safe: the store
    keeps one SQLite connection per thread)."""

    def __init__(self, project_dir: str | Path):
        self.project_dir = Path(project_dir)
        self._project = _open_project(self.project_dir)  # fails early with the store's own message

    def project(self):
        return self._project

    def close(self) -> None:
        self._project.close()

    # ---------------------------------------------------------------- reading

    def sentences(self) -> pd.DataFrame:
        frame = self.project().sentences_frame()
        if frame is None:
            raise StoreError("the project has no sentences yet: run `sprogtro code --project DIR` first")
        return frame

    def codebook(self) -> ReviewCodebook:
        """The review codebook: codes from the store, reflection questions from the codebook file."""
        raw: Any = None
        for name in ("codebook", "codes_frame"):
            getter = getattr(self.project(), name, None)
            if callable(getter):
                raw = getter()
                break
        guide = _guide_codebook()
        return review_codebook(_merge(raw, guide))

    def reviews(self) -> pd.DataFrame:
        """All reviews, oldest first, in :data:`REVIEW_COLUMNS` (``sentence_id`` as text)."""
        frame = self.project().reviews_frame()
        if frame is None or len(frame) == 0:
            return pd.DataFrame(columns=REVIEW_COLUMNS)
        df = frame.rename(columns={k: v for k, v in _REVIEW_ALIASES.items()
                                   if k in frame.columns and v not in frame.columns})
        for col in REVIEW_COLUMNS:
            if col not in df.columns:
                df[col] = None
        df = df[REVIEW_COLUMNS].copy()
        df["sentence_id"] = df["sentence_id"].astype(str)
        if "review_id" in df.columns and df["review_id"].notna().all():
            df = df.sort_values("review_id", kind="stable")
        return df.reset_index(drop=True)

    # ---------------------------------------------------------------- writing

    def add_review(self, *, sentence_id: str, dimension: str, verdict: str, code: str | None,
                   reviewer: str, comment: str | None, coder: str | None = None) -> Any:
        """Store one review. ``code``: the code the reviewer says fits, kept as ``corrected_value`` for
        ``agree`` (the given code: a confirmed label) and ``disagree`` (the corrected code), and left
        empty for ``skip`` and ``comment``. So every decided review carries the reviewer's label, and
        the store's "latest review wins" undoes an earlier correction when a reviewer comes round to
        agreeing. ``coder``: whose label was reviewed (the sentence table's ``coder``), so agreement
        figures can pair the model with each reviewer."""
        corrected = code if verdict in ("agree", "disagree") else None
        return self.project().add_review(
            _sentence_key(sentence_id), reviewer, dimension, verdict,
            corrected=corrected, comment=comment or None, coder=coder or None,
        )


def _sentence_key(value: str) -> int | str:
    text = str(value)
    return int(text) if text.isdigit() else text


def _guide_codebook() -> Any:
    """The codebook file as written (it carries the reflection questions the store does not keep)."""
    try:
        from sprogtro.store.codebook import codebook_path
    except ImportError:  # pragma: no cover
        return None
    path = codebook_path()
    if path is None:
        return None
    import yaml

    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None


def _merge(store_codebook: Any, guide: Any) -> Any:
    """Prefer the codebook file (full text, questions); the store's table when there is no file."""
    return guide if guide else store_codebook
