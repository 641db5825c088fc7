"""A synthetic, fictional sentence table shaped like ``Project.sentences_frame()``.

Built in code (no store, no model), deterministic for a seed: 4 municipalities × 3 document types,
cases followed over 2019–2023, transcripts with caseworker/citizen turns, four themes (health, work
placement, education, housing/economy) and municipality-specific framing tendencies.
"""

from __future__ import annotations

import json
import random

import pandas as pd
import pytest

MUNICIPALITIES = {"Aarhus": 0.6, "Odense": 0.25, "Vejle": 0.4, "Aalborg": 0.4}  # P(deficit framing)
DOC_TYPES = ("journalnotat", "visitation", "transskription")
SUBJECTS = ("Borgeren", "Jobkandidaten", "Hun", "Han", "Klienten")

THEMES = {
    "helbred": {
        "deficit": ["har svært ved at sidde længe på grund af smerter i ryggen",
                    "mangler søvn og har angst og depression",
                    "har svært ved at håndtere smerter i skulderen og nakken"],
        "resource": ["er god til at håndtere sine smerter med træning og fysioterapi",
                     "har selv fundet en psykolog og sover bedre efter behandlingen"],
        "action": "henvises til afklaringsforløb hos lægen og fysioterapeut",
        "waiting": "afventer speciallægeerklæring om ryggen",
    },
    "praktik": {
        "deficit": ["udebliver fra praktikken i butikken og mangler mødestabilitet",
                    "har svært ved at følge instrukser på lageret"],
        "resource": ["har erfaring med lagerarbejde og truckcertifikat",
                     "møder stabilt i praktikken hos tømreren og er god til kunderne"],
        "action": "starter i praktik med løntilskud hos en tømrervirksomhed på mandag",
        "waiting": "praktikken sættes i bero indtil arbejdsgiveren vender tilbage",
    },
    "uddannelse": {
        "deficit": ["mangler dansk og matematik for at kunne starte på en erhvervsuddannelse",
                    "har svært ved at læse og skrive og droppede ud af gymnasiet"],
        "resource": ["er motiveret for uddannelse som smed og har bestået dansk på VUC",
                     "har interesse for uddannelse som social- og sundhedshjælper"],
        "action": "tilmeldes kursus i dansk og matematik på VUC",
        "waiting": "uddannelsesstart udskydes til næste semester",
    },
    "bolig": {
        "deficit": ["har gæld og er bange for at miste lejligheden",
                    "har ikke styr på økonomien og husleje og regninger hober sig op"],
        "resource": ["har selv lagt et budget og betaler af på gælden",
                     "har fundet en billigere bolig tæt på arbejde"],
        "action": "henvises til gældsrådgivning og boligsocial medarbejder",
        "waiting": "boligsagen ligger stille indtil kommunen har svaret",
    },
}
EXPECTATIONS = {
    "high": [("og jeg tror på at hen kan komme i job inden for et år", False),
             ("og formentlig kan hen komme i ordinært job på sigt", True)],
    "low": [("men jeg tvivler på at hen kommer i arbejde", False),
            ("og hen er nok langt fra arbejdsmarkedet", True)],
    "uncertain": [("og det er svært at vurdere om det fører til job", False)],
}


def _cue(text: str, phrase: str, code: str, hedged: bool = False, negated: bool = False) -> dict | None:
    start = text.find(phrase)
    if start < 0:
        return None
    return {"start": start, "end": start + len(phrase), "code": code, "cue": phrase,
            "negated": negated, "hedged": hedged}


def make_sentences(seed: int = 0, n_cases: int = 40) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = []
    munis = list(MUNICIPALITIES)
    for case_no in range(n_cases):
        muni = munis[case_no % len(munis)]
        p_deficit = MUNICIPALITIES[muni]
        case_id = f"{muni[:3].upper()}-{case_no:03d}"
        year = 2019
        case_belief = rng.choice(["high", "low", "uncertain", None])
        for doc_no in range(rng.randint(2, 4)):
            year += rng.choice([0, 1, 1, 2])
            date = f"{min(year, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            doc_type = DOC_TYPES[(case_no + doc_no) % 3]
            doc_id = f"{muni}/{doc_type}/{case_id}-{doc_no}.txt"
            for sent_index in range(rng.randint(4, 7)):
                theme = rng.choice(list(THEMES))
                t = THEMES[theme]
                subject = rng.choice(SUBJECTS)
                roll = rng.random()
                cues = []
                if roll < 0.55:
                    framing = "deficit" if rng.random() < p_deficit else "resource"
                    phrase = rng.choice(t[framing])
                    text = f"{subject} {phrase}"
                    cues.append(_cue(text, phrase.split(" ")[0] + " " + phrase.split(" ")[1], f"framing.{framing}"))
                    action = "none"
                elif roll < 0.85:
                    framing = "neutral"
                    action = "action" if rng.random() < 0.65 else "waiting"
                    phrase = t[action]
                    text = f"{subject} {phrase}"
                    cues.append(_cue(text, phrase.split(" ")[0], f"action.{action}"))
                else:
                    framing, action = "neutral", "none"
                    text = f"{subject} deltog i samtalen om {theme} den {sent_index + 3}. {['marts', 'maj', 'juni'][sent_index % 3]}"
                expectation = "none"
                if case_belief and rng.random() < 0.3:
                    expectation = case_belief
                    clause, hedged = rng.choice(EXPECTATIONS[case_belief])
                    pron = "hun" if subject == "Hun" else "han" if subject == "Han" else "borgeren"
                    clause = clause.replace("hen", pron)
                    text = f"{text}, {clause}"
                    cues.append(_cue(text, clause.split(" ")[1] + " " + clause.split(" ")[2],
                                     f"expectation.{case_belief}", hedged=hedged))
                text += "."
                if doc_type == "transskription":
                    role = rng.choice(["caseworker", "caseworker", "citizen"])
                    speaker = "Sagsbehandler" if role == "caseworker" else "Borger"
                else:
                    role, speaker = "caseworker", None
                rows.append({
                    "doc_id": doc_id, "sent_index": sent_index, "start_char": 0, "end_char": len(text),
                    "speaker": speaker, "role": role, "text": text, "framing": framing,
                    "expectation": expectation, "action": action,
                    "cues": json.dumps([c for c in cues if c], ensure_ascii=False),
                    "municipality": muni, "doc_type": doc_type, "date": date, "case_id": case_id,
                })
    return pd.DataFrame(rows)


@pytest.fixture(scope="session")
def raw_sentences() -> pd.DataFrame:
    return make_sentences()


@pytest.fixture
def sentences(raw_sentences) -> pd.DataFrame:
    from sprogtro.analysis.frame import prepare_sentences

    return prepare_sentences(raw_sentences)


@pytest.fixture(scope="session")
def fast_topics(raw_sentences):
    """One fast (PCA + KMeans) topic model on the synthetic corpus, shared by the tests that only read it."""
    pytest.importorskip("bertopic", reason="the 'topics' extra is not installed")
    from sprogtro.analysis.frame import prepare_sentences
    from sprogtro.analysis.topics import fit_topics

    return fit_topics(prepare_sentences(raw_sentences), fast=True)
