#!/usr/bin/env python3
"""Build the generated parts of ``corpora_sample/`` (the fictional sample corpus).

The plain-text documents (.txt, .vtt, .srt) under ``corpora_sample/<municipality>/<doc-type>/`` are written by
hand and committed as they are. This script writes the rest, from text held below, so that the corpus also
exercises every reader:

* .docx (python-docx), .odt (odfpy) and .pdf with a text layer (reportlab),
* one .txt in cp1252 (Windows-1252) instead of UTF-8,
* one .csv table export with several journal notes as rows (``notat_id, dato, sagsnr, tekst``),

and then derives two tables from the whole corpus:

* ``corpora_sample/metadata.csv`` (path, municipality, doc_type, date, case_id, speaker_roles), with date and
  case id read from the file names (``YYYY-MM-DD_<case id>_…``) and speaker roles from ``SPEAKER_ROLES``;
* ``corpora_sample/gold/planted_identifiers.csv`` (doc_id, entity_type, value): every identifier of
  ``IDENTIFIERS`` found in a document's text. Every name, CPR number, address, phone number, e-mail,
  employer and date of birth in the corpus is listed in ``IDENTIFIERS``; ``--check`` lists capitalised words
  that are neither listed nor known vocabulary, to catch one that was forgotten.

All people, numbers and addresses are invented. Run from the repository root::

    .venv/bin/python scripts/make_sample_corpus.py [--check]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1] / "corpora_sample"
GOLD = ROOT / "gold"

MUNICIPALITIES = ("aarhus", "odense", "aalborg", "esbjerg")
DOC_TYPE_FOLDERS = {
    "journalnotater": "journalnotat",
    "visitationer": "visitation",
    "moedetransskriptioner": "transskription",
    "virksomhedskorrespondance": "virksomhedskorrespondance",
}
SOURCE_SUFFIXES = (".txt", ".vtt", ".srt", ".docx", ".odt", ".pdf", ".csv")
CASE_ID = re.compile(r"(?<![A-Z])([A-Z]{3}-\d{2}-\d{4})(?!\d)")
FILE_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})_")

# --------------------------------------------------------------------------------------------------------
# Generated documents: relative path → text. Paragraphs are separated by blank lines; in .docx/.odt/.pdf a
# first line in capitals or ending in no full stop becomes a heading.
# --------------------------------------------------------------------------------------------------------

CP1252_NOTE = """Journalnotat 30.11.2022 – Jonas Mikkelsen (190401-4127)

Jonas har været i praktik hos Autoværkstedet Viby Bil ApS i fire uger. Mester Henning Bro ringede og fortalte, at Jonas er mødt hver dag, også da det sneede, og at han er blevet betroet at skifte dæk alene.

Jonas har svært ved de skriftlige opgaver, men han bruger nu oplæsningsappen, som IPS-konsulenten Peter Skov har hjulpet ham med.

Værkstedet vil gerne tilbyde ham en uddannelsesaftale. Jeg forventer, at Jonas starter på grundforløb 2 efter nytår. Peter følger op med værkstedet i næste uge.
"""

DOCX_AARHUS = """ARBEJDSFASTHOLDELSE – VISITATION TIL DELVIS RASKMELDING

Jobcenter Aarhus, sygedagpengeområdet
Dato: 01.02.2023
Borger: Mette Kirkegaard, cpr-nr. 120385-1983
Adresse: Skovvejen 21, 3. th., 8000 Aarhus C
Telefon: 26 18 93 55 – e-mail: mette.kirkegaard85@mail.dk
Arbejdsgiver: Bager Hansen ApS, v. indehaver Anne Hansen

Baggrund
Mette har arbejdet som butiksassistent i bageriet i elleve år. Hun blev sygemeldt i december 2022 med stress efter en periode med mange vagter og sygdom i familien. Hendes far, Ib Kirkegaard, har været alvorligt syg.

