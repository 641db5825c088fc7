"""Review items: one flagged code on one sentence.

A sentence is *flagged* on a dimension when its label there is not the empty label (``neutral`` for
framing, ``none`` for expectation and action). Each flagged (sentence, dimension) pair is one review item
with the id ``<sentence_id>:<dimension>``. :class:`ItemIndex` builds them from the store's sentence table
(``Project.sentences_frame()``, the ``sprogtro code`` row format plus document metadata), filters them,
and explains each: its context in the document, its cues as highlighted segments of the sentence text,
the negation/hedge flags and the classifier's probability.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sprogtro.errors import SprogtroError
from sprogtro.review.codebook import DIMENSIONS, EMPTY_LABEL

CODE_DIMENSION = {code: dim for dim, codes in DIMENSIONS.items() for code in codes if code != "none"}
CONTEXT_SENTENCES = 2
FILTERS = ("dimension", "code", "municipality", "doc_type", "role")
UNKNOWN = "(ukendt)"

# Spellings of the same columns in other tables (older stores, spreadsheets).
_ALIASES = {"speaker_role": "role", "document_type": "doc_type", "kommune": "municipality",
            "sentence": "text", "id": "sentence_id"}
_PROB_SUFFIXES = ("_p", "_prob", "_proba", "_probability", "_confidence")
_DIST_SUFFIXES = ("_probs", "_probas", "_distribution", "_scores")


class ItemError(SprogtroError, ValueError):
    """A sentence table the review app cannot use (the message names the missing column)."""


def item_id(sentence_id: Any, dimension: str) -> str:
    return f"{sentence_id}:{dimension}"


def split_item_id(value: str) -> tuple[str, str]:
    """``"<sentence_id>:<dimension>"`` → (sentence_id, dimension); ValueError when malformed."""
    if not isinstance(value, str) or ":" not in value:
        raise ValueError("item id must look like '<sentence_id>:<dimension>'")
    sentence_id, dimension = value.rsplit(":", 1)
    if not sentence_id or dimension not in DIMENSIONS:
        raise ValueError("item id must look like '<sentence_id>:<dimension>'")
    return sentence_id, dimension


def parse_cues(value: Any) -> list[dict]:
    """A ``cues`` cell (JSON text, list, dict or missing) as a list of dicts."""
    if value is None or value is pd.NA:
        return []
    if isinstance(value, float) and math.isnan(value):
        return []
    if isinstance(value, (bytes, bytearray)):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return []
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return []
    if isinstance(value, Mapping):
        value = [value]
    if hasattr(value, "tolist"):
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        return []
    return [dict(c) for c in value if isinstance(c, Mapping)]


def _float(value: Any) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def _distribution(value: Any) -> dict[str, float]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return {}
    if isinstance(value, Mapping):
        out = {str(k): _float(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None}
    return {}


def _plain(value: Any) -> Any:
    """A cell as a plain Python value: missing (None, NaN, NA) → None, numpy scalars → Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        try:
            return _plain(value.item())
        except (ValueError, TypeError):
            return value
    return value


def _plain_row(row: Mapping) -> dict:
    return {k: (v if isinstance(v, (list, dict)) else _plain(v)) for k, v in row.items()}


def plain_records(df: pd.DataFrame) -> list[dict]:
    """``df.to_dict("records")`` with missing values as None and numpy scalars as Python values."""
    return [_plain_row(r) for r in df.to_dict(orient="records")]


def _text(value: Any) -> str | None:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    text = str(value).strip()
    return text or None


@dataclass
class Confidence:
    """The classifier's view of one label: the probability of the given label, the highest probability
    and the margin between the two best labels (None where the table has no probabilities)."""

    probability: float | None = None
    max_probability: float | None = None
    margin: float | None = None

    def uncertainty(self, measure: str = "margin") -> float:
        """Lower is less certain; items without probabilities sort last (``inf``)."""
        if measure == "margin" and self.margin is not None:
            return self.margin
        value = self.max_probability if self.max_probability is not None else self.probability
        return math.inf if value is None else value


