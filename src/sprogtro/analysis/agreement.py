"""Inter-coder agreement between coders of a project: human–human and model–human.

Two levels:

- ``sentence``: the units are sentences (the model's segmentation; stored sentences; or a simple split
  for documents nobody segmented). A coder's label on a dimension is their sentence label where they have
  one, else it is derived from their coded segments: a segment counts for every sentence it covers at
  least half of, and for the sentence it overlaps most. Several labels of one dimension in a sentence
  resolve as the codebook does: deficit + resource → mixed; otherwise the one covering most characters.
  No label means the empty label (``neutral``/``none``).
- ``span``: the units are the non-whitespace characters of the documents; each code is present or not
  at each character, and each dimension takes a label per character by the same rules.

Only documents that every compared coder has coded (a segment or a sentence label) are compared.

Reported: percent agreement, Cohen's κ (two coders; the mean over pairs, Light's κ, for more) per code
and per dimension, and Krippendorff's α (nominal) per dimension and overall (all dimensions pooled),
each with its counts. κ and α are undefined (NaN) when a code or dimension shows no variation.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from sprogtro.store import DIMENSIONS, EMPTY_LABELS

LEVELS = ("sentence", "span")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


# ---------------------------------------------------------------------- statistics


def percent_agreement(values: np.ndarray) -> float:
    """Share of units (columns) on which all coders (rows) give the same value. NaN without units."""
    values = np.asarray(values)
    if values.shape[1] == 0:
        return float("nan")
    return float(np.mean(np.all(values == values[0], axis=0)))


def cohen_kappa(values: np.ndarray) -> float:
    """Cohen's κ for two coders (rows); the mean over coder pairs (Light's κ) for more."""
    from sklearn.metrics import cohen_kappa_score

    values = np.asarray(values)
    if values.shape[1] == 0:
        return float("nan")
    kappas = []
    for i, j in combinations(range(values.shape[0]), 2):
        a, b = values[i], values[j]
        if len(np.unique(np.concatenate([a, b]))) < 2:
            kappas.append(float("nan"))  # no variation: κ is undefined
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            kappas.append(float(cohen_kappa_score(a, b)))
    return float(np.mean(kappas)) if kappas else float("nan")


def krippendorff_alpha_nominal(values: np.ndarray) -> float:
    """Krippendorff's α for nominal data; ``values`` is coders × units, ``None``/NaN marks no value.

    Computed from the coincidence matrix over the distinct value patterns (so millions of character
    units cost little); equals ``krippendorff.alpha(..., level_of_measurement="nominal")``.
    """
    codes, k = _factorize(values)
    return _alpha_from_codes(codes, k)


def _factorize(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Integer codes (-1 for missing) of a coders × units value matrix, and the number of categories."""
    values = np.asarray(values, dtype=object)
    if values.size == 0:
        return np.empty(values.shape, dtype=np.int64), 0
    codes, uniques = pd.factorize(values.ravel(), use_na_sentinel=True)
    return codes.reshape(values.shape), len(uniques)


def _alpha_from_codes(codes: np.ndarray, n_categories: int) -> float:
    if codes.size == 0 or n_categories == 0:
        return float("nan")
    patterns, counts = np.unique(codes.T, axis=0, return_counts=True)
    k = n_categories
    coincidence = np.zeros((k, k))
    for pattern, count in zip(patterns, counts):
        present = pattern[pattern >= 0]
        m = len(present)
        if m < 2:
            continue
        n_uc = np.bincount(present, minlength=k).astype(float)
        coincidence += count * (np.outer(n_uc, n_uc) - np.diag(n_uc)) / (m - 1)
    if k == 0:
        return float("nan")
    n_c = coincidence.sum(axis=1)
    n = n_c.sum()
    if n <= 1:
        return float("nan")
    observed = coincidence.sum() - np.trace(coincidence)
    expected = (n_c.sum() ** 2 - (n_c ** 2).sum()) / (n - 1)
    if expected == 0:
        return float("nan")
    return float(1.0 - observed / expected)


# ---------------------------------------------------------------------- result


