"""Generate realistic, deterministic handlingsplan files with N measures (for the benchmark).

    python bench/generate.py 200 -o /tmp/plan-200.yaml     # write one plan
    python bench/generate.py --self-test                   # generate 17/200/2000 and validate them

The plans follow docs/plan-format.md: 9 focus areas over 3 priorities, 8 units (sectors and
companies), 5 introductory chapters, and N measures. Each measure has a 2–4 sentence description
(about one in four also has a short bullet list, a second paragraph or **bold** text), 1–3 focus
areas, 2–4 responsible units with one activity each (dates, a cost on most of them), and on most
measures some miljökvalitetsmål and globala mål. The same (n, seed) always gives the same bytes.

No logo is referenced, so a plan file can be copied anywhere on its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any

__all__ = ["generate_plan", "plan_yaml", "write_plan"]

YEAR = 2026

PRIORITIES: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    (
        "Klimat",
        "Kommunen ska vara klimatneutral senast 2030, och kommunkoncernen går före i omställningen.",
        [
            ("Smart och förnybar energi", "Använd mindre energi och producera mer förnybar el och värme.", "#1B5E7A"),
            ("Res fossilfritt", "Gör det enkelt att gå, cykla, åka kollektivt och köra fossilfritt.", "#2F4B8F"),
            ("Bygg klimatsmart", "Bygg och förvalta med låg klimatpåverkan under hela livscykeln.", "#41516B"),
        ],
    ),
    (
        "Biologisk mångfald",
        "Naturen ska vara rik och motståndskraftig, i skogen, i vattnet och i tätorten.",
        [
            ("Stärk naturvården", "Skydda, sköt och knyt samman värdefulla naturområden.", "#2E6B30"),
            ("Värna vattnet", "Ge sjöar, vattendrag och grundvatten god status.", "#1A6B66"),
            ("Grönska i tätorten", "Utveckla parker, träd och gröna stråk där människor bor.", "#4D6318"),
        ],
    ),
    (
        "Cirkulär ekonomi",
        "Resurserna ska användas så länge som möjligt och avfallet minska.",
        [
            ("Minska avfallet", "Förebygg avfall och öka sortering, återbruk och återvinning.", "#8A4B0F"),
            ("Konsumera hållbart", "Köp mindre, köp rätt och ställ miljökrav i upphandlingar.", "#7A3B69"),
            ("Ät hållbart", "Servera klimatsmart mat och minska matsvinnet.", "#A0352A"),
        ],
    ),
]

UNITS: list[tuple[str, str]] = [
    ("Barn- och utbildningssektorn", "sektor"),
    ("Kultur- och fritidssektorn", "sektor"),
    ("Samhällsbyggnadssektorn", "sektor"),
    ("Sektorn för verksamhetsstöd", "sektor"),
    ("Äldreomsorgssektorn", "sektor"),
    ("Bergvik Energi AB", "bolag"),
    ("Bergvikshem AB", "bolag"),
    ("Återbruk Bergvik AB", "bolag"),
]

OBJECTIVES = [
    "Begränsad klimatpåverkan",
    "Frisk luft",
    "Giftfri miljö",
    "Ingen övergödning",
    "Levande sjöar och vattendrag",
    "Grundvatten av god kvalitet",
    "Myllrande våtmarker",
    "Levande skogar",
    "Ett rikt odlingslandskap",
    "God bebyggd miljö",
    "Ett rikt växt- och djurliv",
]
GOALS = [3, 6, 7, 9, 11, 12, 13, 14, 15]

# Measure titles: a verb phrase and an object, combined (with a place to vary them further).
VERBS = [
    "Ställ om",
    "Effektivisera",
    "Bygg ut",
    "Inventera",
    "Minska",
    "Utveckla",
    "Samordna",
    "Följ upp",
    "Planera för",
    "Rusta upp",
    "Digitalisera",
    "Ställ krav på",
]
OBJECTS = [
    "fordonsflottan",
    "belysningen i kommunens lokaler",
    "laddinfrastrukturen",
    "dagvattenhanteringen",
    "matsvinnet i skolköken",
    "återbruket av möbler",
    "solelen på kommunens tak",
    "gång- och cykelvägnätet",
    "skötseln av kommunens skogar",
    "upphandlingen av livsmedel",
    "energianvändningen i bostäderna",
    "kemikalierna i förskolan",
    "de gröna skolgårdarna",
    "avloppsreningen",
    "insamlingen av förpackningar",
    "klimatkraven i byggprojekt",
]
PLACES = [
    "i Norrby",
    "i Ekåsen",
    "vid resecentrum",
    "i centrala Bergvik",
    "i kransorterna",
    "på Västra Bergvik",
    "i hela kommunkoncernen",
    "vid Kvarnmossen",
]

# Description sentences: an opening (why), a middle (what), an end (this year). Placeholders are
# filled from small word lists so that descriptions differ.
OPENINGS = [
    "Kommunkoncernen står för en stor del av utsläppen från {obj}, och här kan vi göra skillnad snabbt.",
    "Många av de beslut som påverkar {obj} fattas i den dagliga verksamheten, av chefer och medarbetare.",
    "Uppföljningen för {prev} visade att arbetet med {obj} har gått långsammare än planerat.",
    "Invånarna har i flera enkäter efterfrågat bättre lösningar för {obj}.",
    "Det saknas i dag en samlad bild av {obj}, vilket gör det svårt att prioritera rätt.",
    "Kostnaderna för {obj} har ökat de senaste åren, samtidigt som miljönyttan är oklar.",
]
MIDDLES = [
    "Vi ska därför kartlägga nuläget, sätta mätbara mål och fördela ansvaret mellan sektorerna och bolagen.",
    "Arbetet sker i samverkan med regionen, grannkommunerna och det lokala näringslivet.",
    "Åtgärden bygger vidare på de erfarenheter som gjordes {where} under förra året.",
    "Målet är att minska klimatpåverkan med minst {pct} procent till 2030 jämfört med 2020.",
    "Medarbetarna får utbildning och stöd, så att det hållbara valet blir det enkla valet.",
    "Vi prioriterar insatser med kort återbetalningstid och stor nytta för miljön.",
    "Resultaten redovisas i miljöbokslutet, så att det går att se hur arbetet utvecklas över tid.",
]
ENDINGS = [
    "Under {year} genomförs de första insatserna {where}.",
    "Under {year} tas en plan fram, och de första aktiviteterna startar efter sommaren.",
    "Under {year} utvärderas arbetet, och erfarenheterna används i nästa års handlingsplan.",
    "Under {year} fortsätter arbetet med särskild tonvikt på verksamheter {where}.",
]
BULLETS = [
    "kartläggning av nuläget",
    "utbildning av medarbetare",
    "nya rutiner för uppföljning",
    "dialog med invånare och föreningar",
    "krav i upphandlingar",
    "pilotprojekt i två verksamheter",
    "en gemensam digital plattform",
    "samverkan med regionen",
]
SECOND_PARAGRAPHS = [
    "Under {year} prioriteras området {where}, där behoven är störst.",
    "Arbetet följs upp av koncernledningsgruppen två gånger per år.",
    "Kostnaderna ska rymmas inom de ansvarigas budgetar om inget annat beslutas.",
]
ACTIVITIES = [
    "Ta fram en handlingsplan för {obj} {where}.",
    "Genomför en inventering av {obj} och redovisa resultatet för ledningsgruppen.",
    "Upphandla och installera ny utrustning för {obj} {where}.",
    "Utbilda berörda medarbetare i de nya rutinerna för {obj}.",
    "Starta ett pilotprojekt för {obj} {where} och utvärdera det under hösten.",
    "Följ upp och rapportera arbetet med {obj} till nämnden.",
]

CHAPTERS: list[tuple[str, str]] = [
    (
        "Varför en handlingsplan?",
        "*Miljöstrategi för Bergvik 2022–2030* pekar ut riktningen för kommunkoncernens miljöarbete, men en "
        "strategi förändrar ingenting på egen hand. Kommunfullmäktige har därför gett kommundirektören i uppdrag "
        "att varje år ta fram en handlingsplan som visar vad som ska göras, av vem och när.\n\n"
        "Handlingsplanen för {year} samlar **{n} åtgärder** som tillsammans ska ta oss närmare strategins mål. "
        "Mer om de nationella miljömålen finns på [Naturvårdsverkets webbplats](https://www.naturvardsverket.se/).\n",
    ),
    (
        "Miljöarbetet är allas ansvar",
        "De flesta miljöfrågor går på tvärs över gränserna mellan sektorer och bolag. Miljöstrategin beskriver "
        "tre arbetssätt som ska prägla hela kommunkoncernen:\n\n"
        "- **Vi går före**: kommunen och bolagen visar att omställningen är möjlig.\n"
        "- **Vi samverkar**: med näringsliv, föreningar, grannkommuner och regionen.\n"
        "- **Vi bjuder in**: invånare och medarbetare ska kunna delta.\n\n"
        "Varje chef ansvarar för att miljöfrågorna finns med i den egna verksamhetens planering.\n",
    ),
    (
        "Handlingsplanens syfte",
        "Handlingsplanen gör strategins långsiktiga mål till konkreta uppdrag, ett år i taget.\n\n"
        "## Koppling till budget och verksamhetsplaner\n\n"
        "Aktiviteterna ska föras in i sektorernas verksamhetsplaner och i bolagens affärsplaner. Kostnaden ska "
        "rymmas i den ansvarigas budget om inget annat har beslutats.\n",
    ),
    (
        "Uppföljning",
        "Kommundirektören ansvarar för att arbetet följs upp och rapporteras till kommunstyrelsen:\n\n"
        "1. Vid **delårsbokslutet** rapporterar varje ansvarig hur långt arbetet har kommit.\n"
        "2. Vid **årsbokslutet** görs en samlad bedömning av varje åtgärd.\n"
        "3. Resultatet sammanställs i kommunens *miljöbokslut*.\n",
    ),
    (
        "Så har handlingsplanen tagits fram",
        "Arbetet har letts av miljöstrategen tillsammans med en arbetsgrupp med företrädare för alla sektorer "
        "och bolag. Förslagen bygger på uppföljningen av förra årets plan och miljöbokslutet[^1].\n\n"
        "[^1]: Miljöbokslut {prev} för Bergviks kommun, fastställt av kommunfullmäktige.\n",
    ),
]


class _Block(str):
    """A string dumped in YAML's literal block style (``|``), as a person writes long text."""