def confidence_of(row: Mapping, dimension: str) -> Confidence:
    """Read the classifier's probability for ``dimension`` from a sentence row.

    Understands ``<dim>_p`` (probability of the assigned label; also ``_prob``, ``_proba``,
    ``_confidence``) and a full distribution ``<dim>_probs`` (a dict or JSON object label → p), or a
    ``probs``/``probabilities`` column holding ``{dimension: {label: p}}``.
    """
    label = row.get(dimension)
    dist: dict[str, float] = {}
    for suffix in _DIST_SUFFIXES:
        dist = _distribution(row.get(dimension + suffix))
        if dist:
            break
    if not dist:
        for key in ("probs", "probabilities", "proba"):
            nested = row.get(key)
            if isinstance(nested, str):
                try:
                    nested = json.loads(nested)
                except json.JSONDecodeError:
                    nested = None
            if isinstance(nested, Mapping) and isinstance(nested.get(dimension), Mapping):
                dist = _distribution(nested[dimension])
                break
    prob = None
    for suffix in _PROB_SUFFIXES:
        prob = _float(row.get(dimension + suffix))
        if prob is not None:
            break
    if dist:
        ranked = sorted(dist.values(), reverse=True)
        top = ranked[0]
        margin = top - ranked[1] if len(ranked) > 1 else top
        if prob is None:
            prob = dist.get(str(label))
        return Confidence(prob, top, margin)
    if prob is None:
        return Confidence()
    # Only the assigned label's probability (the argmax): the runner-up holds at most 1 - p, so the
    # margin is at least 2p - 1. That bound orders items like p does, which is all sorting needs; it is
    # negative when p < 0.5 (possible with three or four labels).
    return Confidence(prob, prob, 2 * prob - 1)


def normalise_sentences(frame: pd.DataFrame) -> pd.DataFrame:
    """The store's sentence table with the columns the review app relies on."""
    if not isinstance(frame, pd.DataFrame):
        raise ItemError("expected a pandas DataFrame of sentences")
    df = frame.rename(columns={k: v for k, v in _ALIASES.items() if k in frame.columns and v not in frame.columns})
    missing = [c for c in ("doc_id", "text") if c not in df.columns]
    if missing:
        raise ItemError(f"the sentence table lacks {', '.join(missing)} (as written by `sprogtro code`)")
    df = df.copy()
    df["doc_id"] = df["doc_id"].astype(str)
    df["text"] = df["text"].fillna("").astype(str)
    if "sent_index" not in df.columns or df["sent_index"].isna().all():
        df["sent_index"] = df.groupby("doc_id", sort=False).cumcount()
    df["sent_index"] = pd.to_numeric(df["sent_index"], errors="coerce").fillna(-1).astype(int)
    if "sentence_id" not in df.columns:
        df["sentence_id"] = df["doc_id"] + "#" + df["sent_index"].astype(str)
    df["sentence_id"] = df["sentence_id"].astype(str)
    for col in ("start_char", "end_char"):
        if col not in df.columns:
            df[col] = pd.NA
    for col in ("speaker", "role", "municipality", "doc_type"):
        if col not in df.columns:
            df[col] = None
        df[col] = pd.Series([_text(v) for v in df[col]], index=df.index, dtype=object)
    for dim in DIMENSIONS:
        if dim not in df.columns:
            df[dim] = EMPTY_LABEL[dim]
        df[dim] = [(_text(v) or EMPTY_LABEL[dim]).lower() for v in df[dim]]
    df["cues"] = [parse_cues(v) for v in (df["cues"] if "cues" in df.columns else [None] * len(df))]
    return df.sort_values(["doc_id", "sent_index"], kind="stable").reset_index(drop=True)