@dataclass
class AgreementResult:
    level: str
    coders: list[str]
    kinds: dict[str, str]
    documents: int
    units: int
    overall: dict[str, float]
    by_dimension: pd.DataFrame
    by_code: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def comparison(self) -> str:
        kinds = sorted({self.kinds[c] for c in self.coders}, key=lambda k: k != "model")
        return "–".join(kinds) if len(kinds) > 1 else f"{kinds[0]}–{kinds[0]}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level, "coders": self.coders, "kinds": self.kinds, "comparison": self.comparison,
            "documents": self.documents, "units": self.units, "overall": self.overall,
            "by_dimension": _records(self.by_dimension), "by_code": _records(self.by_code), "notes": self.notes,
        }

    def lines(self) -> list[str]:
        who = " vs ".join(f"{c} ({self.kinds[c]})" for c in self.coders)
        unit = "sentences" if self.level == "sentence" else "characters"
        out = [f"{self.comparison} agreement, {who}: {self.documents} documents, {self.units} {unit}",
               f"overall: percent agreement {_fmt(self.overall['percent_agreement'], pct=True)}, "
               f"Krippendorff's α (nominal) {_fmt(self.overall['alpha'])} over {self.overall['n_units']} "
               f"unit×dimension values", ""]
        out.append(f"{'dimension':<14}{'units':>9}{'agree':>9}{'κ':>8}{'α':>8}")
        for r in self.by_dimension.itertuples(index=False):
            out.append(f"{r.dimension:<14}{r.n_units:>9}{_fmt(r.percent_agreement, pct=True):>9}"
                       f"{_fmt(r.kappa):>8}{_fmt(r.alpha):>8}")
        out.append("")
        count_cols = [f"n_{c}" for c in self.coders]
        width = max([len("code")] + [len(str(p)) for p in self.by_code.get("code_path", [])]) + 2
        head = f"{'code':<{width}}" + "".join(f"{c[:12]:>14}" for c in self.coders)
        out.append(head + f"{'both':>8}{'agree':>9}{'κ':>8}")
        for r in self.by_code.to_dict("records"):
            counts = "".join(f"{r[c]:>14}" for c in count_cols)
            out.append(f"{r['code_path']:<{width}}{counts}{r['n_all']:>8}"
                       f"{_fmt(r['percent_agreement'], pct=True):>9}{_fmt(r['kappa']):>8}")
        out += [f"note: {n}" for n in self.notes]
        return out


def _fmt(value: float, pct: bool = False) -> str:
    if value is None or value != value:
        return "–"
    return f"{value * 100:.1f}%" if pct else f"{value:.3f}"


def _records(df: pd.DataFrame) -> list[dict]:
    return [{k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()} for r in df.to_dict("records")]


# ---------------------------------------------------------------------- from a project


def project_agreement(project, coders: list[str], level: str = "sentence") -> AgreementResult:
    """Agreement between ``coders`` (names in ``project``) at ``level`` ``sentence`` or ``span``."""
    from sprogtro.errors import SprogtroError

    if level not in LEVELS:
        raise SprogtroError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    coders = list(dict.fromkeys(c.strip() for c in coders if c.strip()))
    if len(coders) < 2:
        raise SprogtroError("agreement needs at least two different coders (--coders A,B)")
    for name in coders:
        project.coder_id(name)
    kinds = dict(zip(project.coders_frame()["name"], project.coders_frame()["kind"]))
    codes = project.codes_frame()
    codings = project.codings_frame(coders)
    labels = project.sentence_labels_frame(coders)
    coded_docs = [
        set(codings.loc[codings["coder"] == c, "doc_id"]) | set(labels.loc[labels["coder"] == c, "doc_id"])
        for c in coders
    ]
    doc_ids = sorted(set.intersection(*coded_docs))
    notes = []
    if not doc_ids:
        notes.append("no document is coded by all of these coders")
    texts = {d: project.get_document(d).text for d in doc_ids}
    codings = codings[codings["doc_id"].isin(doc_ids)]
    labels = labels[labels["doc_id"].isin(doc_ids)]
    used = set(codings["code_key"])
    code_rows = codes[(codes["is_codable"] & codes["label"].notna()) | codes["key"].isin(used)]
    code_rows = code_rows[code_rows["key"].isin(used) | code_rows["dimension"].isin(DIMENSIONS)]
    code_info = {r.key: r for r in code_rows.itertuples(index=False)}
    if level == "sentence":
        units = _sentence_units(project, doc_ids, texts, labels, coders)
        dim_values, code_values = _sentence_values(units, codings, labels, coders, code_info)
    else:
        dim_values, code_values = _span_values(doc_ids, texts, codings, coders, code_info)
    n_units = next(iter(dim_values.values())).shape[1] if dim_values else 0
    return _summarise(level, coders, kinds, len(doc_ids), n_units, dim_values, code_values, code_info, notes)


