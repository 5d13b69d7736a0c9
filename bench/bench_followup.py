"""Benchmark: the follow-up (issue 3): the miljöbokslut and the collection loop with sector workbooks.

    python bench/bench_followup.py                  # the full run (about 2 min on 2 cores)
    python bench/bench_followup.py --quick          # smoke run: fewer runs (about 40 s)
    python bench/bench_followup.py --commit HEAD    # measure a snapshot of a commit, not the working tree
    python bench/bench_followup.py --profile        # only: cProfile of one miljöbokslut run

What is measured (bench/README.md, "The follow-up benchmark", explains each number):

1. the miljöbokslut: a plan of 200 measures made by bench/generate.py, with a generated follow-up
   (reports for about 95 % of the activities, ``statusskala: standard``) and 30 indicators. The
   whole pipeline in this process (``load_plan``, ``load_followup``, ``write_miljobokslut`` with
   its charts), interleaved with the tjänsteskrivelse of the same data, after one untimed warm-up:
   medians; the same split into stages (load, validate, analyse + context with the charts, render,
   save); the charts' share (the time spent in ``hallbardocs.charts``); and the peak memory
   (VmHWM) of a fresh process doing one run;
2. the collection loop: a plan with 50 units and 250 measures (about 15 activities per unit).
   ``export_followup_workbooks`` for every unit plus writing the 50 files, and
   ``import_followup_workbooks`` of the 50 files filled in with openpyxl (the filling is not
   timed), interleaved: medians, and the peak memory of each in a fresh process.

The data is generated with fixed seeds into a temporary directory; the follow-up is checked once
(no errors) before anything is timed. The table is printed and the same data written to
bench/results/followup.json (git-ignored). Timing is reported, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# The .docx pipeline is timed as docxtpl makes it; asking LibreOffice for the table of contents'
# page numbers is timed by bench_pdf.py. Child processes inherit this.
os.environ.setdefault("HALLBARDOCS_PAGE_NUMBERS", "off")

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
# The hallbardocs to measure: this checkout, or a snapshot of a commit made by --commit (the same
# environment variables as bench_handlingsplan.py, which reads them too).
PRODUCT = Path(os.environ.get("HALLBARDOCS_BENCH_PRODUCT") or REPO)
SNAPSHOT_OF = os.environ.get("HALLBARDOCS_BENCH_COMMIT", "")
for _p in (str(BENCH), str(PRODUCT)):
    if _p in sys.path:
        sys.path.remove(_p)
    sys.path.insert(0, _p)

from bench_handlingsplan import _git_state, _loadavg, _run_on_snapshot, _versions, _vm  # noqa: E402
from generate import YEAR, generate_plan, plan_yaml  # noqa: E402

RESULTS = BENCH / "results" / "followup.json"
MIB = 1024 * 1024

MEASURES = 200
INDICATORS = 30
UNITS = 50
ACTIVITIES_PER_UNIT = 15  # the generator gives 2-4 activities per measure: 5 measures per unit

# ------------------------------------------------------------------------------- the follow-up

# A realistic mix on the standard scale at the year's end (weights), and a short comment for each.
STATUS_MIX: list[tuple[str, float]] = [
    ("Genomförd", 0.46),
    ("Pågår", 0.32),
    ("Ej påbörjad", 0.10),
    ("Avbruten", 0.05),
    ("Ej relevant", 0.07),
]
REPORTED_SHARE = 0.95
COMMENTS: dict[str, list[str]] = {
    "Genomförd": [
        "Klart enligt plan.",
        "Genomfört under hösten, och resultatet har redovisats för ledningsgruppen.",
        "Arbetet blev klart i {month} och följs upp i nästa års plan.",
        "Genomfört med hjälp av externa medel.",
    ],
    "Pågår": [
        "Arbetet pågår och beräknas vara klart under {next}.",
        "Upphandlingen är klar, och arbetet startade i {month}.",
        "Ungefär hälften är gjort. Resten görs under våren {next}.",
        "Försenat av leveransproblem, men arbetet pågår.",
    ],
    "Ej påbörjad": [
        "Har inte startat på grund av brist på personal.",
        "Skjuts upp till {next} i väntan på beslut om finansiering.",
        "Väntar på att en annan aktivitet ska bli klar först.",
    ],
    "Avbruten": [
        "Avbruten sedan förutsättningarna har ändrats.",
        "Avbruten: kostnaden blev för hög jämfört med nyttan.",
    ],
    "Ej relevant": [
        "Inte längre relevant efter omorganisationen.",
        "Görs redan inom ett annat uppdrag.",
    ],
}
MONTHS = ["mars", "april", "maj", "juni", "september", "oktober", "november"]
MEASURE_COMMENTS = [
    "Åtgärden har i stort sett gått enligt plan.",
    "En del av arbetet förs över till handlingsplanen för {next}.",
    "Åtgärden har försenats och får en ny tidsplan.",
    "Resultatet följs upp med nya mätningar under {next}.",
]

# Indicators: (name, unit, better, a typical level, yearly change). Two scopes each make 30.
INDICATOR_BASES: list[tuple[str, str, str, float, float]] = [
    ("Utsläpp av växthusgaser", "ton CO2-ekv", "lägre", 72000, -0.035),
    ("Andel förnybar energi", "procent", "högre", 58, 0.04),
    ("Energianvändning i lokaler", "kWh/m²", "lägre", 165, -0.02),
    ("Andel miljöbilar i fordonsflottan", "procent", "högre", 22, 0.12),
    ("Resor med kollektivtrafik", "resor per invånare", "högre", 61, 0.015),
    ("Insamlat hushållsavfall", "kg per invånare", "lägre", 455, -0.01),
    ("Andel matavfall till biogas", "procent", "högre", 38, 0.05),
    ("Matsvinn i skolor och förskolor", "gram per portion", "lägre", 48, -0.04),
    ("Andel ekologiska livsmedel", "procent", "högre", 28, 0.03),
    ("Skyddad natur", "hektar", "högre", 2100, 0.02),
    ("Sjöar med god ekologisk status", "procent", "högre", 44, 0.01),
    ("Solel på kommunens tak", "MWh", "högre", 120, 0.25),
    ("Laddpunkter för elbilar", "antal", "högre", 35, 0.3),
    ("Cykelvägar", "km", "högre", 84, 0.02),
    ("Vattenförbrukning", "liter per invånare och dygn", "lägre", 165, -0.008),
]
SCOPES = ["kommunkoncernen", "hela kommunen"]
FIRST_YEAR = 2015


def _indicators(count: int, rng: random.Random) -> list[dict[str, Any]]:
    """``count`` indicators with values 2015–2026 (a few gaps), 1–2 comparisons, half with a target."""
    out: list[dict[str, Any]] = []
    for i in range(count):
        name, unit, better, level, change = INDICATOR_BASES[i % len(INDICATOR_BASES)]
        scope = SCOPES[(i // len(INDICATOR_BASES)) % len(SCOPES)]
        if i >= len(INDICATOR_BASES) * len(SCOPES):
            scope += f" {i // (len(INDICATOR_BASES) * len(SCOPES)) + 1}"
        percent = unit == "procent"
        if scope != SCOPES[0] and not percent:
            level *= 3.2  # the whole municipality: more than the municipal group's own operations
        decimals = 0 if level >= 100 else 1

        def series(
            start: float,
            step: float,
            first: int,
            last: int,
            gap: float,
            decimals: int = decimals,
            percent: bool = percent,
        ) -> dict[int, float | None]:
            values: dict[int, float | None] = {}
            value = start
            for year in range(first, last + 1):
                value *= 1 + step + rng.uniform(-0.02, 0.02)
                value = min(value, 99.0) if percent else value
                interior = first < year < last  # a gap now and then, never the first or the latest year
                values[year] = None if interior and rng.random() < gap else round(value, decimals)
            return values

        indicator: dict[str, Any] = {
            "id": f"BV-{i + 1:03d}",
            "namn": f"{name}, {scope}",
            "enhet": unit,
            "bättre": better,
        }
        if i % 2 == 0:
            horizon = min(level * (1 + change * 8), 100.0) if percent else level * (1 + change * 8)
            indicator["mål"] = {"värde": round(horizon, decimals), "år": 2030}
        indicator["värden"] = series(level, change, FIRST_YEAR, YEAR, 0.08)
        names = ["Liknande kommuner", "Riket"][: 1 + i % 2]
        indicator["jämförelse"] = {
            n: series(level * rng.uniform(0.85, 1.2), change * rng.uniform(0.6, 1.1), FIRST_YEAR, YEAR - 1, 0.05)
            for n in names
        }
        indicator["källa"] = "Kolada" if i % 3 else "Bergviks kommuns miljöstatistik"
        if i % 5 == 0:
            indicator["kommentar"] = "Värdet för det senaste året är preliminärt."
        out.append(indicator)
    return out


def generate_followup(plan: dict[str, Any], *, indicators: int = INDICATORS, seed: int = 2026) -> dict[str, Any]:
    """A valid follow-up (the file format's data) of a generated plan; deterministic for (plan, seed)."""
    rng = random.Random(f"hallbardocs-bench-followup-{seed}-{len(plan['åtgärder'])}")
    names = [name for name, _ in STATUS_MIX]
    weights = [w for _, w in STATUS_MIX]
    fill = {"next": YEAR + 1}
    reports: list[dict[str, Any]] = []
    comments: dict[str, str] = {}
    for measure in plan["åtgärder"]:
        # A measure's activities tend to go the same way: each follows the measure's own course
        # two times in three, and otherwise draws from the mix.
        course = rng.choices(names, weights)[0]
        for n, activity in enumerate(measure["aktiviteter"], start=1):
            if rng.random() >= REPORTED_SHARE:
                continue
            status = course if rng.random() < 2 / 3 else rng.choices(names, weights)[0]
            report: dict[str, Any] = {"aktivitet": f"{measure['id']}.{n}", "enhet": activity["enhet"], "status": status}
            if rng.random() < 0.9:
                report["kommentar"] = rng.choice(COMMENTS[status]).format(month=rng.choice(MONTHS), **fill)
            if status == "Genomförd" and rng.random() < 0.1:
                report["värden"] = {"antal": rng.randint(2, 40)}
            reports.append(report)
        if rng.random() < 0.1:
            comments[measure["id"]] = rng.choice(MEASURE_COMMENTS).format(**fill)
    return {
        "plan": plan["metadata"]["dokumentnamn"],
        "period": {"typ": "helår", "år": YEAR, "per": dt.date(YEAR, 12, 31)},
        "statusskala": "standard",
        "rapporter": reports,
        "åtgärdskommentarer": comments,
        "indikatorer": _indicators(indicators, rng),
        "tjänsteskrivelse": {
            "förvaltning": "Samhällsbyggnadssektorn",
            "enhet": "Miljöenheten",
            "handläggare": "Sara Lindqvist",
            "titel": "Miljöstrateg",
            "datum": dt.date(YEAR + 1, 2, 9),
            "diarienummer": f"MN {YEAR + 1}/0031",
            "mottagare": "Miljönämnden",
            "ärende": f"Miljöbokslut för {YEAR}",
            "förslag_till_beslut": [
                f"godkänna miljöbokslutet för {YEAR}",
                "överlämna miljöbokslutet till kommunstyrelsen",
            ],
            "sammanfattning": f"Miljöbokslutet visar hur handlingsplanen för {YEAR} har följts upp.\n",
            "bakgrund": "Handlingsplanen följs upp vid delårsbokslutet och vid årsbokslutet.\n",
            "bedömning": "Arbetet har i huvudsak gått enligt plan. Några åtgärder behöver en ny tidsplan.\n",
            "beslutsunderlag": [f"Tjänsteskrivelse {YEAR + 1}-02-09", f"Miljöbokslut {YEAR}"],
            "expediering": ["Kommunstyrelsen", "Samhällsbyggnadssektorn"],
        },
    }


def _yaml(data: dict[str, Any], header: str) -> str:
    import yaml

    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120, default_flow_style=False)
    return header + body


