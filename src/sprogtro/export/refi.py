"""REFI-QDA (QDA-XML 1.0) basics shared by export and import: namespaces, GUIDs, schema validation,
atomic writes.

The schemas are vendored in ``sprogtro/export/schemas`` (see NOTICE.md there), so validation never needs
the network.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from lxml import etree

from sprogtro.errors import ExportError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
# GUIDs sprogtro derives (selections, cases, variables) are uuid5 in this namespace: stable across exports.
GUID_NAMESPACE = uuid.UUID("3a0f6a52-9d1e-4f7b-8c2d-1e5b7a9c4d30")


def derived_guid(*parts: object) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join(map(str, parts))))


def norm_guid(value: str | None) -> str | None:
    """GUIDs compare case-insensitively and with or without braces (ATLAS.ti writes upper case)."""
    if value is None:
        return None
    return value.strip().strip("{}").lower()


@lru_cache(maxsize=4)
def schema(kind: str = "project", path: str | None = None) -> etree.XMLSchema:
    """The compiled QDA-XML schema (``project`` or ``codebook``), vendored unless ``path`` is given."""
    xsd = Path(path) if path else SCHEMA_DIR / ("Project.xsd" if kind == "project" else "Codebook.xsd")
    return etree.XMLSchema(etree.parse(str(xsd)))


def validate(root: etree._Element, kind: str = "project") -> None:
    """Raise :class:`ExportError` naming the first problems when ``root`` is not valid QDA-XML."""
    xsd = schema(kind)
    if not xsd.validate(root):
        errors = "; ".join(f"line {e.line}: {e.message}" for e in list(xsd.error_log)[:3])
        raise ExportError(f"the generated {kind} XML does not validate against the REFI-QDA schema: {errors}")


def xml_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True, standalone=True)


def atomic_export(path: str | os.PathLike, write: Callable[[Path], None]) -> None:
    """``write(tmp)`` then rename into ``path`` (:func:`sprogtro._io.atomic_write`); an OS error becomes an
    :class:`ExportError`."""
    from sprogtro._io import atomic_write

    try:
        atomic_write(path, write)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc.__class__.__name__}") from None


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    atomic_export(path, lambda tmp: tmp.write_bytes(data))


def local(tag: object) -> str:
    """An element's tag without its namespace (comments and PIs give '')."""
    return etree.QName(tag).localname if isinstance(tag, str) else ""
