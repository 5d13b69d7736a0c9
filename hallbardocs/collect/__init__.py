"""Collecting the follow-up: one workbook out to each sector and company, the answers back in.

The package has these parts:

- :mod:`~hallbardocs.collect.layout`: the workbook's layout, the contract both halves share
  (sheet names, columns, the hidden id, the meta sheet's keys, the file name);
- :mod:`~hallbardocs.collect.outgoing`: :func:`export_workbooks` writes one workbook per unit;
- :mod:`~hallbardocs.collect.incoming`: :func:`import_workbooks` reads the returned workbooks
  (:mod:`~hallbardocs.collect.meta` opens one and reads its meta sheet), within the bounds of
  :mod:`~hallbardocs.collect.bounds` (file and unpacked size, rows, columns, formulas without a
  value);
- :mod:`~hallbardocs.collect.merge`: one answer per activity, the answers into the follow-up's
  reports, and the follow-up file's data with them.

:func:`export_workbooks` makes one Excel workbook per unit with activities in the plan. Each has
three sheets:

- ``Instruktioner`` (shown first): who the workbook is for, the period, how to fill it in, and the
  status scale's levels with what they mean;
- ``Aktiviteter``: one row per activity of that unit. The grey columns (``Åtgärd``, ``Aktivitet``,
  ``Period``) are locked; ``Status`` is a drop-down list of the scale's level names and
  ``Kommentar`` is free text. The activity's id is in the hidden column A, so the rows can be
  filtered, sorted or moved and still be recognised;
- ``_hallbardocs`` (very hidden): what the workbook is (format version, plan, period, scale, unit)
  and the locked texts as they were sent, so that edits of them can be noticed.

The sheet is protected without a password. The protection only guides the person filling in;
the import never trusts it and checks everything itself.

:func:`import_workbooks` reads the returned workbooks back into activity reports and reports
every problem at once, with file, sheet and cell:

=====  ==========================================================================
HD801  not a follow-up workbook made by hallbardocs (not .xlsx, not a regular file, meta sheet
       missing, garbled or nested too deep, a sheet that cannot be parsed)
HD802  a workbook of another period (or status scale) than the others, or than the follow-up
HD803  a workbook of another plan (name or year)
HD804  a status that is not in the scale (did you mean …?); a comment without a status (warning)
HD805  a row with an unknown id (an added row, or an edited id)
HD806  an activity of the unit that is missing from the workbook (warning)
HD807  a locked text (Åtgärd, Aktivitet, Period) was edited (warning; the answer is imported)
HD808  two different answers for one activity: in two files, or a file and the follow-up
HD809  a row for an activity of another unit than the workbook's
HD811  a row whose hidden id disagrees with its locked texts: they are another activity's exactly
HD812  a formula without a saved value in a cell the import reads (its value cannot be known)
HD813  a file over 20 MiB, or one that unpacks to over 100 MiB (a zip bomb is never unpacked)
HD814  more rows on the activities sheet than the import reads (10 000, or twice the unit's activities)
=====  ==========================================================================

How a row is matched to its activity is described in :mod:`~hallbardocs.collect.incoming`, how
conflicting answers are handled in :mod:`~hallbardocs.collect.merge`.
"""

from __future__ import annotations

from hallbardocs.collect.bounds import MAX_COLUMNS, MAX_FILE_BYTES, MAX_UNPACKED_BYTES, ROW_LIMIT
from hallbardocs.collect.incoming import ImportResult, import_workbooks
from hallbardocs.collect.layout import (
    ACTIVITIES_SHEET,
    COLUMNS,
    FORMAT,
    FORMAT_VERSION,
    INSTRUCTIONS_SHEET,
    META_SHEET,
    workbook_filename,
)
from hallbardocs.collect.merge import followup_with_reports
from hallbardocs.collect.outgoing import ExportedWorkbook, export_workbooks

__all__ = [
    "ExportedWorkbook",
    "ImportResult",
    "export_workbooks",
    "import_workbooks",
    "workbook_filename",
    "followup_with_reports",
    "FORMAT",
    "FORMAT_VERSION",
    "INSTRUCTIONS_SHEET",
    "ACTIVITIES_SHEET",
    "META_SHEET",
    "COLUMNS",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_UNPACKED_BYTES",
    "ROW_LIMIT",
]