def write_miljobokslut_data(
    directory: Path, *, measures: int = MEASURES, indicators: int = INDICATORS, seed: int = 2026
) -> tuple[Path, Path]:
    """Write ``plan-N.yaml`` (bench/generate.py) and ``uppfoljning-N.yaml`` into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    plan = generate_plan(measures, seed=seed)
    plan_path = directory / f"plan-{measures}.yaml"
    plan_path.write_text(plan_yaml(plan), encoding="utf-8")
    followup_path = directory / f"uppfoljning-{measures}.yaml"
    header = "# Genererad av bench/bench_followup.py: en påhittad uppföljning för prestandamätning.\n"
    followup_path.write_text(_yaml(generate_followup(plan, indicators=indicators, seed=seed), header), "utf-8")
    return plan_path, followup_path


# ---------------------------------------------------------------------------- 50 units

UNIT_KINDS = [
    ("Förskoleområde", "sektor"),
    ("Skolområde", "sektor"),
    ("Hemtjänstområde", "sektor"),
    ("Fritidsområde", "sektor"),
    ("Driftområde", "sektor"),
    ("Bergvik Energi", "bolag"),
    ("Bergvikshem", "bolag"),
    ("Bergvik Vatten", "bolag"),
    ("Bergvik Hamn", "bolag"),
    ("Bergvik Parkering", "bolag"),
]
UNIT_PLACES = ["Norr", "Söder", "Öster", "Väster", "Centrum"]


def unit_names(count: int) -> list[tuple[str, str]]:
    """``count`` distinct (name, kind) pairs: "Skolområde Norr" (sektor), "Bergvikshem Söder AB" (bolag)."""
    names: list[tuple[str, str]] = []
    for n in range(count):
        base, kind = UNIT_KINDS[n % len(UNIT_KINDS)]
        place = UNIT_PLACES[(n // len(UNIT_KINDS)) % len(UNIT_PLACES)]
        round_ = n // (len(UNIT_KINDS) * len(UNIT_PLACES))
        name = f"{base} {place}" + (f" {round_ + 1}" if round_ else "")
        names.append((name + " AB" if kind == "bolag" else name, kind))
    return names


def generate_units_plan(units: int = UNITS, *, seed: int = 2026) -> dict[str, Any]:
    """A plan by bench/generate.py with ``units`` units instead of 8, about 15 activities each.

    The generator's plan has 5 × ``units`` measures of 2–4 activities; the activities are dealt out
    to the units in turn (so each has about 15, and a measure never has one unit twice), and each
    measure's ``ansvariga`` are its activities' units.
    """
    plan = generate_plan(units * ACTIVITIES_PER_UNIT // 3, seed=seed)
    names = unit_names(units)
    plan["organisation"] = [{"namn": name, "typ": kind} for name, kind in names]
    turn = 0
    for measure in plan["åtgärder"]:
        responsible = []
        for activity in measure["aktiviteter"]:
            activity["enhet"] = names[turn % units][0]
            responsible.append(activity["enhet"])
            turn += 1
        measure["ansvariga"] = responsible
    return plan


def write_units_plan(directory: Path, *, units: int = UNITS, seed: int = 2026) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"plan-{units}-enheter.yaml"
    path.write_text(plan_yaml(generate_units_plan(units, seed=seed)), encoding="utf-8")
    return path


def fill_workbooks(files: list[Path], *, seed: int = 2026) -> int:
    """Fill in Status and Kommentar on each workbook's activities sheet, as a person would (openpyxl).

    About 95 % of the rows get a status (the standard scale's mix) and most a comment; the rest stay
    empty ("not reported yet"). Returns the number of rows filled in. Not timed.
    """
    import openpyxl

    rng = random.Random(f"hallbardocs-bench-fill-{seed}")
    names = [name for name, _ in STATUS_MIX]
    weights = [w for _, w in STATUS_MIX]
    filled = 0
    for path in files:
        wb = openpyxl.load_workbook(path)
        ws = wb["Aktiviteter"]
        for row in range(2, ws.max_row + 1):
            if not ws.cell(row, 1).value or rng.random() >= REPORTED_SHARE:
                continue
            status = rng.choices(names, weights)[0]
            ws.cell(row, 5).value = status
            if rng.random() < 0.9:
                ws.cell(row, 6).value = rng.choice(COMMENTS[status]).format(month=rng.choice(MONTHS), next=YEAR + 1)
            filled += 1
        wb.save(path)
        wb.close()
    return filled


# ------------------------------------------------------------------------------ what is timed


def run_miljobokslut(plan: Path, followup: Path, out: Path) -> None:
    """The whole pipeline: load + validate the plan and the follow-up, analyse, render with charts, write."""
    from hallbardocs import load_followup, load_plan, write_miljobokslut

    model = load_plan(plan)
    write_miljobokslut(model, load_followup(followup, model), out)


def run_tjansteskrivelse(plan: Path, followup: Path, out: Path) -> None:
    """The same for the committee report."""
    from hallbardocs import load_followup, load_plan, write_tjansteskrivelse

    model = load_plan(plan)
    write_tjansteskrivelse(model, load_followup(followup, model), out)


DOCUMENTS: dict[str, Callable[[Path, Path, Path], None]] = {
    "miljöbokslut": run_miljobokslut,
    "tjänsteskrivelse": run_tjansteskrivelse,
}


@contextmanager
def chart_timer() -> Iterator[dict[str, float]]:
    """Time every call of ``hallbardocs.charts.status_chart`` and ``indicator_chart`` while active.

    The document modules import these functions at call time, so wrapping the module's attributes
    catches every chart. Yields ``{"seconds": ..., "charts": ...}``, filled in as charts are drawn.
    """
    import hallbardocs.charts as charts

    spent = {"seconds": 0.0, "charts": 0.0}
    originals = {name: getattr(charts, name) for name in ("status_chart", "indicator_chart")}

    def timed(fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent["seconds"] += time.perf_counter() - t0
                spent["charts"] += 1

        return wrapper

    for name, fn in originals.items():
        setattr(charts, name, timed(fn))
    try:
        yield spent
    finally:
        for name, fn in originals.items():
            setattr(charts, name, fn)


def stages_miljobokslut(plan: Path, followup: Path, out: Path) -> dict[str, float]:
    """:func:`run_miljobokslut` stage by stage (seconds), with the charts' time inside ``context``."""
    from hallbardocs import read_plan, validate_plan
    from hallbardocs.analysis import analyse
    from hallbardocs.documents import miljobokslut
    from hallbardocs.load import load_raw
    from hallbardocs.load.indicators import expand_indicators
    from hallbardocs.render import render
    from hallbardocs.validate_followup import validate_followup
    from hallbardocs.write import write_atomically

    with chart_timer() as charts:
        t0 = time.perf_counter()
        raw_plan = read_plan(plan)
        raw = load_raw(followup)  # as check_followup: read, then expand indicator files (none here)
        if isinstance(raw.data, dict) and raw.base_dir is not None:
            raw.data, problems = expand_indicators(raw.data, raw.base_dir, raw.name)
            raw.problems.extend(problems)
        t1 = time.perf_counter()
        model = validate_plan(raw_plan).raise_for_errors()
        follow = validate_followup(raw, model).raise_for_errors()
        t2 = time.perf_counter()
        analysis = analyse(model, follow)
        try:  # the charts stage; an older snapshot draws them in the context builder
            from hallbardocs.charts import draw
        except ImportError:
            context = miljobokslut.build_context(analysis)
        else:
            context = miljobokslut.build_context(analysis, draw(analysis))
        properties = miljobokslut.document_properties(analysis)
        t3 = time.perf_counter()
        rendered = render(context, properties, kind=miljobokslut.KIND)
        t4 = time.perf_counter()
        write_atomically(out, rendered.to_bytes())
        t5 = time.perf_counter()
    return {
        "load": t1 - t0,
        "validate": t2 - t1,
        "context": t3 - t2,
        "render": t4 - t3,
        "save": t5 - t4,
        "total": t5 - t0,
        "charts": charts["seconds"],
        "chart_count": charts["charts"],
    }


def run_export(plan: Path, out_dir: Path) -> list[Path]:
    """Every unit's workbook (``export_followup_workbooks``) written to ``out_dir``. The plan is loaded
    by the caller's process but outside the timed part; see :func:`time_collection`."""
    from hallbardocs import export_followup_workbooks
    from hallbardocs.write import write_atomically

    model, period, scale = _collection_inputs(plan)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [write_atomically(out_dir / w.filename, w.content) for w in export_followup_workbooks(model, period, scale)]


_LOADED: dict[Path, Any] = {}


def _collection_inputs(plan: Path) -> tuple[Any, Any, Any]:
    """The loaded plan (once per process), the period (helår, per 31 December) and the standard scale."""
    from hallbardocs import load_plan
    from hallbardocs.model.followup import SCALES, Period

    if plan not in _LOADED:
        _LOADED[plan] = load_plan(plan)
    model = _LOADED[plan]
    period = Period.model_validate({"typ": "helår", "år": model.year, "per": dt.date(model.year, 12, 31)})
    return model, period, SCALES["standard"]


def run_import(plan: Path, files: list[Path]) -> Any:
    """Read the filled-in workbooks back (``import_followup_workbooks``); returns the ImportResult."""
    from hallbardocs import import_followup_workbooks

    model, _, _ = _collection_inputs(plan)
    return import_followup_workbooks(files, model)


# --------------------------------------------------------------------------- child processes


def child_document(kind: str, plan: Path, followup: Path, out: Path) -> dict[str, Any]:
    """In a fresh process: one run of a document's whole pipeline; its peak RSS (VmHWM)."""
    import hallbardocs
    import hallbardocs.render  # noqa: F401

    after_import = _vm("VmRSS")
    t0 = time.perf_counter()
    DOCUMENTS[kind](plan, followup, out)
    return {"peak_mib": _vm("VmHWM"), "rss_after_import_mib": after_import, "seconds": time.perf_counter() - t0}


def child_collect(kind: str, plan: Path, where: Path) -> dict[str, Any]:
    """In a fresh process: load the plan, then export every workbook (into ``where``) or import the
    filled-in workbooks (from ``where``); the peak RSS of the whole process and after the plan alone."""
    import hallbardocs  # noqa: F401

    after_import = _vm("VmRSS")
    _collection_inputs(plan)
    after_plan = _vm("VmHWM")
    t0 = time.perf_counter()
    if kind == "export":
        run_export(plan, where)
    else:
        result = run_import(plan, sorted(where.glob("*.xlsx")))
        if any(p.is_error for p in result.problems):
            raise SystemExit("\n".join(str(p) for p in result.problems))
    return {
        "peak_mib": _vm("VmHWM"),
        "rss_after_import_mib": after_import,
        "hwm_after_plan_mib": after_plan,
        "seconds": time.perf_counter() - t0,
    }


def _child(*args: str) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=PRODUCT)
    if proc.returncode != 0:
        raise RuntimeError(f"child {args} failed:\n{proc.stderr}")
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return data


