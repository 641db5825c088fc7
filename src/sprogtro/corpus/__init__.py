"""Reading sources: txt/docx/pdf/odt/csv/xlsx/vtt/srt and transcripts → normalised :class:`Document`.

Start with :func:`iter_documents` (folders and files → a stream of documents with metadata) or
:func:`document_from_text` (a string → a document). See docs/ingestion.md.
"""

from sprogtro.corpus.document import KNOWN_METADATA, ROLES, Document, Turn
from sprogtro.corpus.metadata import DOC_TYPES, MetadataTable, normalize_doc_type, normalize_municipality
from sprogtro.corpus.normalize import decode_bytes, normalize_text
from sprogtro.corpus.reader import SUPPORTED_SUFFIXES, document_from_text, iter_documents, iter_file, read_file
from sprogtro.corpus.transcripts import looks_like_transcript, parse_speaker_roles, parse_turns, role_for_label

__all__ = [
    "DOC_TYPES",
    "KNOWN_METADATA",
    "ROLES",
    "SUPPORTED_SUFFIXES",
    "Document",
    "MetadataTable",
    "Turn",
    "decode_bytes",
    "document_from_text",
    "iter_documents",
    "iter_file",
    "looks_like_transcript",
    "normalize_doc_type",
    "normalize_municipality",
    "normalize_text",
    "parse_speaker_roles",
    "parse_turns",
    "read_file",
    "role_for_label",
]