def _summarise(level, coders, kinds, n_docs, n_units, dim_values, code_values, code_info, notes) -> AgreementResult:
    dim_rows = []
    pooled, offset = [], 0
    for dim in DIMENSIONS:
        codes, k = _factorize(dim_values[dim])
        dim_rows.append({"dimension": dim, "n_units": int(codes.shape[1]), "percent_agreement": percent_agreement(codes),
                         "kappa": cohen_kappa(codes), "alpha": _alpha_from_codes(codes, k)})
        pooled.append(np.where(codes >= 0, codes + offset, -1))
        offset += k
    pooled_codes = np.concatenate(pooled, axis=1)
    overall = {"n_units": int(pooled_codes.shape[1]), "percent_agreement": percent_agreement(pooled_codes),
               "alpha": _alpha_from_codes(pooled_codes, offset)}
    code_rows = []
    for key, v in code_values.items():
        info = code_info[key]
        row = {"code_key": key, "code": info.name, "code_path": info.path, "n_units": int(v.shape[1])}
        for i, c in enumerate(coders):
            row[f"n_{c}"] = int(v[i].sum())
        row["n_all"] = int(np.all(v, axis=0).sum())
        row["n_any"] = int(np.any(v, axis=0).sum())
        row["percent_agreement"] = percent_agreement(v)
        row["kappa"] = cohen_kappa(v.astype(int))
        code_rows.append(row)
    by_code = pd.DataFrame(code_rows)
    if len(by_code):
        order = {k: i for i, k in enumerate(code_info)}
        by_code = by_code.sort_values("code_key", key=lambda s: s.map(order)).reset_index(drop=True)
    return AgreementResult(level, coders, {c: kinds[c] for c in coders}, n_docs, n_units, overall,
                           pd.DataFrame(dim_rows), by_code, notes)