# -------------------------------------------------------------------------------- measuring


def check_data(plan: Path, followup: Path) -> dict[str, Any]:
    """The generated follow-up validates without errors; what it holds (checked once, untimed)."""
    from hallbardocs import check_followup, load_plan

    model = load_plan(plan)
    result = check_followup(followup, model)
    errors = [str(p) for p in result.problems if p.is_error]
    if errors or result.followup is None:
        raise RuntimeError("the generated follow-up is not valid:\n" + "\n".join(errors))
    activities = sum(len(m.activities) for m in model.measures)
    follow = result.followup
    return {
        "measures": len(model.measures),
        "activities": activities,
        "reports": len(follow.reports),
        "reported_share": len(follow.reports) / activities,
        "indicators": len(follow.indicators),
        "warnings": len(result.problems),
        "followup_kib": followup.stat().st_size / 1024,
    }


def time_documents(plan: Path, followup: Path, tmp: Path, runs: int) -> dict[str, dict[str, list[float]]]:
    """``runs`` runs of each document, alternating which goes first; gc.collect() before each (untimed)."""
    times: dict[str, dict[str, list[float]]] = {kind: {"wall": [], "cpu": []} for kind in DOCUMENTS}
    kinds = list(DOCUMENTS)
    for i in range(runs):
        for kind in kinds if i % 2 == 0 else kinds[::-1]:
            gc.collect()
            c0 = time.process_time()
            t0 = time.perf_counter()
            DOCUMENTS[kind](plan, followup, tmp / f"{kind}.docx")
            times[kind]["wall"].append(time.perf_counter() - t0)
            times[kind]["cpu"].append(time.process_time() - c0)
    return times


