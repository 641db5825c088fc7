"""The data classes every stage shares.

Offsets are Python ``str`` indices (Unicode code points, end-exclusive) into ``Document.text``, the
normalised text (NFC, LF, no BOM). Every later stage (sentences, cues, QDA selections) uses them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

ROLES = ("caseworker", "citizen", "employer", "other")

# Metadata keys with a fixed meaning; any other key is free metadata (e.g. extra table columns).
KNOWN_METADATA = ("municipality", "doc_type", "date", "case_id", "source_format")


@dataclass(frozen=True)
class Turn:
    """One speaker turn of a transcript.

    ``start``/``end`` span the utterance, ``label_start``/``label_end`` the speaker label before it
    ("Sagsbehandler (Pia):"), or equal ``start`` when the turn has no label. ``speaker`` is the label as
    written (a name or a role word), ``role`` one of :data:`ROLES`.
    """

    start: int
    end: int
    speaker: str | None = None
    role: str = "other"
    label_start: int | None = None
    label_end: int | None = None


@dataclass
class Document:
    """One source document (or one table row) after reading and normalisation.

    ``doc_id`` is stable across runs: the source path relative to the input root (posix), or the id
    column's value for table rows. ``turns`` is empty for documents without speaker turns.
    ``pseudonymized`` is True once the privacy stage has replaced identifiers; downstream stages refuse
    documents where it is False unless the user says the input is already pseudonymized.
    """

    doc_id: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    turns: list[Turn] = field(default_factory=list)
    source_path: str | None = None
    pseudonymized: bool = False

    @property
    def municipality(self) -> str | None:
        return self.metadata.get("municipality")

    @property
    def doc_type(self) -> str | None:
        return self.metadata.get("doc_type")

    def with_text(self, text: str, turns: list[Turn] | None = None, **changes: Any) -> "Document":
        """A copy with new text (and turns re-anchored on it by the caller)."""
        return replace(self, text=text, turns=list(turns if turns is not None else self.turns), **changes)
