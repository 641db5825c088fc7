"""The hierarchical codebook the store seeds its ``codes`` table from.

Dimension codes (``framing``, ``expectation``, ``action``) are parents and not codable; their labels
(``framing.deficit`` …) are the codable children. The codebook is read from
``annotation_guides/codebook.yml`` (through :func:`sprogtro.resources.data_path`) when it exists, else
from :data:`DEFAULT_CODEBOOK`, which has the same shape.

Accepted YAML shapes (the loader is lenient about spelling)::

    dimensions:                       # a mapping or a list of {key: …}
      framing:
        name: Framing                 # optional display name
        description: …                # or definition / summary / description_en
        colour: "#4C72B0"             # or color
        labels:                       # a mapping or a list of {key: …}; a bare list of keys works
          deficit: {description: …, colour: "#C44E52"}

Every code gets a stable key (``framing`` / ``framing.deficit``), a unique display name (the label
key; a key that occurs under several dimensions becomes ``none (expectation)``), and a GUID derived
from the key, so the same code has the same GUID in every project and every export.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

# A fixed namespace: code GUIDs are uuid5(namespace, key).
CODE_NAMESPACE = uuid.UUID("6f1d2a3e-8c57-4c3b-9f0e-5b1a7d2c9e41")

DEFAULT_CODEBOOK: dict[str, Any] = {
    "dimensions": {
        "framing": {
            "name": "framing",
            "description": "How the sentence describes the citizen's abilities, traits, behaviour, "
                           "condition or resources.",
            "colour": "#4C72B0",
            "labels": {
                "deficit": {"description": "Problems, limitations, lacks, barriers, illness as limitation, "
                                           "non-compliance, need for support.", "colour": "#C44E52"},
                "resource": {"description": "Strengths, competencies, experience, interests, motivation, "
                                            "reliability, progress.", "colour": "#55A868"},
                "mixed": {"description": "Both deficit and resource in one sentence.", "colour": "#DD8452"},
                "neutral": {"description": "Neither: administrative facts, plans, job prospects.",
                            "colour": "#8C8C8C"},
            },
        },
        "expectation": {
            "name": "expectation",
            "description": "Anyone's belief about the citizen's chance of job or education.",
            "colour": "#8172B3",
            "labels": {
                "high": {"description": "Leans positive, also when hedged.", "colour": "#2CA02C"},
                "low": {"description": "Leans negative, also when hedged.", "colour": "#D62728"},
                "uncertain": {"description": "Open or conditional without a lean.", "colour": "#BCBD22"},
                "none": {"description": "No belief about job or education chances.", "colour": "#B0B0B0"},
            },
        },
        "action": {
            "name": "action",
            "description": "The course of the case.",
            "colour": "#937860",
            "labels": {
                "action": {"description": "A concrete step planned, started or done.", "colour": "#1F77B4"},
                "waiting": {"description": "Postponement or passivity.", "colour": "#FF7F0E"},
                "none": {"description": "Neither (meeting times, information, facts).", "colour": "#A0A0A0"},
            },
        },
    }
}

_DESCRIPTION_KEYS = ("description", "definition", "summary", "description_en", "en", "beskrivelse", "da")
_COLOUR_KEYS = ("colour", "color", "farve")


@dataclass(frozen=True)
class CodeSpec:
    """One code of the codebook, before it is stored."""

    key: str
    name: str
    guid: str
    parent_key: str | None
    dimension: str
    label: str | None
    colour: str | None
    description: str | None
    is_codable: bool
    sort_order: int
    label_da: str | None = None


def code_guid(key: str) -> str:
    return str(uuid.uuid5(CODE_NAMESPACE, key))


def codebook_path() -> Path | None:
    """The bundled codebook file, or None while it does not exist."""
    from sprogtro.resources import data_path

    for name in ("codebook.yml", "codebook.yaml"):
        try:
            return data_path("annotation_guides", name)
        except FileNotFoundError:
            continue
    return None


def load_codebook(path: str | Path | None = None) -> tuple[list[CodeSpec], str]:
    """The code specs and a fingerprint of their source (file, or the built-in default)."""
    if path is None:
        path = codebook_path()
    if path is None:
        return _load(None, 0, 0)
    stat = Path(path).stat()
    return _load(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _load(path: str | None, _mtime_ns: int, _size: int) -> tuple[list[CodeSpec], str]:
    """Parsed once per file version (every Project.open checks the codebook)."""
    if path is None:
        data, source = DEFAULT_CODEBOOK, "builtin"
    else:
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader) or {}
        source = path
    specs = parse_codebook(data)
    digest = hashlib.sha256(
        json.dumps([s.__dict__ for s in specs], sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    return specs, f"{source}#{digest[:16]}"


def parse_codebook(data: Any) -> list[CodeSpec]:
    """Code specs from a parsed codebook document (see the module docstring for its shape)."""
    if isinstance(data, dict) and "codebook" in data and "dimensions" not in data:
        data = data["codebook"]
    dims = data.get("dimensions") if isinstance(data, dict) else data
    if dims is None and isinstance(data, dict):
        dims = {k: v for k, v in data.items() if isinstance(v, dict) and ("labels" in v or "codes" in v)}
    entries = list(_items(dims))
    if not entries:
        raise ValueError("the codebook defines no dimensions (expected a 'dimensions' mapping or list)")
    raw: list[tuple[str, dict, list[tuple[str, dict]]]] = []
    for dim_key, dim in entries:
        labels = dim.get("labels", dim.get("codes", dim.get("values", [])))
        raw.append((dim_key, dim, list(_items(labels))))
    # Label keys that occur in several dimensions get the dimension in their display name.
    seen: dict[str, int] = {}
    for _, _, labels in raw:
        for label_key, label in labels:
            name = str(label.get("name") or label_key)
            seen[name] = seen.get(name, 0) + 1
    dim_names = {str(dim.get("name") or dim_key) for dim_key, dim, _ in raw}
    specs: list[CodeSpec] = []
    order = 0
    for dim_key, dim, labels in raw:
        dim_name = str(dim.get("name") or dim_key)
        specs.append(CodeSpec(dim_key, dim_name, code_guid(dim_key), None, dim_key, None,
                              _colour(dim), _description(dim), False, order, _label_da(dim)))
        order += 1
        for label_key, label in labels:
            name = str(label.get("name") or label_key)
            if seen[name] > 1 or name in dim_names:
                name = f"{name} ({dim_key})"
            key = f"{dim_key}.{label_key}"
            specs.append(CodeSpec(key, name, code_guid(key), dim_key, dim_key, label_key,
                                  _colour(label) or _colour(dim), _description(label), True, order,
                                  _label_da(label)))
            order += 1
    return specs


def _items(value: Any):
    """(key, mapping) pairs from a mapping of mappings, a list of mappings with a key, or a list of keys."""
    if value is None:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key), (item if isinstance(item, dict) else {"description": item} if item else {})
        return
    for item in value:
        if isinstance(item, dict):
            key = item.get("key") or item.get("id") or item.get("code") or item.get("label") or item.get("name")
            if key is None:
                raise ValueError(f"a codebook entry has no key/id/name: {sorted(item)}")
            yield str(key), item
        else:
            yield str(item), {}


def _description(entry: dict) -> str | None:
    """The definition; a {da, en} pair becomes "<Danish>\n\n(EN) <English>" (Danish analysts first)."""
    for key in _DESCRIPTION_KEYS:
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
        if isinstance(value, dict):
            da, en = (" ".join(str(value.get(k) or "").split()) for k in ("da", "en"))
            if da and en:
                return f"{da}\n\n(EN) {en}"
            if da or en:
                return da or en
    return None


def _label_da(entry: dict) -> str | None:
    value = entry.get("label_da") or entry.get("navn")
    return str(value).strip() if value else None


def _colour(entry: dict) -> str | None:
    for key in _COLOUR_KEYS:
        value = entry.get(key)
        if isinstance(value, str) and value.startswith("#") and len(value) in (4, 7):
            return value.upper()
    return None
