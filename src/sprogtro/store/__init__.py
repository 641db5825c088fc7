"""The project store: a folder with ``project.toml`` and a SQLite database of pseudonymized documents,
sentences, the codebook, codings by model and human coders, sentence labels, reviews and memos.

    from sprogtro.store import Project

    with Project.open("mit_projekt") as project:
        df = project.sentences_frame()          # the analysis table, one row per coded sentence
"""

from sprogtro.store.project import DIMENSIONS, EMPTY_LABELS, Project, content_hash, document_guid
from sprogtro.store.schema import LATEST_VERSION as SCHEMA_VERSION

__all__ = ["DIMENSIONS", "EMPTY_LABELS", "SCHEMA_VERSION", "Project", "content_hash", "document_guid"]