def _represent_block(dumper: Any, value: str) -> Any:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")


def _date(rng: random.Random, earliest_month: int, latest_month: int) -> dt.date:
    return dt.date(YEAR, rng.randint(earliest_month, latest_month), rng.randint(1, 28))


def _description(rng: random.Random, i: int, obj: str) -> str:
    where = rng.choice(PLACES)
    fill = {"obj": obj, "where": where, "year": YEAR, "prev": YEAR - 1, "pct": rng.choice([20, 30, 40, 50])}
    sentences = [rng.choice(OPENINGS)]
    sentences += rng.sample(MIDDLES, rng.randint(0, 2))
    sentences.append(rng.choice(ENDINGS))
    text = " ".join(s.format(**fill) for s in sentences)
    extra = i % 4  # one measure in four gets more than plain sentences, each kind in turn
    if extra == 1:
        kind = (i // 4) % 3
        if kind == 0:
            items = rng.sample(BULLETS, rng.randint(2, 4))
            text += "\n\nArbetet omfattar bland annat:\n\n" + "\n".join(f"- {item}," for item in items[:-1])
            text += f"\n- {items[-1]}."
        elif kind == 1:
            text += "\n\n" + rng.choice(SECOND_PARAGRAPHS).format(**fill)
        else:
            words = text.split(" ")
            k = rng.randint(1, max(1, len(words) - 4))
            words[k] = f"**{words[k]}"
            words[k + 2] = f"{words[k + 2].rstrip('.,')}**" + ("," if words[k + 2].endswith(",") else "")
            text = " ".join(words)
    return text + "\n"


def generate_plan(n: int, *, seed: int = 2026) -> dict[str, Any]:
    """A valid plan (the file format's data) with ``n`` measures; deterministic for (n, seed)."""
    if n < 1:
        raise ValueError("a plan needs at least one measure")
    rng = random.Random(f"hallbardocs-bench-{seed}-{n}")
    areas = [name for _, _, fas in PRIORITIES for name, _, _ in fas]
    unit_names = [name for name, _ in UNITS]
    measures = []
    for i in range(n):
        obj = OBJECTS[(i * 7 + i // len(OBJECTS)) % len(OBJECTS)]
        title = f"{VERBS[i % len(VERBS)]} {obj}"
        if i >= len(VERBS) * len(OBJECTS) // 4:
            title += f" {PLACES[(i // 3) % len(PLACES)]}"
        focus = [areas[i % len(areas)]]  # every focus area is used (no HD210 warning)
        focus += rng.sample([a for a in areas if a != focus[0]], rng.choice([0, 0, 1, 1, 2]))
        responsible = rng.sample(unit_names, rng.randint(2, 4))
        activities = []
        texts = rng.sample(ACTIVITIES, len(responsible))
        for unit, text in zip(responsible, texts, strict=True):
            start = _date(rng, 1, 9)
            end = start + dt.timedelta(days=rng.randint(30, 200))
            end = min(end, dt.date(YEAR, 12, 31))
            activity: dict[str, Any] = {
                "enhet": unit,
                "aktivitet": text.format(obj=obj, where=rng.choice(PLACES)),
                "start": start,
                "slut": end,
            }
            if rng.random() < 0.7:
                activity["kostnad"] = rng.choice([15, 25, 40, 60, 120, 180, 250, 450, 650, 1200, 2400]) * 1000
            activities.append(activity)
        measure: dict[str, Any] = {
            "id": str(i + 1),
            "rubrik": title,
            "fokusområden": focus,
            "beskrivning": _Block(_description(rng, i, obj)),
            "ansvariga": responsible,
        }
        if rng.random() < 0.8:
            measure["miljökvalitetsmål"] = rng.sample(OBJECTIVES, rng.randint(1, 3))
        if rng.random() < 0.75:
            measure["globala_mål"] = sorted(rng.sample(GOALS, rng.randint(1, 3)))
        measure["aktiviteter"] = activities
        measures.append(measure)

    fill = {"year": YEAR, "prev": YEAR - 1, "n": n}
    return {
        "kommun": {"namn": "Bergviks kommun"},
        "år": YEAR,
        "metadata": {
            "dokumentnamn": f"Handlingsplan till miljöstrategin för {YEAR}",
            "dokumenttyp": "Handlingsplan",
            "omfattar": "Kommunkoncernen",
            "dokumentägare": "Kommundirektör",
            "dokumentansvarig": "Miljöstrateg, Samhällsbyggnadssektorn",
            "publicering": "Kommunens webbplats och intranät",
            "författningsstöd": "Miljöbalken (1998:808) och kommunallagen (2017:725)",
            "beslutad": dt.date(YEAR, 2, 17),
            "bör_revideras_senast": dt.date(YEAR + 1, 1, 31),
            "beslutsinstans": "Kommunstyrelsen",
            "diarienummer": f"KS {YEAR}/0087",
            "revideringar": [
                {
                    "datum": dt.date(YEAR - 1, 2, 18),
                    "paragraf": "§ 21",
                    "ändring": f"Handlingsplanen för {YEAR - 1} fastställd.",
                },
                {
                    "datum": dt.date(YEAR, 2, 17),
                    "paragraf": "§ 19",
                    "ändring": f"Handlingsplanen för {YEAR} fastställd.",
                },
            ],
        },
        "strategi": {
            "namn": "Miljöstrategi för Bergvik 2022–2030",
            "prioriteringar": [
                {
                    "namn": name,
                    "beskrivning": description,
                    "fokusområden": [{"namn": a, "beskrivning": d, "färg": c} for a, d, c in fas],
                }
                for name, description, fas in PRIORITIES
            ],
        },
        "organisation": [{"namn": name, "typ": kind} for name, kind in UNITS],
        "kapitel": [{"rubrik": title, "text": _Block(text.format(**fill))} for title, text in CHAPTERS],
        "åtgärder": measures,
    }


def plan_yaml(plan: dict[str, Any]) -> str:
    """The plan as YAML text, keys in the documented order, long texts as ``|`` blocks."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(_Block, _represent_block)
    header = "# Genererad av bench/generate.py: en påhittad plan för prestandamätning.\n"
    body = yaml.dump(plan, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=120, default_flow_style=False)
    return header + body


def write_plan(n: int, path: str | Path, *, seed: int = 2026) -> Path:
    """Generate a plan with ``n`` measures and write it as YAML to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(plan_yaml(generate_plan(n, seed=seed)), encoding="utf-8")
    return path


def self_test(sizes: tuple[int, ...] = (17, 200, 2000)) -> None:
    """Generate each size twice (same bytes), and check every plan with hallbardocs: no problems."""
    import tempfile

    repo = Path(__file__).resolve().parents[1]
    if str(repo) not in sys.path:
        sys.path.insert(0, str(repo))
    from hallbardocs import check_plan

    with tempfile.TemporaryDirectory(prefix="hallbardocs-gen-") as tmp:
        for n in sizes:
            a = write_plan(n, Path(tmp) / f"a-{n}.yaml")
            b = write_plan(n, Path(tmp) / f"b-{n}.yaml")
            assert a.read_bytes() == b.read_bytes(), f"plan {n} is not deterministic"
            result = check_plan(a)
            assert result.ok, "\n".join(str(p) for p in result.problems)
            assert not result.problems, "\n".join(str(p) for p in result.problems)
            plan = result.plan
            assert plan is not None and len(plan.measures) == n
            print(f"{n:>5} measures: valid, no warnings, {a.stat().st_size / 1024:.0f} KiB", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, help="number of measures")
    parser.add_argument("-o", "--output", help="the YAML file to write (default: standard output)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--self-test", action="store_true", help="generate 17, 200, 2000 and validate them")
    args = parser.parse_args(argv)
    if args.self_test:
        self_test()
        return 0
    if args.n is None:
        parser.error("give the number of measures, or --self-test")
    if args.output:
        write_plan(args.n, args.output, seed=args.seed)
    else:
        sys.stdout.write(plan_yaml(generate_plan(args.n, seed=args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
