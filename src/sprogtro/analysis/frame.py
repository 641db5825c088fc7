"""The sentence table every analysis function takes: one row per coded sentence.

The store's ``Project.sentences_frame()`` delivers it; ``sprogtro code --out FILE.csv`` writes the same
columns. :func:`prepare_sentences` checks and normalises such a table once, so the analysis functions
after it can rely on: labels from the codebook, ``cues`` as lists of dicts, ``date`` as datetimes and a
``case_id`` for every row. All functions here are pure: DataFrame in, new DataFrame out.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import pandas as pd

from sprogtro.errors import SprogtroError

FRAMING = ("deficit", "resource", "mixed", "neutral")
EXPECTATION = ("high", "low", "uncertain", "none")
ACTION = ("action", "waiting", "none")
DIMENSIONS: dict[str, tuple[str, ...]] = {"framing": FRAMING, "expectation": EXPECTATION, "action": ACTION}
# The label that means "nothing coded" on each dimension (excluded from the "coded" base of shares).
EMPTY_LABEL = {"framing": "neutral", "expectation": "none", "action": "none"}

REQUIRED = ("doc_id", "text", "framing", "expectation", "action")
OPTIONAL = ("sent_index", "start_char", "end_char", "speaker", "role", "municipality", "doc_type",
            "date", "case_id", "cues")
GROUPINGS = ("municipality", "doc_type", "role")
UNKNOWN = "(ukendt)"
# How a missing value shows per grouping: a sentence without a speaker role is mostly written text.
MISSING_LABEL = {"role": "(ingen taler)"}

# Other spellings of the same columns (QDA exports, spreadsheets, older stores).
ALIASES = {
    "speaker_role": "role",
    "document_type": "doc_type",
    "doctype": "doc_type",
    "kommune": "municipality",
    "doc_date": "date",
    "document_date": "date",
    "case": "case_id",
    "sag": "case_id",
    "sentence": "text",
}


class AnalysisError(SprogtroError):
    """The sentence table cannot be analysed as asked (missing columns, unknown labels, too little data)."""


def prepare_sentences(df: pd.DataFrame) -> pd.DataFrame:
    """Check and normalise a sentence table; returns a new frame (the input is not changed).

    - renames known aliases (``speaker_role`` → ``role`` …) and adds missing optional columns as NA;
    - requires ``doc_id, text, framing, expectation, action`` and labels from the codebook
      (blank labels become the empty label: ``neutral``/``none``);
    - parses ``cues`` (a JSON list or a list) into lists of dicts, ``date`` into datetimes (unparseable
      dates become missing, never guessed);
    - fills a missing ``case_id`` with the ``doc_id`` and marks those rows in ``case_from_doc``.
    """
    if not isinstance(df, pd.DataFrame):
        raise AnalysisError("expected a pandas DataFrame of sentences")
    out = df.rename(columns={k: v for k, v in ALIASES.items() if k in df.columns and v not in df.columns})
    missing = [c for c in REQUIRED if c not in out.columns]
    if missing:
        raise AnalysisError(
            f"the sentence table lacks the column(s) {', '.join(missing)}; "
            f"it needs {', '.join(REQUIRED)} (as written by `sprogtro code`)"
        )
    out = out.copy()
    for col in OPTIONAL:
        if col not in out.columns:
            out[col] = pd.NA
    out["doc_id"] = out["doc_id"].astype(str)
    out["text"] = out["text"].fillna("").astype(str)
    for dim, labels in DIMENSIONS.items():
        values = out[dim].astype("string").str.strip().str.lower().fillna(EMPTY_LABEL[dim])
        values = values.mask(values == "", EMPTY_LABEL[dim])
        unknown = sorted(set(values) - set(labels))
        if unknown:
            raise AnalysisError(
                f"column {dim!r} has label(s) outside the codebook: {', '.join(unknown[:5])}; "
                f"allowed: {', '.join(labels)}"
            )
        out[dim] = values.astype(object)
    for col in GROUPINGS:
        vals = out[col].astype("string").str.strip()
        out[col] = vals.where(vals != "").astype(object).where(lambda v: v.notna(), None)
    out["cues"] = [parse_cues(v) for v in out["cues"]]
    out["date"] = pd.to_datetime(out["date"], errors="coerce", format="mixed", dayfirst=False)
    case = out["case_id"].astype("string").str.strip()
    no_case = case.isna() | (case == "")
    out["case_from_doc"] = no_case.to_numpy()
    out["case_id"] = case.where(~no_case, out["doc_id"]).astype(str)
    if out["sent_index"].isna().all():
        out["sent_index"] = out.groupby("doc_id", sort=False).cumcount()
    return out.reset_index(drop=True)


def parse_cues(value: Any) -> list[dict]:
    """A cell of the ``cues`` column as a list of dicts (``[]`` for empty or missing)."""
    if value is None:
        return []
    if isinstance(value, float) and value != value:  # NaN
        return []
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return []
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise AnalysisError(f"a 'cues' cell is not valid JSON ({exc.msg})") from None
    if isinstance(value, dict):
        value = [value]
    if value is pd.NA:
        return []
    return [dict(c) for c in value if isinstance(c, dict)]


def group_values(df: pd.DataFrame, by: str) -> pd.Series:
    """The grouping column with missing values shown as ``(ukendt)`` (``(ingen taler)`` for roles)."""
    if by not in df.columns:
        raise AnalysisError(f"cannot group by {by!r}: no such column (try one of {', '.join(GROUPINGS)})")
    return df[by].astype(object).where(df[by].notna(), MISSING_LABEL.get(by, UNKNOWN)).astype(str)


def dedupe_key(text: str) -> str:
    """Text as compared for de-duplication: NFC, case-folded, whitespace collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


def coded_mask(df: pd.DataFrame, dims: Iterable[str] = tuple(DIMENSIONS)) -> pd.Series:
    """Rows with at least one non-empty label on the given dimensions."""
    mask = pd.Series(False, index=df.index)
    for dim in dims:
        mask |= df[dim] != EMPTY_LABEL[dim]
    return mask