Aktuel situation
Mette sover bedre og har fået en fast døgnrytme. Hun har stadig svært ved at holde koncentrationen og bliver udmattet af larm og mange kunder på én gang. Hun er meget glad for sit arbejde og har et godt forhold til kollegerne.

Ressourcer
Mette er erfaren, pligtopfyldende og god til at oplære nye kolleger. Hun har selv taget initiativ til at kontakte arbejdsgiveren for at aftale en plan.

Vurdering
Det er jobcentrets vurdering, at Mette kan vende tilbage til sit arbejde på fuld tid inden for få måneder.

Indsats
Mette visiteres til en delvis raskmelding med gradvis optrapning fra uge 12 og et forløb med arbejdspsykolog Anders Winther (6 samtaler).
"""

DOCX_AALBORG = """Journalnotat 14.05.2024
Borger: Amira Khalil, 080890-2304, tlf. 42 70 31 86
Sagsbehandler: Lotte Bach

Løntilskuddet i kantinen hos Nordjysk Forsyning udløber 30.06.2024. Køkkenleder Dorte Iversen oplyser, at der fortsat ikke er økonomi til en fast stilling.

Amira er skuffet. Hun fortæller, at hun har lært meget og nu kan klare de fleste opgaver i køkkenet alene. Hun har bestået hygiejnekurset og har fået et bevis.

Det er uvist, om hun kan finde et ordinært job i et andet storkøkken, men hun har nu relevant erfaring.

Aftale: Amira søger fire stillinger om ugen i kantiner og på plejecentre. Jeg kontakter Aalborg Madservice om en eventuel ansættelse med løntilskud. Opfølgning 04.06.2024.
"""

ODT_AALBORG = """UDDANNELSESVISITATION – UDDANNELSESHJÆLP

Jobcenter Aalborg, Ungeenheden
Dato: 25.09.2023
Navn: Camilla Thomsen
CPR-nummer: 150902-4388
Adresse: Jyllandsgade 74, 2. th., 9000 Aalborg
Mobil: +45 60 24 87 13

Uddannelsesbaggrund
Camilla har afsluttet 9. og 10. klasse med gode karakterer i dansk og billedkunst. Hun har gået to år på hf og har afbrudt uddannelsen i januar 2023.

Helbred
Camilla er i behandling for en moderat depression hos psykiater Jens Ole Mørk. Hun har svært ved at komme op om morgenen og har en tendens til at isolere sig, når hun er presset. Hun oplever, at medicinen hjælper.

Ressourcer
Camilla har haft et stabilt fritidsjob i en tøjbutik i tre år. Hun er kreativ og tegner meget. Hun har en god relation til sin mor, Charlotte Thomsen, som støtter hende.

Vurdering
Camilla vurderes at være åbenlyst uddannelsesparat på sigt, men ikke aktuelt. Det er svært at vurdere, hvornår hun kan gennemføre en uddannelse.

Indsats
Camilla visiteres som aktivitetsparat med mentorstøtte 2 timer ugentligt. Uddannelsespålæg udskydes til foråret 2024.
"""

ODT_ESBJERG = """Journalnotat 20.05.2025
Leila Mansour

Leila har været lektiehjælper i Kvarterhuset i Kvaglund to timer om ugen siden august. Leder Mona Rahimi fortæller, at børnene er glade for hende, og at hun er god til at forklare matematik.

Leila har stadig hovedpine flere dage om ugen og har måttet melde afbud en del gange. Traumebehandlingen er ikke startet endnu; hun står på venteliste.

Hun har bestået Prøve i Dansk 2.

Praktikken udvides til fire timer om ugen, og der indhentes en statusattest fra egen læge Karen Winther med henblik på at vurdere, om et ressourceforløb er relevant.
"""

PDF_ODENSE = """FORELÆGGELSE FOR REHABILITERINGSTEAMET

Jobcenter Odense
Dato: 16.10.2023
Borger: Dorthe Jensen, cpr. 220369-3241
Adresse: Tarup Centervej 19, 5210 Odense NV

