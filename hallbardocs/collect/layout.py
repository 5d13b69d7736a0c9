"""The layout of a follow-up workbook: what the outgoing and the incoming half both rely on.

A workbook has three sheets: :data:`INSTRUCTIONS_SHEET` (shown first), :data:`ACTIVITIES_SHEET`
with the :data:`COLUMNS` A to F (the activity's id hidden in A, the :data:`LOCKED` texts grey and
locked, Status and Kommentar to fill in), and the very hidden :data:`META_SHEET`, whose rows are a
key in column A and its value in B: ``format`` (:data:`FORMAT`), a ``nivå`` row per level name
(from B2 on, for a long drop-down list), ``version`` (:data:`FORMAT_VERSION`), ``plan``, ``planår``,
``periodtyp``, ``periodår``, ``per``, ``statusskala``, ``skala`` (the scale as JSON), ``enhet``,
and an ``aktivitet`` row per activity with its id and its locked texts as they were sent. A row of
the activities sheet is an activity as :class:`Row` shows it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from hallbardocs.formatting import format_date, format_range
from hallbardocs.model.followup import SCALES, Period, StatusScale, activity_ids
from hallbardocs.model.plan import Activity, Measure, Plan

__all__ = [
    "ACTIVITIES_SHEET",
    "COLUMNS",
    "FORMAT",
    "FORMAT_VERSION",
    "IDENTIFYING",
    "INSTRUCTIONS_SHEET",
    "LOCKED",
    "META_KEYS",
    "META_SHEET",
    "Row",
    "as_of_text",
    "cell_text",
    "key_of_scale",
    "unit_rows",
    "workbook_filename",
]

FORMAT = "hallbardocs-uppföljning"
"""The value of the ``format`` key on the meta sheet."""
FORMAT_VERSION = 1
"""The version of the workbook layout; a newer workbook than this module knows is refused (HD801)."""

INSTRUCTIONS_SHEET = "Instruktioner"
ACTIVITIES_SHEET = "Aktiviteter"
META_SHEET = "_hallbardocs"
COLUMNS = ("Id", "Åtgärd", "Aktivitet", "Period", "Status", "Kommentar")
"""The columns of the activities sheet, A to F."""
LOCKED = ("Åtgärd", "Aktivitet", "Period")
"""The grey, locked columns: the activity as it was sent."""
IDENTIFYING = ("Åtgärd", "Aktivitet")
"""The locked texts that name an activity; the period is not one (many activities share one)."""
META_KEYS = ("version", "plan", "planår", "periodtyp", "periodår", "per", "skala", "enhet")
"""The meta sheet's keys every workbook has (besides ``format``)."""



@dataclass(frozen=True)
class Row:
    """One activity as its row shows it: the id and the three locked texts."""

    id: str
    measure: str
    text: str
    period: str

    @property
    def locked(self) -> dict[str, str]:
        return {"Åtgärd": self.measure, "Aktivitet": self.text, "Period": self.period}


def _period_text(activity: Activity) -> str:
    start = format_date(activity.start) if activity.start else None
    end = format_date(activity.end) if activity.end else None
    if start and end:
        return format_range(start, end)
    return f"från {start}" if start else f"till {end}" if end else ""


def _row(ident: str, measure: Measure, activity: Activity) -> Row:
    return Row(ident, f"{measure.id}. {measure.title}", activity.text, _period_text(activity))


def unit_rows(plan: Plan) -> dict[str, list[Row]]:
    """Each unit with activities, in the plan's organisation order, with its rows in plan order."""
    rows: dict[str, list[Row]] = {unit.name: [] for unit in plan.organisation}
    for measure in plan.measures:
        for ident, activity in activity_ids(measure):
            rows.setdefault(activity.unit, []).append(_row(ident, measure, activity))
    return {unit: unit_rows for unit, unit_rows in rows.items() if unit_rows}


def _slug(text: str) -> str:
    """An ASCII file-name part: ``"Lindåsa Energi AB"`` -> ``"lindasa-energi-ab"``.

    >>> _slug("Helår 2026")
    'helar-2026'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "enhet"


def workbook_filename(period: Period, unit: str) -> str:
    """The file name of a unit's workbook.

    >>> workbook_filename(Period(typ="helår", år=2026, per="2026-12-31"), "Lindåsa Energi AB")
    'uppfoljning-helar-2026-lindasa-energi-ab.xlsx'
    """
    return f"uppfoljning-{_slug(period.label)}-{_slug(unit)}.xlsx"


def key_of_scale(scale: StatusScale) -> str:
    """The shipped scale's key (``standard``) if ``scale`` is one, else the scale's own name."""
    return next((key for key, shipped in SCALES.items() if shipped == scale), scale.name)


def as_of_text(period: Period) -> str:
    """The period and its date, as the instructions and the messages say it."""
    return f"{period.label}, per {format_date(period.as_of)}"



def cell_text(value: Any) -> str:
    """A cell's value as text, with Excel's line breaks (``_x000B_``, vertical tab, CR LF) as ``\\n``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"_x000[Bb]_|\v", "\n", text).strip()
