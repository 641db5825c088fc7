"""The codebook as the review app and the booklet need it: per dimension, the codes a reviewer may
choose, their Danish labels and definitions, and the reflection questions for learning groups.

The codebook comes from the project store (``Project.codebook()``), which reads
``annotation_guides/codebook.yml``. :func:`review_codebook` turns it into a small, fixed shape and fills
anything the codebook leaves out (a label, a question) from Danish defaults here, so the app always has
something sensible to show. The codes themselves are the DESIGN.md codebook; a code the codebook adds
to a dimension is accepted too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# The sentence labels (DESIGN.md, "Codebook rules"), in the order the 1-4 keys pick them.
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "framing": ("deficit", "resource", "mixed", "neutral"),
    "expectation": ("high", "low", "uncertain", "none"),
    "action": ("action", "waiting", "none"),
}
# The label meaning "nothing coded": a sentence is *flagged* on a dimension when its label is not this.
EMPTY_LABEL = {"framing": "neutral", "expectation": "none", "action": "none"}

ROLE_LABELS = {"caseworker": "Sagsbehandler", "citizen": "Borger", "employer": "Arbejdsgiver",
               "other": "Anden"}

DIMENSION_LABELS = {"framing": "Indramning", "expectation": "Forventning", "action": "Handling"}

DEFAULT_LABELS: dict[str, dict[str, str]] = {
    "framing": {"deficit": "Mangelsprog", "resource": "Ressourcesprog", "mixed": "Blandet",
                "neutral": "Neutral"},
    "expectation": {"high": "Høj forventning", "low": "Lav forventning",
                    "uncertain": "Usikker forventning", "none": "Ingen forventning"},
    "action": {"action": "Handling", "waiting": "Venten", "none": "Hverken handling eller venten"},
}

DEFAULT_DEFINITIONS: dict[str, dict[str, str]] = {
    "framing": {
        "deficit": "Beskriver borgeren ud fra problemer, begrænsninger, mangler eller barrierer.",
        "resource": "Beskriver borgerens styrker, kompetencer, erfaring, interesser eller fremskridt.",
        "mixed": "Både mangel og ressource i samme sætning, ofte på hver sin side af »men«.",
        "neutral": "Hverken mangel eller ressource: fakta, datoer, planer.",
    },
    "expectation": {
        "high": "Nogen tror på, at borgeren kan komme i job eller uddannelse.",
        "low": "Nogen tvivler på, at borgeren kan komme i job eller uddannelse.",
        "uncertain": "Forventningen er åben eller betinget, uden at hælde til nogen side.",
        "none": "Ingen forventning om job eller uddannelse.",
    },
    "action": {
        "action": "Et konkret skridt er planlagt, sat i gang eller gennemført.",
        "waiting": "Sagen venter, er sat i bero eller ligger stille.",
        "none": "Hverken handling eller venten: mødetider, information, fakta.",
    },
}

DEFAULT_QUESTIONS: dict[str, dict[str, list[str]]] = {
    "framing": {
        "deficit": [
            "Hvad ved vi om borgerens ressourcer, som sætningen ikke nævner?",
            "Hvordan kunne det samme skrives, så borgeren ikke bliver selve problemet?",
            "Hvem skal læse sætningen – og hvad gør den ved deres blik på borgeren?",
        ],
        "resource": [
            "Hvilke konkrete ressourcer peger sætningen på?",
            "Bliver ressourcen brugt i planen for sagen?",
        ],
        "mixed": [
            "Hvad vægter tungest for læseren: det før eller det efter »men«?",
            "Hvad sker der med indtrykket, hvis rækkefølgen byttes om?",
        ],
        "neutral": ["Er sætningen så neutral, som den ser ud – hvad er udeladt?"],
    },
    "expectation": {
        "high": [
            "Hvad bygger forventningen på?",
            "Ved borgeren, at nogen tror på vedkommende?",
        ],
        "low": [
            "Hvad bygger vurderingen på – og hvem har sagt det?",
            "Hvad skulle der til, for at forventningen ændrede sig?",
            "Hvordan kan forventningen påvirke de tilbud, borgeren får?",
        ],
        "uncertain": [
            "Hvad ville gøre vurderingen mere sikker?",
            "Hvem kunne vi spørge?",
        ],
        "none": ["Mangler der en vurdering af borgerens muligheder her?"],
    },
    "action": {
        "action": [
            "Hvem tager næste skridt, og hvornår?",
            "Hænger handlingen sammen med borgerens egne mål?",
        ],
        "waiting": [
            "Hvad venter sagen på – og hvem kan sætte den i gang igen?",
            "Hvor længe har sagen ligget stille, og hvad koster det borgeren?",
        ],
        "none": ["Burde der stå et næste skridt her?"],
    },
}

GENERAL_QUESTIONS = [
    "Passer koden? Hvorfor eller hvorfor ikke?",
    "Hvordan ville borgeren have det med at læse sætningen?",
    "Hvordan kunne sætningen skrives anderledes?",
]

_LABEL_KEYS = ("label_da", "navn", "label", "name", "title", "titel")
_DEFINITION_KEYS = ("definition_da", "definition", "description_da", "description", "beskrivelse")
_QUESTION_KEYS = ("reflection_questions", "refleksionsspoergsmaal", "refleksionsspørgsmål",
                  "reflection", "refleksion", "questions", "spørgsmål", "spoergsmaal")
_CHILD_KEYS = ("codes", "koder", "children", "values", "labels")
_DIM_CONTAINERS = ("dimensions", "dimensioner", "codes", "koder", "codebook")


@dataclass
class Code:
    dimension: str
    value: str
    label: str
    definition: str = ""
    questions: list[str] = field(default_factory=list)
    color: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"dimension": self.dimension, "value": self.value, "label": self.label,
                "definition": self.definition, "questions": list(self.questions), "color": self.color}


@dataclass
class ReviewCodebook:
    """Codes per dimension (in key order), with labels, definitions and reflection questions."""

    codes: dict[str, list[Code]]
    dimension_labels: dict[str, str]
    general_questions: list[str]

    def values(self, dimension: str) -> list[str]:
        return [c.value for c in self.codes.get(dimension, [])]

    def get(self, dimension: str, value: str) -> Code | None:
        for code in self.codes.get(dimension, []):
            if code.value == value:
                return code
        return None

    def label(self, dimension: str, value: str) -> str:
        code = self.get(dimension, value)
        return code.label if code else value

    def questions(self, dimension: str, value: str) -> list[str]:
        code = self.get(dimension, value)
        return list(code.questions) if code and code.questions else list(self.general_questions)

    def is_valid(self, dimension: str, value: str) -> bool:
        return self.get(dimension, value) is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "dimensions": [
                {"name": dim, "label": self.dimension_labels.get(dim, dim),
                 "empty": EMPTY_LABEL.get(dim), "codes": [c.as_dict() for c in codes]}
                for dim, codes in self.codes.items()
            ],
            "general_questions": list(self.general_questions),
        }


def review_codebook(raw: Any = None) -> ReviewCodebook:
    """Build the review codebook from the store's codebook (a mapping, a list of code records, a
    DataFrame, or None), filling gaps from the Danish defaults."""
    # The store's codes table describes codes in English (for QDA exports); the app speaks Danish, so
    # from that table only the codes and colours are taken.
    store_table = hasattr(raw, "columns")
    records = _records(raw)
    general = _general_questions(raw) or list(GENERAL_QUESTIONS)
    codes: dict[str, list[Code]] = {}
    for dim, values in DIMENSIONS.items():
        extra = [v for (d, v) in records if d == dim and v not in values]
        out = []
        for value in (*values, *extra):
            rec = records.get((dim, value), {})
            label = _first_text(rec, _LABEL_KEYS)
            if not label or label == value:
                label = DEFAULT_LABELS[dim].get(value, label or value)
            definition = "" if store_table else _first_text(rec, _DEFINITION_KEYS)
            definition = definition or DEFAULT_DEFINITIONS[dim].get(value, "")
            questions = _questions(rec) or list(DEFAULT_QUESTIONS[dim].get(value, []))
            color = str(rec.get("color") or rec.get("colour") or rec.get("farve") or "")
            out.append(Code(dim, value, label, definition, questions, color))
        codes[dim] = out
    dimension_labels = dict(DIMENSION_LABELS)
    if isinstance(raw, Mapping):
        dims = raw.get("dimensions")
        if isinstance(dims, Mapping):
            for dim in DIMENSIONS:
                node = dims.get(dim)
                label = _first_text(node, ("label_da", "navn")) if isinstance(node, Mapping) else ""
                if label:
                    dimension_labels[dim] = label
    return ReviewCodebook(codes=codes, dimension_labels=dimension_labels, general_questions=general)


# ------------------------------------------------------------------ tolerant reading of the codebook


def _records(raw: Any) -> dict[tuple[str, str], dict]:
    """(dimension, value) → the codebook's record for that code, whatever the codebook's nesting."""
    found: dict[tuple[str, str], dict] = {}
    if raw is None:
        return found
    if hasattr(raw, "to_dict") and hasattr(raw, "columns"):  # a DataFrame of codes
        raw = raw.to_dict(orient="records")
    if isinstance(raw, list):
        for rec in raw:
            if isinstance(rec, Mapping):
                key = _record_key(rec)
                if key:
                    found[key] = dict(rec)
        return found
    if not isinstance(raw, Mapping):
        return found
    dims_node = raw
    for key in _DIM_CONTAINERS:
        if isinstance(raw.get(key), (Mapping, list)):
            dims_node = raw[key]
            break
    if isinstance(dims_node, list):  # [{name: framing, codes: [...]}, ...] or flat code records
        for node in dims_node:
            if not isinstance(node, Mapping):
                continue
            dim = str(node.get("name") or node.get("dimension") or node.get("id") or "")
            if dim in DIMENSIONS:
                found.update(_codes_of(dim, node))
            else:
                key = _record_key(node)
                if key:
                    found[key] = dict(node)
        return found
    for dim in DIMENSIONS:
        node = dims_node.get(dim)
        if isinstance(node, (Mapping, list)):
            found.update(_codes_of(dim, node))
    return found


def _codes_of(dim: str, node: Any) -> dict[tuple[str, str], dict]:
    out: dict[tuple[str, str], dict] = {}
    children: Any = node
    if isinstance(node, Mapping):
        for key in _CHILD_KEYS:
            if isinstance(node.get(key), (Mapping, list)):
                children = node[key]
                break
        else:
            children = {k: v for k, v in node.items() if k in DIMENSIONS[dim] or isinstance(v, Mapping)}
    if isinstance(children, Mapping):
        for value, rec in children.items():
            out[(dim, str(value))] = dict(rec) if isinstance(rec, Mapping) else {"label": str(rec)}
    elif isinstance(children, list):
        for rec in children:
            if isinstance(rec, Mapping):
                value = rec.get("value") or rec.get("code") or rec.get("id") or rec.get("name")
                if value is not None:
                    out[(dim, str(value))] = dict(rec)
            elif isinstance(rec, str):
                out[(dim, rec)] = {}
    return out


def _record_key(rec: Mapping) -> tuple[str, str] | None:
    key = rec.get("key")
    if isinstance(key, str) and "." in key:  # the store's codes table: key "framing.deficit"
        dim, value = key.split(".", 1)
        return dim, value
    if isinstance(key, str) and "dimension" in rec and "label" in rec:  # a store row: a parent code
        label = rec.get("label")
        return (str(rec["dimension"]), label) if isinstance(label, str) and label else None
    dim = rec.get("dimension") or rec.get("parent") or rec.get("group")
    value = rec.get("value") or rec.get("code") or rec.get("id") or rec.get("name")
    if dim is None and isinstance(value, str) and "." in value:
        dim, value = value.split(".", 1)
    if dim is None and isinstance(value, str) and "/" in value:
        dim, value = value.split("/", 1)
    if dim is None or value is None:
        return None
    return str(dim), str(value)


def _first_text(rec: Mapping, keys: tuple[str, ...]) -> str:
    for key in keys:
        value = rec.get(key)
        if isinstance(value, Mapping):  # {da: ..., en: ...}
            value = value.get("da") or value.get("dansk") or next(iter(value.values()), None)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return ""


def _questions(rec: Mapping) -> list[str]:
    for key in _QUESTION_KEYS:
        value = rec.get(key)
        if isinstance(value, Mapping):
            value = value.get("da") or value.get("dansk") or value.get("questions")
        if isinstance(value, str) and value.strip():
            return [value.strip()]
        if isinstance(value, list):
            qs = [" ".join(str(q).split()) for q in value if isinstance(q, str) and q.strip()]
            if qs:
                return qs
    return []


def _general_questions(raw: Any) -> list[str]:
    if not isinstance(raw, Mapping):
        return []
    for key in ("learning_groups", "laeringsgrupper", "læringsgrupper", "reflection", "refleksion"):
        node = raw.get(key)
        if isinstance(node, Mapping):
            qs = _questions(node) or _questions({"questions": node.get("general")})
            if qs:
                return qs
        if isinstance(node, list):
            qs = _questions({"questions": node})
            if qs:
                return qs
    return _questions(raw)
