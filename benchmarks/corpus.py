"""A generator of large fictional Danish case corpora for the benchmarks.

Every document is composed from sentence templates in the registers sprogtro codes (journal notes,
referrals, meeting transcripts, employer letters) with planted fictional identifiers: names, CPR-shaped
numbers, phone numbers, e-mail addresses, street addresses and employers. Document ``i`` depends only
on ``(seed, i)``, so the first 1,000 documents of a 100,000-document corpus are the 1,000-document corpus,
and the corpus streams to disk one file at a time: nothing holds it in memory.

Layout on disk: ``<root>/<municipality>/<doc_type>/<nnnnnnn>.txt`` (the folder layout the readers turn
into metadata).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MUNICIPALITIES = ("aarhus", "odense", "aalborg", "esbjerg", "randers", "kolding")
DOC_TYPES = ("journalnotat", "visitation", "transskription", "virksomhedskorrespondance")

FIRST_NAMES_F = (
    "Mette", "Anne", "Camilla", "Louise", "Sofie", "Karina", "Pia", "Hanne", "Trine", "Line",
    "Fatima", "Aisha", "Jovana", "Amina", "Leyla", "Maria", "Susanne", "Birgitte", "Rikke", "Nadia",
)
FIRST_NAMES_M = (
    "Lars", "Jens", "Peter", "Michael", "Søren", "Thomas", "Henrik", "Kasper", "Mads", "Jonas",
    "Ahmed", "Mohammad", "Ali", "Hassan", "Omar", "Dragan", "Kenneth", "Brian", "Niels", "Rasmus",
)
SURNAMES = (
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Kirkegaard", "Østergaard", "Mortensen", "Madsen", "Yilmaz", "Hussein",
    "Khan", "Petrović", "Abdi", "Mikkelsen",
)
STREETS = (
    "Birkevej", "Skovbrynet", "Møllegade", "Kirkestræde", "Engvej", "Rosenhaven", "Stationsvej",
    "Vestergade", "Åboulevarden", "Lærkevænget",
)
TOWNS = (("8000", "Aarhus C"), ("5000", "Odense C"), ("9000", "Aalborg"), ("6700", "Esbjerg"),
         ("8900", "Randers C"), ("6000", "Kolding"))
FLOORS = ("", ", st. tv.", ", 1. th.", ", 2. mf.", ", 3.tv.", ", 1. sal", "B")
EMPLOYERS = (
    "Bageriet Solsikken ApS", "Hansens VVS A/S", "Netto Bispehaven", "Rengøringsfirmaet Klar ApS",
    "Lager & Logistik Nord A/S", "Café Havnen", "Plejecenter Lindely", "Byggefirmaet Grund A/S",
)
NOUN_REFERENTS = ("borgeren", "jobkandidaten", "klienten")
OFFERS = (
    "virksomhedspraktik", "løntilskud", "et afklaringsforløb", "et mentorforløb", "et AMU-kursus",
    "et ressourceforløb", "et jobafklaringsforløb", "et danskkursus", "IPS-forløb", "et fleksjob",
)
CONDITIONS = (
    "ondt i ryggen", "angst", "depression", "PTSD", "kroniske smerter", "søvnproblemer",
    "ADHD", "hovedpine", "stress", "diabetes",
)
SKILLS = (
    "truckkørsel", "rengøring", "kundeservice", "lagerarbejde", "pædagogisk arbejde", "madlavning",
    "IT", "kørsel", "pleje af ældre", "salg",
)

DEFICIT = (
    "{Ref} har svært ved at møde stabilt og er udeblevet fra de seneste to samtaler.",
    "{Ref} mangler motivation og virker ikke parat til at tage imod tilbud.",
    "{Ref} oplyser at have {condition}, som begrænser arbejdsevnen betydeligt.",
    "Det er sagsbehandlers vurdering, at {ref} har begrænsede danskkundskaber.",
    "{Ref} har ingen erfaring fra det ordinære arbejdsmarked.",
    "{Ref} har vanskeligt ved at overskue flere opgaver ad gangen og bliver hurtigt træt.",
    "{Ref} fremstår umotiveret og har ikke fulgt op på aftalerne.",
    "Der er udfordringer med fremmøde, og {ref} har haft meget fravær i praktikken.",
)
RESOURCE = (
    "{Ref} er god til {skill} og har erfaring fra flere tidligere job.",
    "{Ref} møder stabilt og til tiden og er meget engageret.",
    "{Ref} har selv fundet en praktikplads hos {employer}.",
    "{Ref} har ingen problemer med at samarbejde og er vellidt af kollegerne.",
    "{Ref} er motiveret for at komme i gang og har gode sociale kompetencer.",
    "{Ref} har taget truckcertifikat og er glad for at arbejde med {skill}.",
    "Arbejdsgiver beskriver {refo} som pålidelig og fagligt dygtig.",
)
MIXED = (
    "{Ref} har {condition}, men er til gengæld meget motiveret for at arbejde.",
    "Selvom {ref} har svært ved at læse, er {pron} god til praktisk arbejde.",
    "{Ref} er stabil i praktikken, dog med en del fravær på grund af {condition}.",
    "{Ref} mangler erfaring med {skill}, men lærer hurtigt og er nysgerrig.",
)
EXPECT_HIGH = (
    "Jeg tror på, at {ref} kan komme i ordinær beskæftigelse inden for et år.",
    "Det vurderes realistisk, at {ref} kan varetage et job som {skill_job} på sigt.",
    "{Employer} overvejer at ansætte {refo} efter praktikken.",
    "{Ref} er formentlig tæt på arbejdsmarkedet.",
)
EXPECT_LOW = (
    "Jeg tvivler på, at {ref} vil kunne arbejde på ordinære vilkår.",
    "Sagsbehandler har svært ved at se {refo} i et job inden for en overskuelig fremtid.",
    "Det vurderes urealistisk, at {ref} kan vende tilbage til faget.",
    "{Ref} er langt fra arbejdsmarkedet, og der bør tages stilling til førtidspension.",
)
EXPECT_UNCERTAIN = (
    "Det er svært at vurdere, om {ref} kan klare et job på sigt.",
    "Måske kan {ref} på sigt komme i et fleksjob, men det er for tidligt at sige.",
    "Det kan ikke udelukkes, at {ref} kan komme i uddannelse senere.",
)
ACTION = (
    "{Ref} starter i {offer} hos {employer} den {date}.",
    "Der er aftalt jobsøgning med mindst fire ansøgninger om ugen.",
    "Sagsbehandler henviser {refo} til {offer}.",
    "Der er taget kontakt til {employer} om en praktikplads.",
    "{Ref} er påbegyndt {offer}, og der følges op om fire uger.",
    "Der bevilges en mentor i tre måneder.",
)
WAITING = (
    "Sagen sættes i bero, indtil der foreligger en speciallægeerklæring.",
    "Vi afventer svar fra egen læge, før der igangsættes noget.",
    "Indsatsen udskydes, til {ref} er klar.",
    "Der har ikke været nogen aktivitet i sagen siden {date}.",
    "Forløbet ligger stille, mens {ref} er sygemeldt.",
)
NEUTRAL = (
    "Samtalen blev afholdt på jobcentret den {date}.",
    "{Ref} bor sammen med sin kæreste og to børn.",
    "Næste opfølgningssamtale er aftalt til den {date} kl. 10.00.",
    "Der er udleveret information om rettigheder og pligter.",
    "{Ref} er orienteret om reglerne for sygedagpenge.",
    "Sagen er overgået fra ydelseskontoret den {date}.",
)
SPOKEN = (
    "Jamen altså, jeg har jo haft det rigtig skidt med {condition} i lang tid.",
    "Øh, jeg vil rigtig gerne have et job, men det er svært med ryggen.",
    "Jeg kunne godt tænke mig at prøve noget med {skill}.",
    "Det ved jeg ikke rigtig, om jeg kan klare.",
    "Min læge siger, at jeg skal tage det stille og roligt.",
    "Ja, det lyder fint, så prøver vi det.",
)
CASEWORKER_SPOKEN = (
    "Hvordan går det med praktikken hos {employer}?",
    "Jeg tænker, at vi skal prøve med {offer} som det næste.",
    "Det lyder rigtig godt, og jeg kan høre, at du er motiveret.",
    "Vi afventer lige papirerne fra lægen, før vi går videre.",
    "Jeg tror faktisk, at du kan komme ud på arbejdsmarkedet igen.",
)
SKILL_JOBS = ("lagermedarbejder", "rengøringsassistent", "kok", "chauffør", "butiksassistent",
              "social- og sundhedshjælper")

BODY_POOLS = (DEFICIT, RESOURCE, MIXED, EXPECT_HIGH, EXPECT_LOW, EXPECT_UNCERTAIN, ACTION, WAITING,
              NEUTRAL)
BODY_WEIGHTS = (14, 12, 6, 5, 5, 4, 12, 6, 18)


@dataclass
class Person:
    first: str
    last: str
    female: bool

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class Case:
    """One citizen's case: every document of the case plants the same identifiers, as real case files do,
    so the corpus has one distinct citizen per :data:`DOCS_PER_CASE` documents."""

    citizen: Person
    caseworker: Person
    cpr: str
    phone: str
    address: str
    municipality: str


DOCS_PER_CASE = 8


@dataclass(frozen=True)
class CorpusStats:
    """What :func:`write_corpus` wrote: counts and total size in UTF-8 bytes."""

    root: Path
    documents: int
    bytes: int


def _cpr(rng: random.Random) -> str:
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(60, 99)
    return f"{day:02d}{month:02d}{year:02d}{rng.randint(0, 3999):04d}"


def _cpr_as_written(rng: random.Random, digits: str) -> str:
    return digits[:6] + rng.choice(("-", "", " ")) + digits[6:]


def _phone(rng: random.Random) -> str:
    return f"{rng.randint(20, 99)}{rng.randint(0, 999999):06d}"


def _phone_as_written(rng: random.Random, digits: str) -> str:
    style = rng.randrange(3)
    if style == 0:
        return " ".join(digits[i:i + 2] for i in range(0, 8, 2))
    if style == 1:
        return f"+45 {digits[:4]} {digits[4:]}"
    return digits


def _date(rng: random.Random) -> str:
    months = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
              "oktober", "november", "december")
    if rng.random() < 0.5:
        return f"{rng.randint(1, 28)}. {rng.choice(months)} 20{rng.randint(19, 25)}"
    return f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.20{rng.randint(19, 25)}"


def _person(rng: random.Random) -> Person:
    female = rng.random() < 0.5
    return Person(rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M), rng.choice(SURNAMES), female)


def _address(rng: random.Random) -> str:
    postcode, town = rng.choice(TOWNS)
    return f"{rng.choice(STREETS)} {rng.randint(1, 140)}{rng.choice(FLOORS)}, {postcode} {town}"


def _fill(template: str, rng: random.Random, citizen: Person) -> str:
    kind = rng.randrange(5)
    if kind < 3:
        ref = refo = NOUN_REFERENTS[kind]
    elif kind == 3:
        ref = refo = citizen.first
    else:
        ref, refo = ("hun", "hende") if citizen.female else ("han", "ham")
    values = {
        "ref": ref,
        "refo": refo,
        "Ref": ref[:1].upper() + ref[1:],
        "pron": "hun" if citizen.female else "han",
        "condition": rng.choice(CONDITIONS),
        "skill": rng.choice(SKILLS),
        "skill_job": rng.choice(SKILL_JOBS),
        "offer": rng.choice(OFFERS),
        "employer": rng.choice(EMPLOYERS),
        "Employer": rng.choice(EMPLOYERS),
        "date": _date(rng),
    }
    return template.format(**values)


def _body(rng: random.Random, citizen: Person, n: int) -> list[str]:
    pools = rng.choices(BODY_POOLS, weights=BODY_WEIGHTS, k=n)
    return [_fill(rng.choice(pool), rng, citizen) for pool in pools]


def _journal(rng: random.Random, case: Case) -> str:
    citizen = case.citizen
    head = [
        f"Journalnotat {_date(rng)}",
        f"Borger: {citizen.full}, CPR-nr. {_cpr_as_written(rng, case.cpr)}",
        f"Sagsbehandler: {case.caseworker.full}",
        "",
    ]
    sentences = _body(rng, citizen, rng.randint(5, 18))
    if rng.random() < 0.4:
        relation = rng.choice(("mor", "bror", "kæreste", "datter"))
        sentences.insert(1, f"{citizen.first} deltog sammen med sin {relation} {_person(rng).first}.")
    paragraphs = [" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4)]
    return "\n".join(head) + "\n" + "\n\n".join(paragraphs) + "\n"


def _visitation(rng: random.Random, case: Case) -> str:
    citizen = case.citizen
    head = [
        "Henvisning til afklaringsforløb",
        f"Navn: {citizen.full}",
        f"Personnummer: {_cpr_as_written(rng, case.cpr)}",
        f"Adresse: {case.address}",
        f"Tlf.: {_phone_as_written(rng, case.phone)}",
        f"Egen læge: {_person(rng).full}",
        "",
        "Baggrund for henvisningen:",
    ]
    sentences = _body(rng, citizen, rng.randint(6, 20))
    return "\n".join(head) + "\n" + " ".join(sentences) + "\n"


def _transcript(rng: random.Random, case: Case) -> str:
    citizen, caseworker = case.citizen, case.caseworker
    lines = [f"Mødetransskription, {_date(rng)}", f"Deltagere: {caseworker.full}, {citizen.full}", ""]
    minute = 0
    for _ in range(rng.randint(4, 14)):
        minute += rng.randint(0, 2)
        stamp = f"[00:{minute:02d}:{rng.randint(0, 59):02d}] " if rng.random() < 0.5 else ""
        cw = _fill(rng.choice(CASEWORKER_SPOKEN), rng, citizen)
        lines.append(f"{stamp}Sagsbehandler ({caseworker.first}): {cw}")
        said = " ".join(_fill(rng.choice(SPOKEN), rng, citizen) for _ in range(rng.randint(1, 3)))
        lines.append(f"{stamp}{citizen.first}: {said}")
    return "\n".join(lines) + "\n"


def _letter(rng: random.Random, case: Case) -> str:
    citizen = case.citizen
    contact = _person(rng)
    employer = rng.choice(EMPLOYERS)
    email = f"{contact.first.lower()}.{contact.last.lower()}@example.dk".replace("ø", "oe")
    head = [
        employer,
        _address(rng),
        f"Kontaktperson: {contact.full}, mobil {_phone_as_written(rng, _phone(rng))}, e-mail {email}",
        "",
        f"Vedr. {citizen.full}, CPR {_cpr_as_written(rng, case.cpr)}",
        "",
    ]
    sentences = _body(rng, citizen, rng.randint(4, 12))
    return "\n".join(head) + " ".join(sentences) + f"\n\nMed venlig hilsen\n{contact.full}\n"


WRITERS = {
    "journalnotat": _journal,
    "visitation": _visitation,
    "transskription": _transcript,
    "virksomhedskorrespondance": _letter,
}


def case(case_id: int, seed: int = 0) -> Case:
    """Case ``case_id``: its citizen, caseworker and identifiers. Deterministic in ``(seed, case_id)``."""
    rng = random.Random(f"sprogtro-bench:{seed}:case:{case_id}")
    return Case(citizen=_person(rng), caseworker=_person(rng), cpr=_cpr(rng), phone=_phone(rng),
                address=_address(rng), municipality=MUNICIPALITIES[case_id % len(MUNICIPALITIES)])


def document(index: int, seed: int = 0) -> tuple[str, str]:
    """Document ``index``: ``(relative path, text)``. Deterministic in ``(seed, index)``; documents
    ``8k .. 8k+7`` belong to case ``k``."""
    rng = random.Random(f"sprogtro-bench:{seed}:doc:{index}")
    the_case = case(index // DOCS_PER_CASE, seed)
    doc_type = DOC_TYPES[index % len(DOC_TYPES)]
    text = WRITERS[doc_type](rng, the_case)
    return f"{the_case.municipality}/{doc_type}/{index:07d}.txt", text


def iter_documents(n_docs: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """Documents ``0 .. n_docs-1`` as ``(relative path, text)``, one at a time."""
    for index in range(n_docs):
        yield document(index, seed)


def write_corpus(root: Path, n_docs: int, seed: int = 0) -> CorpusStats:
    """Write ``n_docs`` documents under ``root`` (streamed, one file at a time)."""
    root = Path(root)
    total = 0
    made: set[Path] = set()
    for rel, text in iter_documents(n_docs, seed):
        path = root / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        data = text.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    return CorpusStats(root=root, documents=n_docs, bytes=total)
