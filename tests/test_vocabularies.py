"""The controlled vocabularies: 16 miljökvalitetsmål and 17 global goals, with aliases."""

from __future__ import annotations

from hallbardocs.model.vocabularies import (
    ENVIRONMENTAL_OBJECTIVES,
    GLOBAL_GOALS,
    resolve_environmental_objective,
    resolve_global_goal,
)


def test_the_vocabularies_are_complete_and_in_official_order() -> None:
    assert [g.number for g in ENVIRONMENTAL_OBJECTIVES] == list(range(1, 17))
    assert [g.number for g in GLOBAL_GOALS] == list(range(1, 18))
    assert ENVIRONMENTAL_OBJECTIVES[0].name == "Begränsad klimatpåverkan"
    assert ENVIRONMENTAL_OBJECTIVES[-1].name == "Ett rikt växt- och djurliv"
    assert GLOBAL_GOALS[12].name == "Bekämpa klimatförändringarna"


def test_objectives_resolve_by_name_loosely_and_by_alias() -> None:
    assert resolve_environmental_objective("  god BEBYGGD miljö. ").number == 15  # type: ignore[union-attr]
    assert resolve_environmental_objective("Rikt växt- och djurliv").number == 16  # type: ignore[union-attr]
    assert resolve_environmental_objective("Hav i balans").number == 10  # type: ignore[union-attr]
    assert resolve_environmental_objective("Ren luft") is None


def test_global_goals_resolve_by_number_text_and_name() -> None:
    assert resolve_global_goal(7).name == "Hållbar energi för alla"  # type: ignore[union-attr]
    assert resolve_global_goal("13").number == 13  # type: ignore[union-attr]
    assert resolve_global_goal("Mål 13").number == 13  # type: ignore[union-attr]
    assert resolve_global_goal("13. Bekämpa klimatförändringarna").number == 13  # type: ignore[union-attr]
    assert resolve_global_goal("Prisvärd och ren energi").number == 7  # type: ignore[union-attr]
    assert resolve_global_goal(18) is None
    assert resolve_global_goal("13. Ingen fattigdom") is None
