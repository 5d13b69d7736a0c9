"""Typed input models and controlled vocabularies; no I/O."""

from __future__ import annotations

from hallbardocs.model.plan import (
    Activity,
    Chapter,
    FocusArea,
    Measure,
    Metadata,
    Municipality,
    Plan,
    Priority,
    Revision,
    Strategy,
    Unit,
    UnitKind,
)
from hallbardocs.model.vocabularies import (
    ENVIRONMENTAL_OBJECTIVES,
    GLOBAL_GOALS,
    Goal,
    resolve_environmental_objective,
    resolve_global_goal,
)

__all__ = [
    "ENVIRONMENTAL_OBJECTIVES",
    "GLOBAL_GOALS",
    "Activity",
    "Chapter",
    "FocusArea",
    "Goal",
    "Measure",
    "Metadata",
    "Municipality",
    "Plan",
    "Priority",
    "Revision",
    "Strategy",
    "Unit",
    "UnitKind",
    "resolve_environmental_objective",
    "resolve_global_goal",
]