Borgerens ressourcer og udfordringer
Borgeren har siden 2021 været i ressourceforløb. Hun har fibromyalgi og tilbagevendende depressioner og har et lavt funktionsniveau. Hun har kun kunnet deltage i omkring halvdelen af de planlagte aktiviteter. Hun kan ikke sidde, stå eller gå i længere tid, og hun har ofte brug for at ligge ned i løbet af dagen.

Borgeren har tidligere været en dygtig kontorassistent og er god til tal, men hun har ikke kunnet bruge disse kompetencer i arbejdsprøvningen på grund af smerter og træthed.

Afprøvede tilbud
Mestringsforløb (afbrudt), fysioterapi (afbrudt), arbejdsprøvning i borgerservice (udskudt tre gange, aldrig påbegyndt), mentor (gennemført).

Jobcentrets vurdering
Borgerens arbejdsevne er varigt og væsentligt nedsat og kan ikke forbedres. Der er ikke udsigt til, at borgeren kan arbejde, heller ikke i et fleksjob med få timer.

Indstilling
Jobcentret indstiller borgeren til førtidspension.
"""

PDF_ESBJERG = """Plejecenter Solbakken
Solbakkevej 2, 6705 Esbjerg Ø

Jobcenter Esbjerg
Att.: Susanne Holm

Esbjerg, 12. juni 2023

Status på fleksjob – Hanne Poulsen

Hanne har nu været ansat i fleksjob i vores reception i et år. Hun er et stort aktiv for huset: hun kender alle beboere og pårørende ved navn, og hun er altid rolig, også når det er travlt.

Hun har lært bookingsystemet og klarer nu selv vagtplanen for frivillige. Hun har stadig dage med mange smerter, hvor hun må gå tidligere hjem, men vi har indrettet arbejdet, så det går.

Vi vil gerne fortsætte ansættelsen og har ingen planer om ændringer.

