"""Raw data -> valid, resolved models, with every problem found at once.

- :mod:`~hallbardocs.validate.machinery`: the generic passes (text, shape), problem collection,
  did-you-mean and locating; it knows no document;
- :mod:`~hallbardocs.validate.plan`: the plan's rules (HD2xx, HD302, HD402), one function per code
  or small group, as in docs/errors.md; :mod:`~hallbardocs.validate.parts` reads what a plan with
  shape errors still holds, so the rules run on it too;
- :mod:`~hallbardocs.validate.followup`: the follow-up's rules against its plan (HD7xx, HD906–HD907).
"""

from __future__ import annotations

from hallbardocs.validate.machinery import (
    PLACEHOLDERS,
    Checker,
    Outcome,
    clean_text,
    ordered,
    rich_text_fields,
    suggest,
)
from hallbardocs.validate.plan import ValidationResult, validate_plan

__all__ = [
    "PLACEHOLDERS",
    "Checker",
    "Outcome",
    "ValidationResult",
    "clean_text",
    "ordered",
    "rich_text_fields",
    "suggest",
    "validate_plan",
]
