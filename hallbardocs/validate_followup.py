"""The follow-up's validation, kept importable here: it lives in :mod:`hallbardocs.validate.followup`."""

from __future__ import annotations

from hallbardocs.validate.followup import FollowUpResult, validate_followup

__all__ = ["FollowUpResult", "validate_followup"]