def simple_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans by punctuation and line breaks, for documents no coder segmented."""
    spans = []
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def _sentence_units(project, doc_ids, texts, labels, coders) -> list[tuple[str, int, int]]:
    """(doc_id, start, end) per sentence unit, in document order."""
    units = []
    labelled = _groups(labels, ["coder", "doc_id"])
    for doc_id in doc_ids:
        spans = None
        for c in coders:  # the segmentation of the first coder with sentence labels in this document
            mine = labelled.get((c, doc_id))
            if mine is not None:
                spans = sorted(zip(mine["start_char"].astype(int), mine["end_char"].astype(int)))
                break
        if spans is None:
            stored = sorted(project.sentence_spans(doc_id))
            spans = stored or simple_sentences(texts[doc_id])
        units += [(doc_id, s, e) for s, e in spans]
    return units


def _groups(df: pd.DataFrame, keys: list[str]) -> dict[tuple, pd.DataFrame]:
    """The rows of ``df`` per key tuple (one pass instead of a filter per document)."""
    return {k: g for k, g in df.groupby(keys, sort=False)} if len(df) else {}


def _assign(seg_start: int, seg_end: int, sentences: list[tuple[int, int]]) -> dict[int, int]:
    """Sentence index → overlap for a segment: sentences covered at least half, plus the largest overlap."""
    overlaps = {}
    for i, (s, e) in enumerate(sentences):
        ov = min(seg_end, e) - max(seg_start, s)
        if ov > 0:
            overlaps[i] = ov
    if not overlaps:
        return {}
    best = max(overlaps, key=overlaps.get)
    return {i: ov for i, ov in overlaps.items()
            if i == best or ov * 2 >= (sentences[i][1] - sentences[i][0])}


def _resolve(dim: str, found: dict[str, int]) -> str:
    """One label from the labels (→ characters covered) a coder gave on one dimension in one unit."""
    if not found:
        return EMPTY_LABELS[dim]
    non_empty = {k: v for k, v in found.items() if k != EMPTY_LABELS[dim]}
    if not non_empty:
        return EMPTY_LABELS[dim]
    if dim == "framing" and ("mixed" in non_empty or {"deficit", "resource"} <= set(non_empty)):
        return "mixed"
    return max(sorted(non_empty), key=lambda k: non_empty[k])


def _sentence_values(units, codings, labels, coders, code_info):
    n = len(units)
    by_doc: dict[str, list[int]] = {}
    for i, (doc_id, _s, _e) in enumerate(units):
        by_doc.setdefault(doc_id, []).append(i)
    dim_values = {d: np.empty((len(coders), n), dtype=object) for d in DIMENSIONS}
    label_keys = [k for k, r in code_info.items() if isinstance(r.label, str) and r.dimension in DIMENSIONS]
    other_keys = [k for k in code_info if k not in label_keys]
    code_values = {k: np.zeros((len(coders), n), dtype=bool) for k in label_keys + other_keys}
    segments = _groups(codings, ["coder", "doc_id"])
    for ci, coder in enumerate(coders):
        mine = labels[labels["coder"] == coder]
        sentence_labels = {(r.doc_id, int(r.start_char), int(r.end_char)): r for r in mine.itertuples(index=False)}
        found: list[dict[str, dict[str, int]]] = [{d: {} for d in DIMENSIONS} for _ in range(n)]
        other: list[set[str]] = [set() for _ in range(n)]
        for doc_id, idx in by_doc.items():
            sentences = [(units[i][1], units[i][2]) for i in idx]
            segs = segments.get((coder, doc_id))
            for g in (segs.itertuples(index=False) if segs is not None else ()):
                info = code_info.get(g.code_key)
                if info is None:
                    continue
                for local_i, ov in _assign(int(g.start_char), int(g.end_char), sentences).items():
                    unit = idx[local_i]
                    if isinstance(info.label, str) and info.dimension in DIMENSIONS:
                        d = found[unit][info.dimension]
                        d[info.label] = d.get(info.label, 0) + ov
                    else:
                        other[unit].add(g.code_key)
        for i, (doc_id, s, e) in enumerate(units):
            given = sentence_labels.get((doc_id, s, e))
            for dim in DIMENSIONS:
                if given is not None and isinstance(getattr(given, dim), str):
                    label = getattr(given, dim)
                else:
                    label = _resolve(dim, found[i][dim])
                dim_values[dim][ci, i] = label
            for key in label_keys:
                info = code_info[key]
                code_values[key][ci, i] = dim_values[info.dimension][ci, i] == info.label
            for key in other[i]:
                code_values[key][ci, i] = True
    return dim_values, code_values


def _span_values(doc_ids, texts, codings, coders, code_info):
    keep = {d: _non_space(texts[d]) for d in doc_ids}
    total = int(sum(k.sum() for k in keep.values()))
    codes_list = list(code_info)
    code_values = {k: np.zeros((len(coders), total), dtype=bool) for k in codes_list}
    dim_values = {d: np.empty((len(coders), total), dtype=object) for d in DIMENSIONS}
    dim_labels = {d: [k for k in codes_list if code_info[k].dimension == d and isinstance(code_info[k].label, str)]
                  for d in DIMENSIONS}
    segments = _groups(codings, ["coder", "doc_id"])
    for ci, coder in enumerate(coders):
        offset = 0
        for doc_id in doc_ids:
            n_chars = len(texts[doc_id])
            mask = keep[doc_id]
            n_keep = int(mask.sum())
            segs = segments.get((coder, doc_id))
            per_code = {}
            for g in (segs.itertuples(index=False) if segs is not None else ()):
                if g.code_key not in code_info:
                    continue
                arr = per_code.setdefault(g.code_key, np.zeros(n_chars, dtype=bool))
                arr[int(g.start_char):int(g.end_char)] = True
            for key, arr in per_code.items():
                code_values[key][ci, offset:offset + n_keep] = arr[mask]
            for dim in DIMENSIONS:
                stack = {code_info[k].label: per_code[k][mask] for k in dim_labels[dim] if k in per_code}
                dim_values[dim][ci, offset:offset + n_keep] = _resolve_chars(dim, stack, n_keep)
            offset += n_keep
    return dim_values, code_values


_WHITESPACE = np.array([i for i in range(0x3001) if chr(i).isspace()], dtype=np.uint32)


def _non_space(text: str) -> np.ndarray:
    """A mask of the characters (code points) of ``text`` that are not whitespace."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    return ~np.isin(points, _WHITESPACE)


def _resolve_chars(dim: str, stack: dict[str, np.ndarray], n: int) -> np.ndarray:
    """Per character, the label of a dimension from the label masks (rules as :func:`_resolve`)."""
    out = np.full(n, EMPTY_LABELS[dim], dtype=object)
    non_empty = {k: v for k, v in stack.items() if k != EMPTY_LABELS[dim]}
    for label in sorted(non_empty):  # later (alphabetical) labels win ties; ties are rare on characters
        out[non_empty[label]] = label
    if dim == "framing":
        both = np.zeros(n, dtype=bool)
        if "deficit" in non_empty and "resource" in non_empty:
            both |= non_empty["deficit"] & non_empty["resource"]
        if "mixed" in non_empty:
            both |= non_empty["mixed"]
        out[both] = "mixed"
    return out
