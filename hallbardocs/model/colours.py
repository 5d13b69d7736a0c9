"""The focus areas' colours: an area's own ``färg``, else a default no other area has.

Validation resolves every focus area's colour once (:attr:`hallbardocs.model.plan.FocusArea.colour`),
so no document works the fallback out again.

An area without its own colour gets the next colour of the palette that is clearly different
(CIE76 distance in Lab) from every colour already given; past the palette's ten, colours are
generated (hues a golden angle apart), each dark enough for white text at 4.5:1 or more.
"""

from __future__ import annotations

import colorsys
import itertools
import math
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Protocol

__all__ = ["DEFAULT_PALETTE", "focus_area_colours"]

# Dark, distinct colours with at least 4.5:1 contrast against white text.
DEFAULT_PALETTE = (
    "1F5F7A",
    "2E6B30",
    "8A3B12",
    "5B3F8C",
    "7A2E4D",
    "1D5C57",
    "6B5413",
    "34495E",
    "A0312B",
    "2C5AA0",
)

_MIN_CONTRAST = 4.6  # a margin above WCAG's 4.5:1
_GOLDEN = 0.381966


class _Area(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def given_colour(self) -> str | None: ...


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _rgb(colour: str) -> tuple[float, float, float]:
    r, g, b = (_linear(int(colour[i : i + 2], 16)) for i in (0, 2, 4))
    return r, g, b


def _luminance(colour: str) -> float:
    r, g, b = _rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@lru_cache(maxsize=1024)
def _lab(colour: str) -> tuple[float, float, float]:
    r, g, b = _rgb(colour)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _hex(hue: float, lightness: float, saturation: float) -> str:
    r, g, b = colorsys.hls_to_rgb(hue, lightness, saturation)
    return f"{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}"


def _generated() -> Iterator[str]:
    """Endless dark colours: hues a golden angle apart, in three saturations and lightnesses."""
    for k in itertools.count():
        hue, saturation, lightness = (
            (0.05 + k * _GOLDEN) % 1.0,
            (0.75, 0.55, 0.9)[k % 3],
            (0.32, 0.22, 0.27)[k // 3 % 3],
        )
        colour = _hex(hue, lightness, saturation)
        while 1.05 / (_luminance(colour) + 0.05) < _MIN_CONTRAST:
            lightness *= 0.95
            colour = _hex(hue, lightness, saturation)
        yield colour


def focus_area_colours(areas: Iterable[_Area]) -> dict[str, str]:
    """Each focus area's colour as ``RRGGBB``: its own ``färg``, else a default no other area has.

    The defaults are the ten of :data:`DEFAULT_PALETTE`, then generated ones; each is clearly
    different from every colour given before it and takes white text at 4.5:1 or more.
    """
    areas = list(areas)
    taken = [_lab(a.given_colour.lstrip("#").upper()) for a in areas if a.given_colour]
    candidates = itertools.chain(DEFAULT_PALETTE, _generated())
    tries = 0
    colours: dict[str, str] = {}
    for area in areas:
        if area.given_colour:
            colours[area.name] = area.given_colour.lstrip("#").upper()
            continue
        for candidate in candidates:
            tries += 1
            # Clearly different while that is possible; with hundreds of areas, merely different.
            distance = 12.0 if tries < 200 else 6.0 if tries < 1000 else 0.5
            lab = _lab(candidate)
            if all(math.dist(lab, other) >= distance for other in taken):
                taken.append(lab)
                colours[area.name] = candidate
                break
    return colours
