"""Lexicon rules: the data half of sprogtro's "rules as data, engine as code".

A lexicon file ``lexicons/da/<name>.yml`` holds one category of rules::

    category: deficit            # what the entries mean (see CATEGORIES)
    description: free text
    defaults: {weight: 1.0}      # optional: values every entry inherits
    entries:
      - pattern: "har (rigtig|meget) svært ved"
        code: deficit
        weight: 1.0
        group: barrierer
        example: "Borgeren har rigtig svært ved at møde til tiden."

A ``pattern`` is either a phrase in the small syntax below or a spaCy token pattern (a list of dicts,
matched with spaCy's ``Matcher``). Phrase syntax, one element per whitespace-separated word:

``word``
    the token's lower-case form equals ``word``
``a|b|c``
    one of the forms
``(a|b)``
    optional: one of the forms, or nothing
``~lemma``
    the token's lemma (lower-cased) equals ``lemma``; ``~a|~b`` mixes freely with plain forms
``stem*`` / ``*head`` / ``*part*``
    the lower-case form starts with ``stem``, ends with ``head`` (Danish compounds: ``*smerter``) or
    contains ``part``; at least 3 letters
``...`` / ``...5``
    a gap of up to three (five) tokens: commas may fall inside it, other punctuation not; ``(,)`` is an optional comma
``A || B``
    whole alternative phrases of one rule ("sover dårligt || søvnløshed"); ``a|b`` alternatives are
    single words

Between two elements of a multi-word phrase the matcher also skips up to ``max_fillers`` *filler*
tokens (``fillers.yml``: "jo", "rigtig", "ikke", "stadig" …), so "har svært ved" also finds
"har jo stadig rigtig svært ved" and "har ikke svært ved". Fillers that are negations or hedges stay
visible to the context component, which is how "har ikke svært ved" becomes a negated deficit.

A cue entry with ``code: none`` is a *lookalike*: "med venlig hilsen" in resource.yml is matched like any
cue, wins its words from the shorter resource cue "venlig*" (longest first), and is then dropped, so the
letter's closing is no resource. Lookalikes keep exceptions in the data instead of the code.

The engine never names a Danish word: everything Danish lives in the YAML files.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

# category → which component uses it
CUE_CATEGORIES = (
    "deficit",
    "resource",
    "expectation_high",
    "expectation_low",
    "expectation_uncertain",
    "action",
    "waiting",
)
CONTEXT_CATEGORIES = (
    "negation",
    "hedge",
    "contrast",
    "condition",
    "horizon",
    "target",
    "referent",
    "experiencer",
)
FILLER_CATEGORY = "filler"
# a cue entry with this code is a lookalike: it wins its words from shorter cues and is then dropped
LOOKALIKE_CODE = "none"
CATEGORIES = CUE_CATEGORIES + CONTEXT_CATEGORIES + (FILLER_CATEGORY,)

DIRECTIONS = ("forward", "backward", "bidirectional", "terminate", "pseudo", "none")

_ALLOWED_KEYS = (
    "pattern",
    "code",
    "weight",
    "example",
    "group",
    "direction",
    "max_scope",
    "value",
    "attr",
    "note",
)


class LexiconError(ValueError):
    """A lexicon file or entry is malformed. The message names the file, the entry and the fix."""


@dataclass
class Rule:
    """One lexicon entry.

    ``category`` comes from the file, ``code`` from the entry (defaults to the category). ``direction`` and
    ``max_scope`` matter to context modifiers (negation, hedges, contrast, condition); ``value`` carries the
    normalised value of attribute cues (horizon "kort", target "job", experiencer "employer" …).
    """

    pattern: str | list[dict[str, Any]]
    category: str
    code: str = ""
    weight: float = 1.0
    example: str = ""
    group: str = ""
    direction: str = "none"
    max_scope: int | None = None
    value: str = ""
    attr: str = "lower"
    source: str = ""

    def __post_init__(self) -> None:
        if not self.code:
            self.code = self.category
        if self.category not in CATEGORIES:
            raise LexiconError(
                f"{self.source}: unknown category {self.category!r}; allowed: {', '.join(CATEGORIES)}"
            )
        if self.direction not in DIRECTIONS:
            raise LexiconError(
                f"{self.source}: unknown direction {self.direction!r}; allowed: {', '.join(DIRECTIONS)}"
            )
        if self.attr not in ("lower", "lemma"):
            raise LexiconError(f"{self.source}: attr must be 'lower' or 'lemma', not {self.attr!r}")
        if isinstance(self.pattern, str):
            if not self.pattern.strip():
                raise LexiconError(f"{self.source}: empty pattern")
        elif not (isinstance(self.pattern, list) and all(isinstance(t, dict) for t in self.pattern)):
            raise LexiconError(f"{self.source}: pattern must be a phrase or a list of token dicts")
        self.weight = float(self.weight)

    @property
    def key(self) -> str:
        """A stable identity for the rule (category + pattern)."""
        pat = self.pattern if isinstance(self.pattern, str) else json.dumps(self.pattern, sort_keys=True)
        return f"{self.category}:{pat}"

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, category: str, source: str = "") -> "Rule":
        """Build a rule from one YAML/JSON entry; unknown keys are refused, naming the allowed ones."""
        unknown = sorted(set(data) - set(_ALLOWED_KEYS) - {"category", "source"})
        if unknown:
            raise LexiconError(
                f"{source}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(_ALLOWED_KEYS)}"
            )
        if "pattern" not in data:
            raise LexiconError(f"{source}: entry without 'pattern'")
        values = {k: v for k, v in data.items() if k in _ALLOWED_KEYS and k != "note"}
        if values.get("value") is None:
            values.pop("value", None)
        values["value"] = str(values.get("value", ""))
        return cls(category=data.get("category", category), source=data.get("source", source), **values)

    def to_dict(self) -> dict[str, Any]:
        """A plain, JSON-able dict that :meth:`from_dict` reads back."""
        return asdict(self)


@dataclass
class Lexicon:
    """All rules read from one lexicon folder, grouped by category."""

    rules: list[Rule] = field(default_factory=list)

    def by_category(self, categories: Iterable[str]) -> list[Rule]:
        wanted = set(categories)
        return [r for r in self.rules if r.category in wanted]

    def __len__(self) -> int:
        return len(self.rules)


def read_lexicon_file(path: str | Path) -> list[Rule]:
    """Read one ``*.yml`` lexicon file into rules."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path.name}: not valid YAML ({exc.__class__.__name__}); check the indentation") from exc
    if not isinstance(data, dict) or "entries" not in data:
        raise LexiconError(f"{path.name}: expected a mapping with 'category' and 'entries'")
    category = data.get("category", path.stem)
    defaults = data.get("defaults") or {}
    rules = []
    for i, entry in enumerate(data["entries"] or []):
        if isinstance(entry, str):
            entry = {"pattern": entry}
        if not isinstance(entry, dict):
            raise LexiconError(f"{path.name} entry {i + 1}: expected a mapping with 'pattern'")
        merged = {**defaults, **entry}
        rules.append(Rule.from_dict(merged, category=category, source=f"{path.name} entry {i + 1}"))
    return rules


def load_lexicon(directory: str | Path | None = None) -> Lexicon:
    """Read every ``*.yml``/``*.yaml`` file in ``directory`` (default: the bundled Danish lexicons)."""
    if directory is None:
        from sprogtro.resources import lexicon_dir

        directory = lexicon_dir("da")
    directory = Path(directory)
    if not directory.is_dir():
        raise LexiconError(f"lexicon folder {directory} does not exist")
    rules: list[Rule] = []
    for path in sorted([*directory.glob("*.yml"), *directory.glob("*.yaml")]):
        rules.extend(read_lexicon_file(path))
    if not rules:
        warnings.warn(f"no lexicon rules found in {directory}", stacklevel=2)
    return Lexicon(rules)


def rules_to_jsonl(rules: Iterable[Rule]) -> str:
    return "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in rules)


def rules_from_jsonl(text: str) -> list[Rule]:
    out = []
    for line in text.splitlines():
        if line.strip():
            d = json.loads(line)
            out.append(Rule.from_dict(d, category=d["category"], source=d.get("source", "")))
    return out