def highlight_segments(text: str, cues: Iterable[Mapping], start_char: Any = None,
                       dimension: str | None = None) -> list[dict]:
    """Split ``text`` into segments, each either plain or one cue.

    Cue offsets are into the document text; ``start_char`` (the sentence's offset in the document)
    maps them onto the sentence. Where the offsets do not fit (another sentence, an old table), the cue
    string is searched for in the sentence instead. Overlapping cues keep the first, longest one.
    Each segment: ``{"text", "cue": None | {code, cue, negated, hedged, relevant}}``.
    """
    base = int(start_char) if _float(start_char) is not None else None
    spans: list[tuple[int, int, dict]] = []
    for cue in cues:
        start, end = _float(cue.get("start")), _float(cue.get("end"))
        word = str(cue.get("cue") or "")
        local = None
        if start is not None and end is not None:
            for offset in ((base,) if base is not None else ()) + (0,):
                s, e = int(start) - offset, int(end) - offset
                if 0 <= s < e <= len(text) and (not word or text[s:e].casefold() == word.casefold()):
                    local = (s, e)
                    break
        if local is None and word:
            at = text.casefold().find(word.casefold())
            if at >= 0:
                local = (at, at + len(word))
        if local is None:
            continue
        info = {
            "code": str(cue.get("code") or "").split(".")[-1],
            "effective": str(cue.get("effective") or "").split(".")[-1],
            "cue": text[local[0]:local[1]],
            "negated": bool(cue.get("negated")),
            "hedged": bool(cue.get("hedged")),
            "relevant": dimension is None or _cue_dimension(cue) == dimension,
        }
        spans.append((local[0], local[1], info))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    segments: list[dict] = []
    pos = 0
    for s, e, info in spans:
        if s < pos:
            continue
        if s > pos:
            segments.append({"text": text[pos:s], "cue": None})
        segments.append({"text": text[s:e], "cue": info})
        pos = e
    if pos < len(text) or not segments:
        segments.append({"text": text[pos:], "cue": None})
    return segments


def _cue_dimension(cue: Mapping) -> str | None:
    dim = cue.get("dimension")
    if isinstance(dim, str) and dim in DIMENSIONS:
        return dim
    for key in ("code", "effective"):
        code = str(cue.get(key) or "").split(".")[-1]
        if code in CODE_DIMENSION:
            return CODE_DIMENSION[code]
    return None


