"""Discussion sets: a curated, reproducible selection of review items for one learning-group meeting.

A set is drawn by stratified sampling: each stratum is one code (``deficit=10`` takes ten sentences
coded ``framing=deficit``). Within a stratum the draw is seeded and spread over municipalities, or, with
``least_certain``, takes the sentences the classifier is least sure of first (active learning: the
smallest margin between its two best labels, or the lowest top probability), so the group's verdicts
teach the classifier the most. A sentence appears at most once per set.

Sets live as JSON files in the project folder, ``P/review_sets/NAME.json``, written atomically (a
temporary file renamed into place), so the store's schema is untouched and a set can be read, shared
and versioned as a plain file.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sprogtro.errors import SprogtroError
from sprogtro._io import atomic_write_text
from sprogtro.review.codebook import DIMENSIONS, EMPTY_LABEL
from sprogtro.review.items import ItemIndex, plain_records

SETS_DIR = "review_sets"
SET_FORMAT = "sprogtro.review_set"
SET_VERSION = 1
NAME_RE = re.compile(r"^[A-Za-z0-9ÆØÅæøå][A-Za-z0-9ÆØÅæøå_.-]{0,63}$")
DEFAULT_SPEC = "deficit=8,resource=8,mixed=3,low=5,high=3,uncertain=2,waiting=4,action=2"
MEASURES = ("margin", "maxprob")


class SetError(SprogtroError):
    """A discussion set could not be drawn, read or written."""


@dataclass(frozen=True)
class Stratum:
    dimension: str
    code: str
    n: int

    @property
    def theme(self) -> str:
        return f"{self.dimension}.{self.code}"


@dataclass
class DiscussionSet:
    name: str
    items: list[dict]
    strata: list[dict]
    seed: int = 0
    least_certain: bool = False
    measure: str = "margin"
    filters: dict = field(default_factory=dict)
    created: str = ""

    @property
    def item_ids(self) -> list[str]:
        return [it["item_id"] for it in self.items]

    def themes(self) -> list[str]:
        """Themes (``dim.code``) in the order of the strata."""
        return [s["theme"] for s in self.strata]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {"format": SET_FORMAT, "version": SET_VERSION, **data}


def validate_set_name(name: str) -> str:
    if not isinstance(name, str) or not NAME_RE.match(name) or ".." in name:
        raise SetError(
            "a set name is 1-64 letters, digits, '_', '-' or '.', starting with a letter or digit"
        )
    return name


def parse_spec(spec: str) -> list[Stratum]:
    """``"deficit=10,resource=10,low=5"`` → strata. A code may be qualified by its dimension
    (``expectation.low=5``); ``none`` must be (it exists on two dimensions)."""
    strata: list[Stratum] = []
    seen: set[tuple[str, str]] = set()
    for part in (p.strip() for p in str(spec).split(",")):
        if not part:
            continue
        key, sep, count = part.partition("=")
        if not sep:
            raise SetError(f"stratum {part!r} lacks '=N' (e.g. deficit=10)")
        try:
            n = int(count)
        except ValueError:
            raise SetError(f"stratum {key.strip()!r}: {count.strip()!r} is not a whole number") from None
        if n < 0:
            raise SetError(f"stratum {key.strip()!r}: the count must be 0 or more")
        key = key.strip().lower().replace(":", ".")
        if "." in key:
            dim, code = key.split(".", 1)
            if dim not in DIMENSIONS or code not in DIMENSIONS[dim]:
                raise SetError(f"unknown code {key!r}; known: {_known_codes()}")
        else:
            dims = [d for d, codes in DIMENSIONS.items() if key in codes]
            if not dims:
                raise SetError(f"unknown code {key!r}; known: {_known_codes()}")
            if len(dims) > 1:
                raise SetError(f"code {key!r} is ambiguous: write {' or '.join(f'{d}.{key}' for d in dims)}")
            dim, code = dims[0], key
        if code == EMPTY_LABEL[dim]:
            raise SetError(f"{dim}.{code} marks uncoded sentences; choose a flagged code")
        if (dim, code) in seen:
            raise SetError(f"{dim}.{code} is named twice")
        seen.add((dim, code))
        strata.append(Stratum(dim, code, n))
    if not strata:
        raise SetError("the set specification names no codes (e.g. deficit=10,resource=10,low=5)")
    return strata


def _known_codes() -> str:
    return ", ".join(f"{d}.{c}" for d, codes in DIMENSIONS.items() for c in codes if c != EMPTY_LABEL[d])


def draw_set(index: ItemIndex, name: str, spec: str | list[Stratum] = DEFAULT_SPEC, *, seed: int = 0,
             least_certain: bool = False, measure: str = "margin",
             filters: dict | None = None) -> DiscussionSet:
    """Draw a discussion set from the flagged items of ``index`` (see the module docstring).

    ``filters`` narrows the pool (``municipality``, ``doc_type``, ``role``, ``max_confidence`` …, as for
    :meth:`ItemIndex.filter`). The same index, spec, seed and options give the same set.
    """
    validate_set_name(name)
    if measure not in MEASURES:
        raise SetError(f"unknown uncertainty measure {measure!r}; use one of {', '.join(MEASURES)}")
    strata = parse_spec(spec) if isinstance(spec, str) else list(spec)
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    allowed = {"municipality", "doc_type", "role", "min_confidence", "max_confidence"}
    unknown = sorted(set(filters) - allowed)
    if unknown:
        raise SetError(f"unknown set filter(s) {', '.join(unknown)}; use {', '.join(sorted(allowed))}")
    chosen_sentences: set[str] = set()
    items: list[dict] = []
    report: list[dict] = []
    for stratum in strata:
        pool = index.filter(dimension=stratum.dimension, code=stratum.theme, order="document", **filters)
        pool = pool[~pool["sentence_id"].isin(chosen_sentences)]
        rng = random.Random(f"{seed}:{stratum.theme}")
        records = plain_records(pool)
        rng.shuffle(records)  # ties (and the plain draw) are broken by the seed
        if least_certain:
            picked = sorted(records, key=lambda r: _uncertainty(r, measure))[: stratum.n]
        else:
            picked = _spread(records, "municipality", stratum.n)
        for rec in picked:
            chosen_sentences.add(rec["sentence_id"])
            row = index.sentence_row(rec["sentence_id"]) or {}
            items.append({
                "item_id": rec["item_id"],
                "sentence_id": rec["sentence_id"],
                "dimension": rec["dimension"],
                "code": rec["code"],
                "theme": stratum.theme,
                "doc_id": rec["doc_id"],
                "sent_index": int(rec["sent_index"]),
                "text_sha1": _digest(row.get("text", "")),
            })
        report.append({"theme": stratum.theme, "dimension": stratum.dimension, "code": stratum.code,
                       "requested": stratum.n, "found": len(picked), "available": len(records)})
    return DiscussionSet(
        name=name, items=items, strata=report, seed=int(seed), least_certain=bool(least_certain),
        measure=measure, filters=filters,
        created=datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
    )


def _uncertainty(rec: dict, measure: str) -> float:
    value = rec.get("margin") if measure == "margin" else rec.get("max_probability")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        value = rec.get("max_probability") if measure == "margin" else rec.get("probability")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.inf
    return float(value)


def _spread(records: list[dict], key: str, n: int) -> list[dict]:
    """Take ``n`` records round-robin across the values of ``key`` (records are already shuffled)."""
    groups: dict[Any, list[dict]] = {}
    for rec in records:
        groups.setdefault(rec.get(key), []).append(rec)
    queues = list(groups.values())
    out: list[dict] = []
    while len(out) < n and queues:
        for q in list(queues):
            if len(out) >= n:
                break
            out.append(q.pop(0))
            if not q:
                queues.remove(q)
    return out


def _digest(text: str) -> str:
    return hashlib.sha1(str(text).encode("utf-8")).hexdigest()[:12]


# ------------------------------------------------------------------ files


def sets_dir(project_dir: str | os.PathLike) -> Path:
    return Path(project_dir) / SETS_DIR


def set_path(project_dir: str | os.PathLike, name: str) -> Path:
    return sets_dir(project_dir) / f"{validate_set_name(name)}.json"


def save_set(project_dir: str | os.PathLike, dset: DiscussionSet, *, overwrite: bool = False) -> Path:
    """Write ``P/review_sets/NAME.json`` atomically; refuses to replace a set unless ``overwrite``."""
    path = set_path(project_dir, dset.name)
    if path.exists() and not overwrite:
        raise SetError(f"a set named {dset.name!r} exists already ({path}); choose another name")
    atomic_write_text(path, json.dumps(dset.as_dict(), ensure_ascii=False, indent=2) + "\n")
    return path


def load_set(project_dir: str | os.PathLike, name: str) -> DiscussionSet:
    path = set_path(project_dir, name)
    if not path.exists():
        known = ", ".join(list_sets(project_dir)) or "none yet"
        raise SetError(f"no discussion set named {name!r} in {path.parent} (sets: {known})")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SetError(f"{path}: not a readable discussion set ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or data.get("format") != SET_FORMAT:
        raise SetError(f"{path}: not a sprogtro discussion set")
    try:
        return DiscussionSet(
            name=str(data["name"]), items=list(data["items"]), strata=list(data.get("strata", [])),
            seed=int(data.get("seed", 0)), least_certain=bool(data.get("least_certain", False)),
            measure=str(data.get("measure", "margin")), filters=dict(data.get("filters") or {}),
            created=str(data.get("created", "")),
        )
    except (KeyError, TypeError, ValueError):
        raise SetError(f"{path}: the discussion set is incomplete") from None


def list_sets(project_dir: str | os.PathLike) -> list[str]:
    folder = sets_dir(project_dir)
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.json") if NAME_RE.match(p.stem))


def resolve_set(index: ItemIndex, dset: DiscussionSet) -> tuple[list[str], list[dict]]:
    """The set's item ids still present in the project, and the entries that are not (re-coded or
    removed sentences), so callers can say so instead of dropping them silently."""
    present, missing = [], []
    for entry in dset.items:
        (present if index.has(entry["item_id"]) else missing).append(entry)
    return [e["item_id"] for e in present], missing