def time_stages(plan: Path, followup: Path, tmp: Path, runs: int) -> list[dict[str, float]]:
    samples = []
    for _ in range(runs):
        gc.collect()
        samples.append(stages_miljobokslut(plan, followup, tmp / "stages.docx"))
    return samples


def time_collection(plan: Path, filled: list[Path], tmp: Path, runs: int) -> dict[str, list[float]]:
    """``runs`` exports (into a fresh folder each time) and imports, alternating which goes first."""
    times: dict[str, list[float]] = {"export": [], "import": [], "export_cpu": [], "import_cpu": []}
    for i in range(runs):
        for kind in ("export", "import") if i % 2 == 0 else ("import", "export"):
            gc.collect()
            c0 = time.process_time()
            t0 = time.perf_counter()
            if kind == "export":
                run_export(plan, tmp / f"export-{i}")
            else:
                run_import(plan, filled)
            times[kind].append(time.perf_counter() - t0)
            times[f"{kind}_cpu"].append(time.process_time() - c0)
    return times


def _summary(values: list[float]) -> dict[str, Any]:
    return {"runs": values, "median_s": statistics.median(values), "min_s": min(values), "max_s": max(values)}


def profile(measures: int, indicators: int, tmp: Path, top: int = 15) -> str:
    """cProfile of one warm miljöbokslut run: top ``top`` by cumulative and by own time, and ours alone."""
    import cProfile
    import io
    import pstats

    plan, followup = write_miljobokslut_data(tmp, measures=measures, indicators=indicators)
    out = tmp / "profile.docx"
    run_miljobokslut(plan, followup, out)
    gc.collect()
    prof = cProfile.Profile()
    prof.runcall(run_miljobokslut, plan, followup, out)
    buf = io.StringIO()
    buf.write("--- hallbardocs functions only, by cumulative time ---\n")
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(r"hallbardocs/", 25)
    stats = pstats.Stats(prof, stream=buf).strip_dirs()
    buf.write(f"--- top {top} by cumulative time ---\n")
    stats.sort_stats("cumulative").print_stats(top)
    buf.write("--- top 15 by own time ---\n")
    stats.sort_stats("tottime").print_stats(15)
    return buf.getvalue()