class ItemIndex:
    """The flagged items of a project's sentence table, with lookup, filters and explanations."""

    def __init__(self, sentences: pd.DataFrame):
        self.sentences = normalise_sentences(sentences)
        self._by_sentence = {sid: i for i, sid in enumerate(self.sentences["sentence_id"])}
        self._doc_rows: dict[str, list[int]] = {}
        for i, doc in enumerate(self.sentences["doc_id"]):
            self._doc_rows.setdefault(doc, []).append(i)
        records = []
        rows = plain_records(self.sentences)
        for i, row in enumerate(rows):
            for dim in DIMENSIONS:
                code = row[dim]
                if code == EMPTY_LABEL[dim]:
                    continue
                conf = confidence_of(row, dim)
                records.append({
                    "item_id": item_id(row["sentence_id"], dim),
                    "sentence_id": row["sentence_id"],
                    "row": i,
                    "dimension": dim,
                    "code": code,
                    "doc_id": row["doc_id"],
                    "sent_index": row["sent_index"],
                    "municipality": row["municipality"],
                    "doc_type": row["doc_type"],
                    "role": row["role"],
                    "probability": conf.probability,
                    "max_probability": conf.max_probability,
                    "margin": conf.margin,
                    "coder": _text(row.get("coder")),
                })
        columns = ["item_id", "sentence_id", "row", "dimension", "code", "doc_id", "sent_index",
                   "municipality", "doc_type", "role", "probability", "max_probability", "margin", "coder"]
        self.items = pd.DataFrame({
            col: pd.Series([r[col] for r in records], dtype=object if col not in ("row", "sent_index") else None)
            for col in columns
        })
        if self.items.empty:
            self.items = pd.DataFrame(columns=columns)
        self._by_item = {iid: i for i, iid in enumerate(self.items["item_id"])}

    def __len__(self) -> int:
        return len(self.items)

    def has(self, iid: str) -> bool:
        return iid in self._by_item

    def item(self, iid: str) -> dict | None:
        """The item's summary row (id, sentence, dimension, code, metadata, probabilities, coder)."""
        pos = self._by_item.get(iid)
        return None if pos is None else _plain_row(self.items.iloc[pos].to_dict())

    def sentence_row(self, sentence_id: str) -> dict | None:
        i = self._by_sentence.get(str(sentence_id))
        return None if i is None else _plain_row(self.sentences.iloc[i].to_dict())

    def facets(self) -> dict[str, list[str]]:
        """The values each filter can take (for the filter menus)."""
        out: dict[str, list[str]] = {}
        for col in ("municipality", "doc_type", "role"):
            vals = {v if v is not None else UNKNOWN for v in self.items[col]}
            out[col] = sorted(vals, key=lambda v: (v == UNKNOWN, v.casefold()))
        out["dimension"] = [d for d in DIMENSIONS if (self.items["dimension"] == d).any()]
        out["code"] = sorted({f"{d}.{c}" for d, c in zip(self.items["dimension"], self.items["code"])})
        return out

    def filter(self, *, dimension: str | None = None, code: str | None = None,
               municipality: str | None = None, doc_type: str | None = None, role: str | None = None,
               min_confidence: float | None = None, max_confidence: float | None = None,
               below: float | None = None, item_ids: list[str] | None = None, order: str = "document") -> pd.DataFrame:
        """The items matching every given filter. ``code`` may be ``dim.code`` or a bare code;
        confidence filters compare the probability of the given label: ``min_confidence <= p <=
        max_confidence`` and ``p < below`` (items without one are kept only when no confidence filter
        is set). ``order``: ``document`` (reading order),
        ``uncertain`` (least certain first) or ``given`` (the order of ``item_ids``)."""
        df = self.items
        if item_ids is not None:
            pos = [self._by_item[i] for i in item_ids if i in self._by_item]
            df = df.iloc[pos]
        if dimension:
            df = df[df["dimension"] == dimension]
        if code:
            if "." in code:
                d, c = code.split(".", 1)
                df = df[(df["dimension"] == d) & (df["code"] == c)]
            else:
                df = df[df["code"] == code]
        for col, value in (("municipality", municipality), ("doc_type", doc_type), ("role", role)):
            if value:
                df = df[df[col].isna()] if value == UNKNOWN else df[df[col] == value]
        if min_confidence is not None or max_confidence is not None or below is not None:
            prob = pd.to_numeric(df["probability"], errors="coerce")
            keep = prob.notna()
            if min_confidence is not None:
                keep &= prob >= min_confidence
            if max_confidence is not None:
                keep &= prob <= max_confidence
            if below is not None:
                keep &= prob < below
            df = df[keep]
        if order == "uncertain":
            key = pd.to_numeric(df["margin"], errors="coerce").fillna(math.inf)
            df = df.assign(_k=key.to_numpy()).sort_values(["_k", "row"], kind="stable").drop(columns="_k")
        elif order == "document":
            df = df.sort_values(["row", "dimension"], kind="stable")
        return df

    def context(self, sentence_id: str, size: int = CONTEXT_SENTENCES) -> tuple[list[dict], list[dict]]:
        """Up to ``size`` sentences before and after, from the same document."""
        i = self._by_sentence.get(str(sentence_id))
        if i is None:
            return [], []
        doc_rows = self._doc_rows[self.sentences.at[i, "doc_id"]]
        at = doc_rows.index(i)

        def brief(j: int) -> dict:
            row = _plain_row(self.sentences.iloc[j].to_dict())
            return {"text": row["text"], "speaker": row["speaker"], "role": row["role"],
                    "sent_index": int(row["sent_index"])}

        before = [brief(j) for j in doc_rows[max(0, at - size):at]]
        after = [brief(j) for j in doc_rows[at + 1:at + 1 + size]]
        return before, after

    def explain(self, iid: str) -> dict | None:
        """Everything the app shows for one item (JSON-able)."""
        pos = self._by_item.get(iid)
        if pos is None:
            return None
        item = _plain_row(self.items.iloc[pos].to_dict())
        row = _plain_row(self.sentences.iloc[int(item["row"])].to_dict())
        dim = item["dimension"]
        before, after = self.context(row["sentence_id"])
        segments = highlight_segments(row["text"], row["cues"], row.get("start_char"), dim)
        cues = [seg["cue"] for seg in segments if seg["cue"] is not None]
        other_labels = {d: row[d] for d in DIMENSIONS}
        return {
            "item_id": iid,
            "sentence_id": row["sentence_id"],
            "dimension": dim,
            "code": item["code"],
            "doc_id": row["doc_id"],
            "sent_index": int(row["sent_index"]),
            "municipality": row["municipality"],
            "doc_type": row["doc_type"],
            "speaker": row["speaker"],
            "role": row["role"],
            "text": row["text"],
            "segments": segments,
            "context_before": before,
            "context_after": after,
            "why": {
                "cues": [c for c in cues if c["relevant"]],
                "other_cues": [c for c in cues if not c["relevant"]],
                "negated": any(c["negated"] for c in cues if c["relevant"]),
                "hedged": any(c["hedged"] for c in cues if c["relevant"]),
                "probability": _float(item["probability"]),
                "margin": _float(item["margin"]),
                "rule_label": _text(row.get(f"{dim}_rule")),
                "labels": other_labels,
            },
        }
