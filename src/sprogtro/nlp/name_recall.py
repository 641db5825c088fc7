"""How much an NER model adds to pseudonymization: recall on person names that no gazetteer knows.

A fictional probe set: first names and surnames that are rare in Denmark (Greenlandic, Central Asian,
West African, Ethiopian, Tibetan, Andean, old Norse, invented Danish-looking surnames), planted in
caseworker sentences and in lower-case transcript lines, one name per sentence. Names the privacy
gazetteers know are filtered out at measurement time, so the probe stays "outside the gazetteers" when
the lists grow. Each sentence is pseudonymized with and without the model; a name counts as caught when
none of its words survives in the output. Over-redaction is the share of the template's own words that
disappear.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

FIRST_NAMES = (
    "Aputsiaq", "Paninnguaq", "Nukappiaq", "Inunnguaq", "Pipaluk", "Ujarak", "Kunuk", "Arnaq",
    "Aigerim", "Nurlan", "Dilnoza", "Ulugbek", "Gulnara", "Sardor", "Kamola", "Bekzod", "Yerlan", "Aruzhan",
    "Dauren", "Ainur", "Tenzin", "Pema", "Dawa", "Sonam", "Ngozi", "Chidi", "Emeka", "Obinna", "Chiamaka",
    "Kwabena", "Akosua", "Tadesse", "Selam", "Meron", "Dawit", "Almaz", "Tsegaye", "Wubet", "Ragnvald",
    "Sigvard", "Eydis", "Torolf", "Ingolf", "Hjørdis", "Gunvor", "Solvejg", "Ketil", "Ulvhild", "Yupanqui",
    "Nayra", "Illari", "Quilla", "Amaru", "Wayra", "Tupaq", "Killari", "Inti", "Sumaq",
)
SURNAMES = (
    "Thorvaldgaard", "Brendstrup", "Ulvskov", "Mørkeberg", "Skovsende", "Tvilum", "Aakjærholm", "Vindum",
    "Okonkwo", "Nkemelu", "Tesfaye", "Gebremedhin", "Abdukarimov", "Nurmagambetov", "Dorjee", "Lhamo",
    "Quispe", "Mamani", "Kuitse", "Lyberth", "Heilmann", "Tobiassen", "Rosbach", "Kjeldbæk",
)
CASED_TEMPLATES = (
    "{full} har været til samtale på jobcentret i dag.",
    "Jeg har talt med {first} om praktikken, og vi aftalte at følge op om to uger.",
    "Aftalen med {first} er, at der skal søges fire stillinger om ugen.",
    "{first} fortæller, at ryggen stadig driller, men at søvnen er blevet bedre.",
    "Borgeren bor sammen med {first} og to børn i en lejlighed.",
    "Til mødet deltog også {full} fra virksomheden.",
    "Det blev besluttet, at {first} starter i virksomhedspraktik efter sommerferien.",
    "Ifølge {full} har der ikke været fravær i perioden.",
)
LOWER_TEMPLATES = (
    "sagsbehandler: har du hørt fra {first} siden sidst?",
    "borger: ja {first} ringede i går og sagde at det var okay",
    "sagsbehandler: så {first} kommer med til næste møde?",
    "borger: jeg var ude hos {full} i sidste uge og det gik fint",
    "borger: min nabo {first} har hjulpet mig med ansøgningerne",
    "sagsbehandler: okay og hvad sagde {first} til det?",
    "borger: {first} synes også at jeg skal prøve praktikken",
    "sagsbehandler: jeg skriver til {full} og hører om de har en plads",
)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def probe_sentences(is_known: Callable[[str], bool] = lambda name: False) -> list[dict[str, Any]]:
    """The probe: dicts with ``text``, ``name`` (as planted), ``variant`` (``cased``/``lower``) and
    ``template_words`` (the template's own words), skipping names for which ``is_known`` is true."""
    firsts = [n for n in FIRST_NAMES if not is_known(n)]
    surnames = [n for n in SURNAMES if not is_known(n)]
    out = []
    for variant, templates in (("cased", CASED_TEMPLATES), ("lower", LOWER_TEMPLATES)):
        for i, first in enumerate(firsts):
            template = templates[i % len(templates)]
            full = f"{first} {surnames[i % len(surnames)]}" if surnames else first
            name = full if "{full}" in template else first
            if variant == "lower":
                name = name.lower()
            text = template.format(first=name, full=name)
            out.append({
                "text": text,
                "name": name,
                "variant": variant,
                "template_words": _WORD.findall(template.replace("{first}", " ").replace("{full}", " ")),
            })
    return out


def _caught(output: str, name: str) -> bool:
    words = {w.lower() for w in _WORD.findall(output)}
    return not any(part.lower() in words for part in name.split())


def _kept_words(output: str, template_words: list[str]) -> int:
    remaining = [w.lower() for w in _WORD.findall(output)]
    kept = 0
    for word in template_words:
        if word.lower() in remaining:
            remaining.remove(word.lower())
            kept += 1
    return kept


def measure(nlp: Any = None) -> dict[str, Any]:
    """Recall on out-of-gazetteer names and over-redaction, without the model and with ``nlp``."""
    from sprogtro.privacy.lexicon import name_lexicon
    from sprogtro.privacy.pseudonymizer import Pseudonymizer

    lex = name_lexicon()
    sentences = probe_sentences(lambda name: lex.is_name(name) or lex.is_name(name.lower()))
    conditions = {"rules only": None} if nlp is None else {"rules only": None, "rules + sprogtro_da NER": nlp}
    results: dict[str, Any] = {"names": len(sentences) // 2, "sentences": len(sentences), "conditions": {}}
    for label, model in conditions.items():
        per_variant: dict[str, dict[str, float]] = {}
        for variant in ("cased", "lower"):
            caught = words = kept = n = 0
            for item in (s for s in sentences if s["variant"] == variant):
                output = Pseudonymizer(style="tags", nlp=model).pseudonymize_text(item["text"]).text
                n += 1
                caught += _caught(output, item["name"])
                words += len(item["template_words"])
                kept += _kept_words(output, item["template_words"])
            per_variant[variant] = {
                "recall": caught / max(n, 1),
                "ordinary_words_removed": 1 - kept / max(words, 1),
                "sentences": n,
            }
        results["conditions"][label] = per_variant
    results["table"] = table(results)
    return results


def table(results: dict[str, Any]) -> str:
    """A Markdown table of :func:`measure`'s figures."""
    lines = [
        f"Fictional probe: {results['names']} person names outside the gazetteers, each planted once in a "
        "caseworker sentence (cased) and once in a lower-case transcript line.",
        "",
        "| | recall, cased | recall, lower-case | ordinary words removed, cased | ordinary words removed, lower-case |",
        "|---|---|---|---|---|",
    ]
    for label, v in results["conditions"].items():
        lines.append(
            f"| {label} | {100 * v['cased']['recall']:.1f} % | {100 * v['lower']['recall']:.1f} % | "
            f"{100 * v['cased']['ordinary_words_removed']:.1f} % | {100 * v['lower']['ordinary_words_removed']:.1f} % |"
        )
    return "\n".join(lines)
