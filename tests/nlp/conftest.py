"""NLP fixtures: the offline fallback pipeline (no model download), rules-only and with the classifier."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp_rules():
    from sprogtro.nlp.models import load_pipeline

    return load_pipeline("fallback", combine="rules", quiet=True)


@pytest.fixture(scope="session")
def nlp():
    from sprogtro.nlp.models import load_pipeline

    return load_pipeline("fallback", quiet=True)


@pytest.fixture(scope="session")
def label(nlp_rules):
    """Rule labels of one text taken as one unit: ``label(text) -> {framing, expectation, action}``."""
    labeller = nlp_rules.get_pipe("sprogtro_labeller")

    def run(text: str) -> dict:
        return labeller.label_texts([text])[0]["rules"]

    return run
