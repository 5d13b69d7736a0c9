"""A plan written back out as YAML, JSON or an Excel workbook (``hallbardocs convert``)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from hallbardocs.model.plan import Plan

__all__ = ["FORMATS", "dump_plan", "plan_to_data"]

FORMATS = (".yaml", ".yml", ".json", ".xlsx")


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Path):
        return value.as_posix()
    return value


def plan_to_data(plan: Plan) -> dict[str, Any]:
    """The plan as plain data with the file format's Swedish keys (dates stay dates)."""
    return _plain(plan.model_dump(by_alias=True, exclude_none=True, exclude_defaults=True))  # type: ignore[no-any-return]


def dump_plan(plan: Plan, suffix: str) -> bytes:
    """The plan in the format of ``suffix`` (.yaml, .yml, .json or .xlsx)."""
    suffix = suffix.lower()
    if suffix == ".xlsx":
        from hallbardocs.load.workbook import write_plan_workbook

        return write_plan_workbook(plan)
    data = plan_to_data(plan)
    if suffix == ".json":
        return (json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n").encode("utf-8")
    if suffix in (".yaml", ".yml"):
        import yaml

        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        return text.encode("utf-8")
    raise ValueError(f"unsupported format {suffix!r}")


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