Med venlig hilsen
Grethe Møller
Centerleder
"""

CSV_EXPORT = (
    ("ODE-N-2201", "2022-02-03", "ODE-22-0913",
     "Kasper Nielsen (090677-2094) mødt til første samtale. Han har ingen uddannelse og har ikke arbejdet i "
     "tre år. Han er ikke motiveret for at søge job og siger, at han hellere vil have ro. Afventer oplysninger "
     "fra kommunens misbrugscenter, før der iværksættes noget."),
    ("ODE-N-2202", "2022-06-14", "ODE-22-0913",
     "Kasper er udeblevet fra mentoraftalerne i hele maj. Han svarer ikke på sms'er. Mentorforløbet sættes "
     "i bero. Moren, Gitte Nielsen, har ringet og fortalt, at han ikke kommer ud af lejligheden."),
    ("ODE-N-2301", "2023-01-18", "ODE-21-0078",
     "Ali Hassan ringede via sin søn, Abdirahman, og spurgte til sagen. Han er fortsat på venteliste i "
     "psykiatrien. Der sker ikke noget i sagen, før udredningen foreligger."),
    ("ODE-N-2302", "2023-05-09", "ODE-23-0310",
     "Zeynep Yılmaz er mødt alene for første gang, og hun har selv taget bussen fra Munkerisvej. Hun er stolt "
     "af det. Hun har stadig mange angstsymptomer og kan ikke deltage i holdundervisning. Mentorforløbet "
     "fortsætter."),
    ("ODE-N-2303", "2023-09-27", "ODE-23-0310",
     "Psykiatrisk vurdering modtaget: generaliseret angst, prognosen er usikker. Det er uafklaret, om borgeren "
     "kan vende tilbage til arbejdsmarkedet. Praktik udskydes, til behandlingen har virket."),
    ("ODE-N-2401", "2024-04-23", "ODE-22-0913",
     "Kasper Nielsen har selv henvendt sig og bedt om hjælp til at komme i misbrugsbehandling. Han virker mere "
     "klar i hovedet end tidligere. Der er sendt henvisning til Misbrugscenter Odense i dag."),
    ("ODE-N-2402", "2024-12-02", "ODE-21-0078",
     "Ingen ny aktivitet. Ali Hassan afventer stadig udredning. Han er efter eget udsagn for syg til at "
     "arbejde, og det er tvivlsomt, om han nogensinde kommer i arbejde. Sagen genoptages ved ny lægeattest."),
)

GENERATED: dict[str, str] = {
    "aarhus/journalnotater/2022-11-30_AAR-22-1187_notat-cp1252.txt": CP1252_NOTE,
    "aarhus/visitationer/2023-02-01_AAR-23-0233_arbejdsfastholdelse.docx": DOCX_AARHUS,
    "aalborg/journalnotater/2024-05-14_AAL-22-0288_notat.docx": DOCX_AALBORG,
    "aalborg/visitationer/2023-09-25_AAL-23-0977_uddannelsesvisitation.odt": ODT_AALBORG,
    "esbjerg/journalnotater/2025-05-20_ESB-23-0840_notat.odt": ODT_ESBJERG,
    "odense/visitationer/2023-10-16_ODE-21-0456_rehab-forelaeggelse.pdf": PDF_ODENSE,
    "esbjerg/virksomhedskorrespondance/2023-06-12_ESB-21-0207_status-fleksjob.pdf": PDF_ESBJERG,
}
CSV_EXPORT_PATH = "odense/journalnotater/journal_eksport_2022-2024.csv"
CSV_EXPORT_COLUMNS = ("notat_id", "dato", "sagsnr", "tekst")

# --------------------------------------------------------------------------------------------------------
# Speaker roles of the transcripts (metadata.csv, "label=role;…"); labels as written in the files.
# --------------------------------------------------------------------------------------------------------

SPEAKER_ROLES: dict[str, str] = {
    "aarhus/moedetransskriptioner/2021-08-18_AAR-21-0412_opfoelgning.txt":
        "Sagsbehandler=caseworker;Borger=citizen;Karina=caseworker;Fatima=citizen",
    "aarhus/moedetransskriptioner/2022-09-01_AAR-22-1187_IPS-moede.txt":
        "Karina=caseworker;Peter=caseworker;Jonas=citizen",
    "aarhus/moedetransskriptioner/2023-05-04_AAR-23-0233_rundbordssamtale.txt":
        "Karina=caseworker;Mette=citizen;Anne Hansen=employer",
    "aarhus/moedetransskriptioner/2024-06-10_AAR-24-0871_samtale.vtt": "Karina=caseworker;Yusuf=citizen",
    "aarhus/moedetransskriptioner/2025-02-03_AAR-24-1530_statusmoede.txt":
        "SB=caseworker;B=citizen;E=other",
    "odense/moedetransskriptioner/2022-05-12_ODE-21-0456_rundbord.txt":
        "Sagsbehandler=caseworker;Borger=citizen;Mentor=other;Fysioterapeut=other",
    "odense/moedetransskriptioner/2024-01-09_ODE-21-0456_rehabiliteringsteam.txt":
        "Henrik Dahl=caseworker;Pia Rasmussen=caseworker;Dorthe=citizen;Sundhedskoordinator=other",
    "odense/moedetransskriptioner/2024-03-19_ODE-21-0078_samtale-med-tolk.txt":
        "SB=caseworker;B=citizen;T=other",
    "odense/moedetransskriptioner/2025-01-09_ODE-22-0913_samtale.srt": "Henrik=caseworker;Kasper=citizen",
    "odense/moedetransskriptioner/2025-03-04_ODE-23-0310_opfoelgning.txt":
        "Pia=caseworker;Zeynep=citizen;Murat=other",
    "aalborg/moedetransskriptioner/2022-03-30_AAL-21-0634_rundbord.txt":
        "lotte=caseworker;brian=citizen;michael=employer;fysioterapeut=other",
    "aalborg/moedetransskriptioner/2023-02-15_AAL-22-0288_samtale.txt": "Lotte=caseworker;Amira=citizen",
    "aalborg/moedetransskriptioner/2023-06-13_AAL-23-0977_foerste-samtale.txt":
        "SB=caseworker;B=citizen;M=other",
    "aalborg/moedetransskriptioner/2024-11-12_AAL-23-0977_mentorsamtale.txt":
        "Morten=caseworker;Camilla=citizen;Signe=other",
    "aalborg/moedetransskriptioner/2025-04-28_AAL-24-0415_jobsamtale.txt":
        "Jobkonsulent=caseworker;Jobkandidat=citizen",
    "esbjerg/moedetransskriptioner/2021-06-10_ESB-21-0207_samtale.txt":
        "Sagsbehandler Susanne Holm=caseworker;Hanne Poulsen=citizen",
    "esbjerg/moedetransskriptioner/2022-07-04_ESB-22-0519_opfoelgning-virksomhed.txt":
        "Thomas=caseworker;Jan=employer;Omar=citizen",
    "esbjerg/moedetransskriptioner/2024-03-05_ESB-23-0840_samtale-tolk.txt":
        "Susanne=caseworker;Leila=citizen;Tolk=other",
    "esbjerg/moedetransskriptioner/2024-06-21_ESB-24-0066_moede-fgu.txt":
        "Sagsbehandler=caseworker;Rasmus=citizen;Vejleder=other;Torben=other",
    "esbjerg/moedetransskriptioner/2025-03-11_ESB-24-0066_praktikopfoelgning.vtt":
        "Thomas Brandt=caseworker;Rasmus Kristensen=citizen;Birgit Lauridsen=employer",
}

# --------------------------------------------------------------------------------------------------------
# Every planted identifier (all invented). Persons: full names, and first names and surnames where they
# also stand alone. Values are matched as whole words (a possessive -s may follow).
# --------------------------------------------------------------------------------------------------------

IDENTIFIERS: dict[str, tuple[str, ...]] = {
    "CPR": (
        "140588-2279", "140588 2279", "190401-4127", "120385-1983", "030291-1983", "170794-2046",
        "250974-3117", "220369-3241", "090677-2094", "0906772094", "111286-2168", "310182-1557",
        "080890-2304", "150902-4388", "050680-2541", "230497-1473", "2304971473", "261265-2131",
        "041103-4512", "180881-1983",
    ),
    "DATE_OF_BIRTH": ("19.04.2001", "22.03.1969", "08.08.1990", "26.12.1965"),
    "PHONE": (
        "+45 28 91 44 10", "61 34 88 02", "22 47 19 63", "30 12 77 45", "87 13 45 20", "41 22 90 17",
        "26 18 93 55", "+4540123456", "52 18 03 66", "65 51 23 80", "65 51 23 91", "53 71 20 94",
        "29 64 10 58", "96 30 12 48", "+45 60 24 87 13", "42 70 31 86", "50 62 81 37", "+45 31 55 09 82",
        "27 93 40 16", "76 16 50 44",
    ),
    "EMAIL": (
        "jonas.mik01@hotmail.com", "yusuf.demir91@gmail.com", "sara.petersen94@mail.dk",
        "jesper.vinther@jobcenter-aarhus.example.dk", "brabrand.butikschef@netto-eksempel.dk",
        "mette.kirkegaard85@mail.dk", "zeynep.y86@hotmail.dk", "pia.rasmussen@jobcenter-odense.example.dk",
        "brian.soerensen82@gmail.com", "leila.mansour81@yahoo.dk", "thomas.brandt@jobcenter-esbjerg.example.dk",
    ),
    "ADDRESS": (
        "Søndergade 14, 2. tv., 8000 Aarhus C", "Grøndalsvej 3, 1. th., 8260 Viby J",
        "Ryesgade 31, 4. sal, 8000 Aarhus C", "Frederiks Allé 88", "Skovvejen 21, 3. th., 8000 Aarhus C",
        "Bøgeparken 7, st. th., 5220 Odense SØ", "Tarup Centervej 19, 5210 Odense NV",
        "Munkerisvej 40, 3. mf., 5230 Odense M", "Ejbygade 12, 2. th., 5000 Odense C",
        "Vestergade 102, 5000 Odense C", "Hasserisvej 112, 9000 Aalborg",
        "Vejgaard Bymidte 6, 1. th., 9200 Aalborg SV", "Vesterbro 55, 3. tv., 9000 Aalborg",
        "Havnevej 21, 9400 Nørresundby", "Jyllandsgade 74, 2. th., 9000 Aalborg",
        "Kongensgade 48, 1. sal, 6700 Esbjerg", "Gammelhavn 9, 6700 Esbjerg",
        "Strandbygade 27, st., 6700 Esbjerg", "Fyrvej 3, 2. th., 6710 Esbjerg V",
        "Industrivej 40, 6705 Esbjerg Ø", "Solbakkevej 2, 6705 Esbjerg Ø", "Munkerisvej",
    ),
    "ORGANIZATION": (
        "Netto i Brabrand", "Bager Hansen ApS", "Lagerhuset Skejby A/S", "Lagerhuset",
        "Autoværkstedet Viby Bil ApS", "Brugsen i Tarup", "Fynsk Rengøring ApS", "Café Aaen",
        "XL-Byg Nørresundby", "Nordjysk Forsyning", "Limfjordens Transport ApS", "Aalborg Cykelværksted ApS",
        "Tømrerfirmaet Bjerg & Søn", "Aalborg Madservice", "Vestjysk Stål & Svejs ApS",
        "Plejecenter Solbakken", "Solbakken", "Esbjerg Havneservice A/S", "Kvarterhuset i Kvaglund",
        "Kvarterhuset",
    ),
    "PERSON": (
        # Aarhus
        "Fatima Al-Sayed", "Fatima", "Al-Sayed", "Mahmoud Al-Sayed", "Mahmoud", "Karina Lund", "Karina",
        "Lars Mogensen", "Lars", "Jonas Mikkelsen", "Jonas", "Peter Skov", "Peter", "Erik Mikkelsen",
        "Henning Bro", "Henning", "Mette Kirkegaard", "Mette", "Ib Kirkegaard", "Birgitte Holst",
        "Anne Hansen", "Anders Winther", "Yusuf Demir", "Yusuf", "Elif Demir", "Ole Fisker", "Ole",
        "Sara Petersen", "Sara", "Nanna Friis", "Jesper Vinther", "Jesper",
        # Odense
        "Ali Hassan", "Ali", "Hodan Hassan", "Hodan", "Ayaan", "Abdirahman", "Jørgen Vestergaard",
        "Pia Rasmussen", "Pia", "Henrik Dahl", "Henrik", "Dorthe Jensen", "Dorthe", "Kasper Nielsen",
        "Kasper", "Gitte Nielsen", "Zeynep Yılmaz", "Zeynep", "Murat Yılmaz", "Murat", "Mikkel Brandt",
        "Kim Laursen", "Kim", "Bente Kjeldsen", "Louise", "Nadia Ahmadi", "Nadia", "Jakob",
        # Aalborg
        "Brian Sørensen", "Brian", "Lotte Bach", "Lotte", "Michael Fogh", "Michael", "Amira Khalil",
        "Amira", "Dorte Iversen", "Dorte", "Noor", "Sana", "Camilla Thomsen", "Camilla",
        "Charlotte Thomsen", "Jens Ole Mørk", "Morten Kjær", "Morten", "Signe", "Mads Overgaard", "Mads",
        "Jens Kragh", "Tobias Krogh", "Tobias", "Søren",
        # Esbjerg
        "Omar Abdi", "Omar", "Thomas Brandt", "Thomas", "Jan Ebbesen", "Jan", "Kenneth",
        "Hanne Poulsen", "Hanne", "Poul Poulsen", "Susanne Holm", "Susanne", "Grethe Møller",
        "Rasmus Kristensen", "Rasmus", "Torben Kristensen", "Torben", "Line Juhl", "Birgit Lauridsen",
        "Birgit", "Leila Mansour", "Leila", "Karim", "Mona Rahimi", "Karen Winther",
    ),
}
ENTITY_TYPES = ("CPR", "PERSON", "ADDRESS", "PHONE", "EMAIL", "ORGANIZATION", "DATE_OF_BIRTH")


# --------------------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------------------

def _blocks(text: str) -> list[list[str]]:
    """Paragraphs (blank-line separated), each a list of lines."""
    return [block.split("\n") for block in text.strip().split("\n\n")]


def _is_heading(lines: list[str]) -> bool:
    line = lines[0]
    return len(lines) == 1 and len(line) < 60 and not line.rstrip().endswith((".", ":", "?", "!"))


def write_docx(path: Path, text: str) -> None:
    import docx

    document = docx.Document()
    for lines in _blocks(text):
        if _is_heading(lines):
            document.add_heading(lines[0], level=1 if lines[0].isupper() else 2)
        else:
            paragraph = document.add_paragraph()
            for i, line in enumerate(lines):
                run = paragraph.add_run(line)
                if i < len(lines) - 1:
                    run.add_break()
    document.core_properties.author = "sprogtro sample corpus"
    document.save(path)


def write_odt(path: Path, text: str) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, LineBreak, P

    document = OpenDocumentText()
    for lines in _blocks(text):
        if _is_heading(lines):
            document.text.addElement(H(outlinelevel=1 if lines[0].isupper() else 2, text=lines[0]))
        else:
            paragraph = P()
            for i, line in enumerate(lines):
                paragraph.addText(line)
                if i < len(lines) - 1:
                    paragraph.addElement(LineBreak())
            document.text.addElement(paragraph)
    document.save(str(path))


def write_pdf(path: Path, text: str) -> None:
    import reportlab
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    fonts = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont("Vera", str(fonts / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("VeraBd", str(fonts / "VeraBd.ttf")))
    styles = getSampleStyleSheet()
    body = styles["BodyText"].clone("body", fontName="Vera", fontSize=10.5, leading=14)
    heading = styles["Heading2"].clone("heading", fontName="VeraBd")
    story = []
    for lines in _blocks(text):
        escaped = [line.replace("&", "&amp;").replace("<", "&lt;") for line in lines]
        style = heading if _is_heading(lines) else body
        story += [Paragraph("<br/>".join(escaped), style), Spacer(1, 4)]
    doc = SimpleDocTemplate(str(path), pagesize=A4, title="Fiktivt dokument", author="sprogtro sample corpus",
                            invariant=1)
    doc.build(story)


def write_cp1252(path: Path, text: str) -> None:
    path.write_bytes(text.replace("\n", "\r\n").encode("cp1252"))


def write_csv_export(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CSV_EXPORT_COLUMNS)
        writer.writerows(CSV_EXPORT)


def write_generated() -> None:
    for relative, text in GENERATED.items():
        path = ROOT / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        suffix = path.suffix
        if suffix == ".docx":
            write_docx(path, text)
        elif suffix == ".odt":
            write_odt(path, text)
        elif suffix == ".pdf":
            write_pdf(path, text)
        elif suffix == ".txt":
            write_cp1252(path, text)
        else:
            raise ValueError(f"no writer for {relative}")
    write_csv_export(ROOT / CSV_EXPORT_PATH)


# --------------------------------------------------------------------------------------------------------
# Derived tables
# --------------------------------------------------------------------------------------------------------

def source_files() -> list[PurePosixPath]:
    """Relative paths of every source document, sorted."""
    found = []
    for municipality in MUNICIPALITIES:
        for path in sorted((ROOT / municipality).rglob("*")):
            if path.is_file() and path.suffix in SOURCE_SUFFIXES:
                found.append(PurePosixPath(path.relative_to(ROOT).as_posix()))
    return found


def document_text(relative: PurePosixPath) -> str:
    """The text of a source document as written (generated ones from their source text)."""
    key = str(relative)
    if key in GENERATED:
        return GENERATED[key]
    if key == CSV_EXPORT_PATH:
        return "\n".join(" ".join(row) for row in CSV_EXPORT)
    raw = (ROOT / relative).read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def find_identifiers(text: str) -> list[tuple[str, str]]:
    """(entity_type, value) of every listed identifier occurring in ``text`` as a whole word."""
    hits = []
    for entity_type in ENTITY_TYPES:
        for value in IDENTIFIERS[entity_type]:
            pattern = rf"(?<![\w@.+-]){re.escape(value)}(?:s)?(?![\w@-])"
            if re.search(pattern, text):
                hits.append((entity_type, value))
    return hits


def write_metadata() -> int:
    rows = []
    for relative in source_files():
        municipality, folder = relative.parts[0], relative.parts[1]
        date = FILE_DATE.match(relative.name)
        case = CASE_ID.search(relative.name)
        rows.append({
            "path": str(relative),
            "municipality": municipality.capitalize(),
            "doc_type": DOC_TYPE_FOLDERS[folder],
            # the table export carries date and case id per row (columns dato, sagsnr)
            "date": date.group(1) if date else "",
            "case_id": case.group(1) if case else "",
            "speaker_roles": SPEAKER_ROLES.get(str(relative), ""),
        })
    with (ROOT / "metadata.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def write_planted() -> int:
    rows = []
    for relative in source_files():
        for entity_type, value in find_identifiers(document_text(relative)):
            rows.append((str(relative), entity_type, value))
    GOLD.mkdir(exist_ok=True)
    with (GOLD / "planted_identifiers.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("doc_id", "entity_type", "value"))
        writer.writerows(rows)
    return len(rows)


# Capitalised words that are ordinary vocabulary, places or institutions in this corpus, not identifiers.
KNOWN_WORDS = set("""
Aarhus Odense Aalborg Esbjerg Danmark Syrien Somalia Kenya Libanon Tyrkiet Izmir København Gellerup Viby
Brabrand Skejby Hasselager Vollsmose Vejgaard Nørresundby Kvaglund Tarup Jobcenter Jobcentret Jobcenterets
Team Integration Virksomhedsservice Sygedagpengeafdelingen Ungeenheden VUC AOF FGU EUC Vest Tech SOSU IPS
AMU MIG MAG SKAT Adobe Netto Føtex Bilka XL-Byg Misbrugscenter Sprogcenter Prøve Dansk WEBVTT NOTE
Arbejdsmedicinsk Klinik Ankestyrelsen Røde Kors Brugsen Aalborg Madservice Limfjordens
""".split())


def check_unlisted() -> list[tuple[str, str]]:
    """Capitalised words that are neither listed identifiers nor known vocabulary (to review by eye)."""
    listed = {part for values in IDENTIFIERS.values() for value in values for part in re.split(r"[\s,]+", value)}
    suspicious = []
    for relative in source_files():
        for line in document_text(relative).split("\n"):
            words = re.findall(r"(?<=[\s(\"'])([A-ZÆØÅ][a-zæøåéıü]+(?:-[A-ZÆØÅ][a-zæøå]+)?)", " " + line)
            for word in words[1:] if line[:1].isupper() else words:
                stem = word[:-1] if word.endswith("s") and word[:-1] in listed else word
                if stem not in listed and stem not in KNOWN_WORDS:
                    suspicious.append((str(relative), word))
    return suspicious


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="list capitalised words not in IDENTIFIERS")
    args = parser.parse_args(argv)
    write_generated()
    n_docs = write_metadata()
    n_ids = write_planted()
    print(f"{n_docs} documents in metadata.csv, {n_ids} planted identifiers", file=sys.stderr)
    if args.check:
        for relative, word in sorted(set(check_unlisted())):
            print(f"{relative}\t{word}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
