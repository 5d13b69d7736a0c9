"""Controlled vocabularies: Sveriges miljökvalitetsmål and the Agenda 2030 goals, in official order.

Names are the official Swedish ones (Naturvårdsverket; regeringen/Globala målen). Other spellings that
circulate are accepted as aliases and resolved to the official name.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "ENVIRONMENTAL_OBJECTIVES",
    "GLOBAL_GOALS",
    "Goal",
    "resolve_environmental_objective",
    "resolve_global_goal",
]


@dataclass(frozen=True, slots=True)
class Goal:
    """A goal in a controlled vocabulary: its number (official order), official name and aliases."""

    number: int
    name: str
    aliases: tuple[str, ...] = ()


ENVIRONMENTAL_OBJECTIVES: tuple[Goal, ...] = (
    Goal(1, "Begränsad klimatpåverkan"),
    Goal(2, "Frisk luft"),
    Goal(3, "Bara naturlig försurning"),
    Goal(4, "Giftfri miljö"),
    Goal(5, "Skyddande ozonskikt"),
    Goal(6, "Säker strålmiljö"),
    Goal(7, "Ingen övergödning"),
    Goal(8, "Levande sjöar och vattendrag"),
    Goal(9, "Grundvatten av god kvalitet"),
    Goal(
        10,
        "Hav i balans samt levande kust och skärgård",
        ("Hav i balans", "Hav i balans och levande kust och skärgård"),
    ),
    Goal(11, "Myllrande våtmarker"),
    Goal(12, "Levande skogar"),
    Goal(13, "Ett rikt odlingslandskap", ("Rikt odlingslandskap",)),
    Goal(14, "Storslagen fjällmiljö"),
    Goal(15, "God bebyggd miljö"),
    Goal(16, "Ett rikt växt- och djurliv", ("Rikt växt- och djurliv", "Ett rikt växt och djurliv")),
)

GLOBAL_GOALS: tuple[Goal, ...] = (
    Goal(1, "Ingen fattigdom"),
    Goal(2, "Ingen hunger"),
    Goal(3, "Hälsa och välbefinnande", ("God hälsa och välbefinnande",)),
    Goal(4, "God utbildning för alla"),
    Goal(5, "Jämställdhet"),
    Goal(6, "Rent vatten och sanitet för alla", ("Rent vatten och sanitet",)),
    Goal(7, "Hållbar energi för alla", ("Prisvärd och ren energi",)),
    Goal(8, "Anständiga arbetsvillkor och ekonomisk tillväxt", ("Goda arbetsvillkor och ekonomisk tillväxt",)),
    Goal(9, "Hållbar industri, innovationer och infrastruktur"),
    Goal(10, "Minskad ojämlikhet"),
    Goal(11, "Hållbara städer och samhällen"),
    Goal(12, "Hållbar konsumtion och produktion"),
    Goal(13, "Bekämpa klimatförändringarna"),
    Goal(14, "Hav och marina resurser"),
    Goal(15, "Ekosystem och biologisk mångfald"),
    Goal(
        16,
        "Fredliga och inkluderande samhällen",
        ("Fredliga och inkluderande samhällen, rättvisa och starka institutioner",),
    ),
    Goal(17, "Genomförande och globalt partnerskap"),
)


def _fold(text: str) -> str:
    """Compare names loosely: case, spacing, dashes and a trailing period do not matter."""
    text = unicodedata.normalize("NFC", text).casefold().replace("–", "-").replace("—", "-")
    return " ".join(text.replace(",", " ").split()).rstrip(".")


def _index(goals: tuple[Goal, ...]) -> dict[str, Goal]:
    index: dict[str, Goal] = {}
    for goal in goals:
        for name in (goal.name, *goal.aliases):
            index[_fold(name)] = goal
    return index


_OBJECTIVES_BY_NAME = _index(ENVIRONMENTAL_OBJECTIVES)
_GLOBAL_BY_NAME = _index(GLOBAL_GOALS)


@lru_cache(maxsize=4096)
def resolve_environmental_objective(name: str) -> Goal | None:
    """The miljökvalitetsmål named ``name`` (official name or alias), or None.

    >>> resolve_environmental_objective("begränsad klimatpåverkan").number
    1
    """
    return _OBJECTIVES_BY_NAME.get(_fold(name))


@lru_cache(maxsize=4096)
def resolve_global_goal(ref: int | str) -> Goal | None:
    """The global goal given by number (1–17, also "13" or "Mål 13") or by name, or None.

    >>> resolve_global_goal("13").name
    'Bekämpa klimatförändringarna'
    >>> resolve_global_goal("Mål 7: Hållbar energi för alla").number
    7
    """
    if isinstance(ref, int):
        return GLOBAL_GOALS[ref - 1] if 1 <= ref <= len(GLOBAL_GOALS) else None
    text = ref.strip()
    folded = _fold(text)
    if folded.startswith("mål "):
        folded = folded[4:]
    number, _, rest = folded.partition(" ")
    number = number.rstrip(".:")
    if number.isdigit():
        goal = resolve_global_goal(int(number))
        if goal is not None and (
            not rest or _fold(rest.lstrip(":. ")) in (_fold(n) for n in (goal.name, *goal.aliases))
        ):
            return goal
        return None if rest else goal
    return _GLOBAL_BY_NAME.get(folded)