# ---------------------------------------------------------------------------------- reporting


def _extra_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = _versions()
    for name in ("matplotlib", "openpyxl"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "?"
    return out


STAGE_NAMES = ("load", "validate", "context", "render", "save")


def report(res: dict[str, Any]) -> str:
    lines: list[str] = []
    w = lines.append
    env = res["environment"]
    v = env["versions"]
    w(
        f"hallbardocs follow-up benchmark, {res['date']}: Python {v['python']}, docxtpl {v['docxtpl']},"
        f" matplotlib {v['matplotlib']}, openpyxl {v['openpyxl']}, {env['cpus']} CPUs, {env['machine']};"
        f" load average {env['loadavg_at_start']:.2f} at start, {env.get('loadavg_at_end', float('nan')):.2f} at end"
    )
    git = env.get("git") or {}
    if git.get("commit"):
        dirty = git.get("modified") or []
        if git.get("snapshot"):
            w(f"  product: a snapshot of commit {git['commit']} (git archive), not the working tree")
        else:
            shown = ", ".join(dirty[:4]) + (f" and {len(dirty) - 4} more" if len(dirty) > 4 else "")
            w(
                f"  product at commit {git['commit']}"
                + (f", with uncommitted changes in {shown}" if dirty else ", clean")
            )
    if env["loadavg_at_start"] > 0.5 * (env["cpus"] or 1):
        w("  note: the machine was busy when the run started; wall times are noisy, compare the cpu column too")

    m = res["miljobokslut"]
    d = m["data"]
    w("")
    w(
        f"1. Miljöbokslut: {d['measures']} measures, {d['activities']} activities, {d['reports']} reports"
        f" ({d['reported_share']:.0%}), {d['indicators']} indicators; the follow-up validates"
        f" ({d['warnings']} warnings, the unreported activities)"
    )
    w("   whole pipeline in one process (load_plan, load_followup, write_*), interleaved, median wall time")
    w(f"   {'document':<17} {'runs':>4} {'median s':>9} {'min-max s':>13} {'cpu s':>7} {'peak MiB':>9}")
    for kind in DOCUMENTS:
        t = m["timing"][kind]
        peak = m["peak_memory"].get(kind, {}).get("peak_mib", float("nan"))
        w(
            f"   {kind:<17} {len(t['runs']):>4} {t['median_s']:>9.3f} {t['min_s']:>6.3f}-{t['max_s']:<6.3f}"
            f" {t['cpu_median_s']:>7.3f} {peak:>9.1f}"
        )
    if m["peak_memory"]:
        first = next(iter(m["peak_memory"].values()))
        w(
            "   peak MiB: VmHWM of a fresh process doing one run, imports included"
            f" ({first['rss_after_import_mib']:.0f} MiB after the imports alone)"
        )
    st = m["stages"]
    w("")
    w(f"   stages of the miljöbokslut, median ms of {st['runs']} runs (context = analyse + build_context with charts)")
    w("   " + "".join(f"{k:>10}" for k in (*STAGE_NAMES, "total")) + f"{'charts':>10}{'share':>8}")
    w(
        "   "
        + "".join(f"{st['median_ms'][k]:>10.1f}" for k in (*STAGE_NAMES, "total"))
        + f"{st['median_ms']['charts']:>10.1f}{st['chart_share']:>8.0%}"
    )
    w(
        f"   charts: {st['chart_count']:.0f} charts (hallbardocs.charts.status_chart and indicator_chart),"
        f" {st['median_ms']['charts'] / max(st['chart_count'], 1):.1f} ms each;"
        f" share = charts / total of the staged run"
    )

    c = res.get("collection")
    if c:
        d = c["data"]
        w("")
        w(
            f"2. Collection loop: {d['units']} units, {d['measures']} measures, {d['activities']} activities"
            f" ({d['min_per_unit']}-{d['max_per_unit']} per unit); {d['filled']} rows filled in with openpyxl"
            f" (untimed), {d['imported_reports']} reports imported, {d['import_warnings']} warnings, 0 errors"
        )
        w(f"   {'step':<44} {'runs':>4} {'median s':>9} {'min-max s':>13} {'cpu s':>7} {'peak MiB':>9}")
        labels = {
            "export": f"export_followup_workbooks + write {d['units']} files",
            "import": f"import_followup_workbooks of {d['units']} files",
        }
        for kind in ("export", "import"):
            t = c["timing"][kind]
            peak = c["peak_memory"].get(kind, {}).get("peak_mib", float("nan"))
            w(
                f"   {labels[kind]:<44} {len(t['runs']):>4} {t['median_s']:>9.3f}"
                f" {t['min_s']:>6.3f}-{t['max_s']:<6.3f} {t['cpu_median_s']:>7.3f} {peak:>9.1f}"
            )
        if c["peak_memory"]:
            e = c["peak_memory"]["export"]
            w(
                "   the plan is loaded once per process, outside the timed part; peak MiB: VmHWM of a fresh process"
                f" (imports and the plan included: {e['hwm_after_plan_mib']:.0f} MiB after loading the plan)"
            )
            w(
                f"   per workbook: export {c['timing']['export']['median_s'] / d['units'] * 1000:.1f} ms,"
                f" import {c['timing']['import']['median_s'] / d['units'] * 1000:.1f} ms"
            )
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------- main


def run_bench(
    *,
    measures: int = MEASURES,
    indicators: int = INDICATORS,
    units: int = UNITS,
    runs: int = 7,
    collect_runs: int = 5,
    stage_runs: int = 5,
    memory: bool = True,
    collection: bool = True,
    results: Path | None = RESULTS,
    out: Any = sys.stdout,
) -> dict[str, Any]:
    """Run the benchmark; returns the results (also printed, and written to ``results`` unless None)."""
    res: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "environment": {
            "cpus": os.cpu_count(),
            "machine": platform.machine(),
            "versions": _extra_versions(),
            "loadavg_at_start": _loadavg(),
            "git": _git_state(),
        },
        "miljobokslut": {"peak_memory": {}},
    }
    with tempfile.TemporaryDirectory(prefix="hallbardocs-bench-followup-") as tmp_name:
        tmp = Path(tmp_name)
        plan, followup = write_miljobokslut_data(tmp / "data", measures=measures, indicators=indicators)
        m = res["miljobokslut"]
        m["data"] = check_data(plan, followup)
        import hallbardocs

        res["environment"]["hallbardocs"] = str(Path(hallbardocs.__file__).parent)
        for kind, run in DOCUMENTS.items():  # warm-up: imports, matplotlib's font cache, templates
            run(plan, followup, tmp / f"warm-{kind}.docx")
        print(f"timing the documents ({runs} runs each) ...", file=sys.stderr, flush=True)
        times = time_documents(plan, followup, tmp, runs)
        m["timing"] = {
            kind: {
                **_summary(t["wall"]),
                "cpu_s": t["cpu"],
                "cpu_median_s": statistics.median(t["cpu"]),
            }
            for kind, t in times.items()
        }
        print(f"stages ({stage_runs} runs) ...", file=sys.stderr, flush=True)
        samples = time_stages(plan, followup, tmp, stage_runs)
        median_ms = {k: statistics.median(s[k] for s in samples) * 1000 for k in (*STAGE_NAMES, "total", "charts")}
        m["stages"] = {
            "runs": stage_runs,
            "samples": samples,
            "median_ms": median_ms,
            "chart_count": samples[0]["chart_count"],
            "chart_share": statistics.median(s["charts"] / s["total"] for s in samples),
        }
        if memory:
            for kind in DOCUMENTS:
                print(f"peak memory ({kind}) ...", file=sys.stderr, flush=True)
                m["peak_memory"][kind] = _child("document", kind, str(plan), str(followup), str(tmp / "peak.docx"))

        if collection:
            collect: dict[str, Any] = {"peak_memory": {}}
            res["collection"] = collect
            units_plan = write_units_plan(tmp / "data", units=units)
            model, _, _ = _collection_inputs(units_plan)
            per_unit: dict[str, int] = {}
            for measure_ in model.measures:
                for activity in measure_.activities:
                    per_unit[activity.unit] = per_unit.get(activity.unit, 0) + 1
            print(f"collection loop: filling in {units} workbooks (untimed) ...", file=sys.stderr, flush=True)
            filled = run_export(units_plan, tmp / "filled")
            n_filled = fill_workbooks(filled)
            result = run_import(units_plan, filled)  # the check, and the warm-up of the import
            errors = [str(p) for p in result.problems if p.is_error]
            if errors or len(result.reports) != n_filled:
                raise RuntimeError("the filled-in workbooks do not import cleanly:\n" + "\n".join(errors))
            collect["data"] = {
                "units": len(filled),
                "measures": len(model.measures),
                "activities": sum(per_unit.values()),
                "min_per_unit": min(per_unit.values()),
                "max_per_unit": max(per_unit.values()),
                "filled": n_filled,
                "imported_reports": len(result.reports),
                "import_warnings": len(result.problems),
                "workbook_kib": statistics.median(p.stat().st_size for p in filled) / 1024,
            }
            print(f"timing export and import ({collect_runs} runs each) ...", file=sys.stderr, flush=True)
            ctimes = time_collection(units_plan, filled, tmp, collect_runs)
            collect["timing"] = {
                kind: {
                    **_summary(ctimes[kind]),
                    "cpu_s": ctimes[f"{kind}_cpu"],
                    "cpu_median_s": statistics.median(ctimes[f"{kind}_cpu"]),
                }
                for kind in ("export", "import")
            }
            if memory:
                print("peak memory (export, import) ...", file=sys.stderr, flush=True)
                collect["peak_memory"]["export"] = _child("collect", "export", str(units_plan), str(tmp / "peak-out"))
                collect["peak_memory"]["import"] = _child("collect", "import", str(units_plan), str(tmp / "filled"))
    res["environment"]["loadavg_at_end"] = _loadavg()
    text = report(res)
    res["report"] = text
    print(text, file=out)
    if results is not None:
        results.parent.mkdir(parents=True, exist_ok=True)
        results.write_text(json.dumps(res, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"\nwrote {results.relative_to(REPO) if results.is_relative_to(REPO) else results}", file=sys.stderr)
    return res


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        kind, *rest = argv[1:]
        if kind == "document":
            data = child_document(rest[0], Path(rest[1]), Path(rest[2]), Path(rest[3]))
        else:
            data = child_collect(rest[0], Path(rest[1]), Path(rest[2]))
        print(json.dumps(data))
        return 0
    parser = argparse.ArgumentParser(description="Benchmark the follow-up of hallbardocs (see bench/README.md).")
    parser.add_argument("--quick", action="store_true", help="smoke run: 3 runs of each document, 2 of each step")
    parser.add_argument("--measures", type=int, default=MEASURES, help=f"measures of the plan (default {MEASURES})")
    parser.add_argument("--indicators", type=int, default=INDICATORS, help=f"indicators (default {INDICATORS})")
    parser.add_argument("--units", type=int, default=UNITS, help=f"units of the collection loop (default {UNITS})")
    parser.add_argument("--runs", type=int, help="timed runs of each document (default 7)")
    parser.add_argument("--collect-runs", type=int, help="timed runs of export and of import (default 5)")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak memory of fresh processes")
    parser.add_argument("--no-collection", action="store_true", help="skip the collection loop")
    parser.add_argument("--json", type=Path, default=RESULTS, help="where to write the results")
    parser.add_argument("--profile", action="store_true", help="only: cProfile of one warm miljöbokslut run")
    parser.add_argument("--commit", metavar="REV", help="measure a snapshot of this commit (git archive)")
    args = parser.parse_args(argv)

    if args.commit:
        return _run_on_snapshot(
            args.commit,
            [a for a in argv if a not in ("--commit", args.commit) and not a.startswith("--commit=")],
            Path(__file__).resolve(),
        )
    if args.profile:
        with tempfile.TemporaryDirectory(prefix="hallbardocs-prof-") as tmp_name:
            print(f"===== miljöbokslut: one warm run, {args.measures} measures, {args.indicators} indicators =====")
            print(profile(args.measures, args.indicators, Path(tmp_name)))
        return 0
    quick = args.quick
    run_bench(
        measures=args.measures,
        indicators=args.indicators,
        units=args.units,
        runs=args.runs or (3 if quick else 7),
        collect_runs=args.collect_runs or (2 if quick else 5),
        stage_runs=args.runs or (2 if quick else 5),
        memory=not args.no_memory,
        collection=not args.no_collection,
        results=args.json,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
