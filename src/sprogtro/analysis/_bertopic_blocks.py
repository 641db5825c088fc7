"""The BERTopic-side blocks. Imports BERTopic at the top, so import this module only when fitting topics
(:mod:`sprogtro.analysis.topics` does it lazily)."""

from __future__ import annotations

import numpy as np
from bertopic.backend import BaseEmbedder
from bertopic.representation import BaseRepresentation


class EmbedderBackend(BaseEmbedder):
    """Hands one of our embedders (:mod:`sprogtro.analysis.embedders`) to BERTopic."""

    def __init__(self, embedder):
        super().__init__()
        self.embedder = embedder

    def embed(self, documents, verbose: bool = False) -> np.ndarray:
        return self.embedder.embed(list(documents), verbose=verbose)


class CtfidfWords(BaseRepresentation):
    """The representation block that keeps BERTopic's c-TF-IDF words as they are (explicitly no
    fine-tuning: no model, no randomness, the words a researcher can trace back to the sentences)."""

    def extract_topics(self, topic_model, documents, c_tf_idf, topics):
        return topics
