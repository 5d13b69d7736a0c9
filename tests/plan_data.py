"""Plan and follow-up data built in code, for tests that vary them (real-sized plans, generated plans).

Not a test module: ``test_*`` modules import it. The data uses the file format's Swedish keys, as a
user writes them, so it goes through the same loading and validation as a file would.
"""

from __future__ import annotations

import copy
import os
from typing import Any

from hypothesis import HealthCheck, settings

YEAR = 2026


def plan_data(
    *,
    document_name: str = "Handlingsplan till miljöstrategin för 2026",
    focus_areas: list[str] | None = None,
    units: list[str] | None = None,
    municipality: str = "Lindåsa kommun",
) -> dict[str, Any]:
    """A small valid plan: one priority holding ``focus_areas``, one measure per focus area (each with
    one activity for a unit, in turn), and ``units`` as the organisation."""
    areas = focus_areas or ["Klimat"]
    organisation = units or ["Samhällsbyggnadssektorn"]
    measures = []
    for n, area in enumerate(areas, start=1):
        unit = organisation[(n - 1) % len(organisation)]
        measures.append(
            {
                "id": str(n),
                "rubrik": f"Åtgärd {n}",
                "fokusområden": [area],
                "beskrivning": "Vi gör något.",
                "ansvariga": [unit],
                "aktiviteter": [
                    {"enhet": unit, "aktivitet": f"Aktivitet {n}.", "start": "2026-03-01", "slut": "2026-11-30"}
                ],
            }
        )
    return {
        "kommun": {"namn": municipality},
        "år": YEAR,
        "metadata": {
            "dokumentnamn": document_name,
            "dokumenttyp": "Handlingsplan",
            "diarienummer": "KS 2026/0087",
        },
        "strategi": {
            "namn": "Miljöstrategi 2022–2030",
            "prioriteringar": [{"namn": "Klimat", "fokusområden": [{"namn": a} for a in areas]}],
        },
        "organisation": [{"namn": u, "typ": "sektor"} for u in organisation],
        "åtgärder": measures,
    }


COMMITTEE: dict[str, Any] = {
    "förvaltning": "Samhällsbyggnadsförvaltningen",
    "handläggare": "Anna Andersson",
    "datum": "2027-02-01",
    "mottagare": "Miljönämnden",
    "ärende": "Uppföljning av handlingsplanen för 2026",
    "förslag_till_beslut": ["godkänna uppföljningen"],
}


def followup_data(plan: dict[str, Any], *, committee: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """A valid follow-up of ``plan`` (data as :func:`plan_data` gives): every activity reported
    "Pågår", and the committee texts (``committee=None`` uses :data:`COMMITTEE`)."""
    reports = []
    for measure in plan["åtgärder"]:
        for n, activity in enumerate(measure["aktiviteter"], start=1):
            reports.append({"aktivitet": f"{measure['id']}.{n}", "enhet": activity["enhet"], "status": "Pågår"})
    data: dict[str, Any] = {
        "plan": plan["metadata"]["dokumentnamn"],
        "period": {"typ": "helår", "år": plan["år"], "per": f"{plan['år']}-12-31"},
        "rapporter": reports,
        "tjänsteskrivelse": copy.deepcopy(COMMITTEE if committee is None else committee),
    }
    data.update(extra)
    return data


# --- hypothesis: a fixed, bounded run in CI, a longer one on request --------------------------------

HYPOTHESIS_PROFILE = os.environ.get("HALLBARDOCS_HYPOTHESIS", "ci")
"""``ci`` (the default): a fixed seed and each test's small number of examples, about a minute in all.
``long``: random seeds and many more examples, for a local run (tests/README.md)."""

_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile("ci", derandomize=True, deadline=None, suppress_health_check=_SLOW_IS_FINE, print_blob=True)
settings.register_profile(
    "long", max_examples=1000, deadline=None, suppress_health_check=_SLOW_IS_FINE, print_blob=True
)
settings.load_profile(HYPOTHESIS_PROFILE)


def examples(in_ci: int) -> int:
    """How many examples a property test runs: ``in_ci`` in the ci profile, the profile's number otherwise."""
    return in_ci if HYPOTHESIS_PROFILE == "ci" else settings.default.max_examples
