"""Writing a plan as an Excel workbook, in the layout :mod:`hallbardocs.load.workbook` reads.

Every text is written as text, never as a formula: a ``=HYPERLINK(…)`` in a plan must not run in
Excel.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from hallbardocs.load.workbook import LIST_SEPARATOR, SHEETS
from hallbardocs.model.plan import Plan

__all__ = ["write_plan_workbook"]


def _text(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.date, int, float)):
        return value
    return str(value)


def _sheet_rows(plan: Plan) -> dict[str, list[list[Any]]]:
    """Each sheet's rows below its header, in the columns of :data:`~hallbardocs.load.workbook.SHEETS`."""
    meta = plan.metadata
    plan_values = {
        "Kommun": plan.municipality.name,
        "Logotyp": str(plan.municipality.logo) if plan.municipality.logo else None,
        "År": plan.year,
        "Dokumentnamn": meta.document_name,
        "Dokumenttyp": meta.document_type,
        "Omfattar": meta.covers,
        "Dokumentägare": meta.owner,
        "Dokumentansvarig": meta.responsible,
        "Publicering": meta.publication,
        "Författningsstöd": meta.legal_basis,
        "Beslutad": meta.decided,
        "Bör revideras senast": meta.revise_by,
        "Beslutsinstans": meta.decided_by,
        "Diarienummer": meta.reference_number,
        "Strategi": plan.strategy.name,
        "Strategins typ": plan.strategy.kind,
        "Strategins typ, bestämd form": plan.strategy.kind_definite,
    }
    join = f"{LIST_SEPARATOR} ".join
    rows: dict[str, list[list[Any]]] = {
        "Plan": [[label, value] for label, value in plan_values.items()],
        "Revideringar": [[r.date, r.paragraph, r.change] for r in meta.revisions],
        "Fokusområden": [
            [p.name, p.description if i == 0 else None, a.name, a.description, a.colour]
            for p in plan.strategy.priorities
            for i, a in enumerate(p.focus_areas)
        ],
        "Organisation": [[u.name, u.kind] for u in plan.organisation],
        "Kapitel": [[c.title, c.text] for c in plan.chapters],
        "Åtgärder": [
            [
                m.id,
                m.title,
                join(m.focus_areas),
                m.description,
                join(m.responsible),
                join(m.environmental_objectives),
                join(str(g) for g in m.global_goals),
            ]
            for m in plan.measures
        ],
        "Aktiviteter": [[m.id, a.unit, a.text, a.start, a.end, a.cost] for m in plan.measures for a in m.activities],
    }
    return rows


def write_plan_workbook(plan: Plan) -> bytes:
    """The plan as a workbook in the format :func:`~hallbardocs.load.workbook.load_plan_workbook` reads."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.table import Table

    wb = Workbook()
    wb.remove(wb.active)
    rows = _sheet_rows(plan)
    widths = {"Text": 80, "Beskrivning": 60, "Aktivitet": 60, "Ändring": 50, "Värde": 50, "Rubrik": 40}
    for sheet in SHEETS.values():
        ws = wb.create_sheet(sheet.name)
        ws.append(list(sheet.columns))
        for row in rows[sheet.name]:
            ws.append([_text(v) for v in row])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula: "=HYPERLINK(…)" must not run in Excel
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for index, column in enumerate(sheet.columns, start=1):
            letter = ws.cell(row=1, column=index).column_letter
            ws.column_dimensions[letter].width = widths.get(column, max(14, len(column) + 4))
            for cell in ws[letter][1:]:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                if column in widths:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
        if ws.max_row > 1:
            ref = f"A1:{ws.cell(row=ws.max_row, column=len(sheet.columns)).coordinate}"
            ws.add_table(Table(displayName=f"T_{len(wb.sheetnames)}", ref=ref))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
