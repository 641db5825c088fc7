"""Measuring pseudonymization against planted identifiers (tests and ``benchmarks/bench_privacy.py``).

A planted-identifier table has columns ``doc_id, entity_type, value``. An identifier *survives* when
its value still occurs in the output as a whole word (case-sensitive; for names also with a
possessive -s). *Ordinary words* are the letter-only tokens of the source outside planted values; the
loss is the share of them missing from the output (multiset difference).
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)
TYPE_ALIASES = {"ORGANIZATION": "ORG", "ORGANISATION": "ORG", "DATE_OF_BIRTH": "BIRTHDATE", "PER": "PERSON",
                "PHONE_NUMBER": "PHONE", "EMAIL_ADDRESS": "EMAIL"}


def load_planted(path: str | Path) -> dict[str, list[tuple[str, str]]]:
    """doc_id → [(entity_type, value)]."""
    planted: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            kind = row["entity_type"].strip().upper()
            planted[row["doc_id"].strip()].append((TYPE_ALIASES.get(kind, kind), row["value"].strip()))
    return dict(planted)


def _value_pattern(value: str) -> re.Pattern:
    return re.compile(rf"(?<![\w]){re.escape(value)}(?:s|')?(?![\w])")


def surviving(output: str, values: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The planted (type, value) pairs still present in ``output``."""
    return [(t, v) for t, v in values if _value_pattern(v).search(output)]


def ordinary_words(source: str, values: list[tuple[str, str]]) -> Counter:
    masked = source
    for _t, value in sorted(values, key=lambda tv: -len(tv[1])):
        masked = _value_pattern(value).sub(" ", masked)
    return Counter(_TOKEN.findall(masked))


def ordinary_loss(source: str, output: str, values: list[tuple[str, str]]) -> tuple[int, int]:
    """(ordinary words removed, ordinary words in the source)."""
    ordinary = ordinary_words(source, values)
    kept = Counter(_TOKEN.findall(output))
    removed = sum(max(0, n - kept.get(w, 0)) for w, n in ordinary.items())
    return removed, sum(ordinary.values())


@dataclass
class Score:
    """Totals over a corpus: planted identifiers found, survivors, ordinary words lost."""

    planted: int = 0
    survived: list[tuple[str, str, str]] = field(default_factory=list)  # (doc_id, type, value)
    by_type: Counter = field(default_factory=Counter)
    survived_by_type: Counter = field(default_factory=Counter)
    removed: int = 0
    ordinary: int = 0

    def add(self, doc_id: str, source: str, output: str, values: list[tuple[str, str]]) -> None:
        self.planted += len(values)
        self.by_type.update(t for t, _ in values)
        for t, v in surviving(output, values):
            self.survived.append((doc_id, t, v))
            self.survived_by_type[t] += 1
        removed, total = ordinary_loss(source, output, values)
        self.removed += removed
        self.ordinary += total

    @property
    def recall(self) -> float:
        return 1.0 if not self.planted else 1 - len(self.survived) / self.planted

    @property
    def loss(self) -> float:
        return 0.0 if not self.ordinary else self.removed / self.ordinary
