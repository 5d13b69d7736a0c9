"""How Word resolves a document's colours and styles, as far as the document says: the review's groundwork.

:class:`Colours` reads the theme's colour scheme and resolves a WordprocessingML colour (a value, a theme
colour with its tint and shade, a shading or a highlight) to ``RRGGBB``; :class:`Styles` follows each style's
``basedOn`` chain to the run and paragraph properties a run really has; :func:`contrast_ratio` is WCAG's.
:mod:`hallbardocs.render.review` applies the rules on top of these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

__all__ = ["BLACK", "WHITE", "Colours", "Style", "Styles", "contrast_ratio", "on"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"

_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
_THEME_NAMES = {
    "text1": "dk1",
    "dark1": "dk1",
    "background1": "lt1",
    "light1": "lt1",
    "text2": "dk2",
    "dark2": "dk2",
    "background2": "lt2",
    "light2": "lt2",
    "hyperlink": "hlink",
    "followedHyperlink": "folHlink",
}
WHITE = "FFFFFF"
BLACK = "000000"


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@lru_cache(maxsize=4096)
def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two ``RRGGBB`` colours, from 1 to 21.

    >>> round(contrast_ratio("777777", "FFFFFF"), 2), contrast_ratio("000000", "FFFFFF")
    (4.48, 21.0)
    """
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def on(element: etree._Element | None) -> bool | None:
    """A WordprocessingML on/off property: None when absent."""
    if element is None:
        return None
    return element.get(f"{_W}val", "true").lower() not in ("0", "false", "off", "none")



@dataclass
class Style:
    kind: str
    name: str
    based_on: str | None
    ppr: etree._Element | None
    rpr: etree._Element | None
    link_rpr: etree._Element | None = None


class Colours:
    """The theme's colour scheme, and colours of WordprocessingML elements resolved through it."""

    def __init__(self, theme: etree._Element | None) -> None:
        self.scheme: dict[str, str] = {}
        if theme is None:
            return
        scheme = theme.find(f".//{_A}clrScheme")
        if scheme is None:
            return
        for slot in scheme:
            value = None
            for child in slot:
                value = child.get("val") if child.tag == f"{_A}srgbClr" else child.get("lastClr")
            if value and re.fullmatch(r"[0-9A-Fa-f]{6}", value):
                self.scheme[etree.QName(slot).localname] = value.upper()

    def resolve(self, value: str | None, theme: str | None, tint: str | None, shade: str | None) -> str | None:
        """``RRGGBB``, ``"auto"``, or None when the element names no colour."""
        colour = None
        if theme:
            colour = self.scheme.get(_THEME_NAMES.get(theme, theme))
        if colour is None:
            if value is None:
                return None
            if value.lower() == "auto":
                return "auto"
            if not re.fullmatch(r"[0-9A-Fa-f]{6}", value):
                return None
            colour = value.upper()
        channels = [int(colour[i : i + 2], 16) for i in (0, 2, 4)]
        try:
            if tint:
                t = int(tint, 16) / 255
                channels = [round(c + (255 - c) * (1 - t)) for c in channels]
            if shade:
                s = int(shade, 16) / 255
                channels = [round(c * s) for c in channels]
        except ValueError:
            pass
        return "".join(f"{c:02X}" for c in channels)

    def text(self, rpr: etree._Element | None) -> str | None:
        el = rpr.find(f"{_W}color") if rpr is not None else None
        if el is None:
            return None
        return self.resolve(el.get(f"{_W}val"), el.get(f"{_W}themeColor"), el.get(f"{_W}themeTint"), el.get(f"{_W}themeShade"))

    def fill(self, props: etree._Element | None) -> str | None:
        """The fill of a ``w:shd`` (or a run's ``w:highlight``) in ``props``; ``"auto"`` is none."""
        if props is None:
            return None
        shd = props.find(f"{_W}shd")
        if shd is not None:
            colour = self.resolve(
                shd.get(f"{_W}fill"), shd.get(f"{_W}themeFill"), shd.get(f"{_W}themeFillTint"), shd.get(f"{_W}themeFillShade")
            )
            pattern = shd.get(f"{_W}val", "clear")
            if pattern == "solid":  # the pattern colour covers the fill
                colour = self.resolve(shd.get(f"{_W}color"), shd.get(f"{_W}themeColor"), None, None)
            if colour is not None and colour != "auto":
                return colour
        highlight = props.find(f"{_W}highlight")
        if highlight is not None:
            return _HIGHLIGHTS.get(highlight.get(f"{_W}val", "none"))
        return None


_HIGHLIGHTS = {
    "black": "000000",
    "blue": "0000FF",
    "cyan": "00FFFF",
    "green": "00FF00",
    "magenta": "FF00FF",
    "red": "FF0000",
    "yellow": "FFFF00",
    "white": "FFFFFF",
    "darkBlue": "000080",
    "darkCyan": "008080",
    "darkGreen": "008000",
    "darkMagenta": "800080",
    "darkRed": "800000",
    "darkYellow": "808000",
    "darkGray": "808080",
    "lightGray": "C0C0C0",
}


class Styles:
    """The styles part: each style's properties through its ``basedOn`` chain."""

    def __init__(self, element: etree._Element, colours: Colours) -> None:
        self.colours = colours
        self.styles: dict[str, Style] = {}
        self.default_paragraph: str | None = None
        for style in element.iterfind(f"{_W}style"):
            sid = style.get(f"{_W}styleId")
            if sid is None:
                continue
            kind = style.get(f"{_W}type", "paragraph")
            name_el = style.find(f"{_W}name")
            based = style.find(f"{_W}basedOn")
            self.styles[sid] = Style(
                kind,
                (name_el.get(f"{_W}val") if name_el is not None else None) or sid,
                based.get(f"{_W}val") if based is not None else None,
                style.find(f"{_W}pPr"),
                style.find(f"{_W}rPr"),
            )
            if kind == "paragraph" and style.get(f"{_W}default") in ("1", "true", "on"):
                self.default_paragraph = sid
        defaults = element.find(f"{_W}docDefaults")
        self.default_rpr = defaults.find(f"{_W}rPrDefault/{_W}rPr") if defaults is not None else None
        self.default_ppr = defaults.find(f"{_W}pPrDefault/{_W}pPr") if defaults is not None else None
        self._chains: dict[str | None, list[Style]] = {}
        self._inherited: dict[tuple[str, str | None, str | None], etree._Element | None] = {}

    def chain(self, style_id: str | None) -> list[Style]:
        """The style and its parents, nearest first (loops and unknown ids end the chain)."""
        if style_id in self._chains:
            return self._chains[style_id]
        found: list[Style] = []
        seen: set[str] = set()
        current = style_id
        while current is not None and current not in seen and current in self.styles:
            seen.add(current)
            style = self.styles[current]
            found.append(style)
            current = style.based_on
        self._chains[style_id] = found
        return found

    def paragraph_style(self, ppr: etree._Element | None) -> str | None:
        el = ppr.find(f"{_W}pStyle") if ppr is not None else None
        sid = el.get(f"{_W}val") if el is not None else None
        return sid if sid in self.styles else self.default_paragraph

    def heading_level(self, ppr: etree._Element | None) -> int | None:
        """1–9 for a paragraph in a heading style (by name, or by outline level), else None."""
        direct = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
        for style in self.chain(self.paragraph_style(ppr)):
            match = _HEADING_NAME.match(style.name)
            if match:
                return int(match.group(1))
            if direct is None and style.ppr is not None:
                direct = style.ppr.find(f"{_W}outlineLvl")
                if direct is not None:
                    break
        if direct is not None:
            try:
                level = int(direct.get(f"{_W}val", "9")) + 1
            except ValueError:
                return None
            return level if level <= 9 else None
        return None

    def numbered(self, ppr: etree._Element | None) -> bool:
        if ppr is not None and ppr.find(f"{_W}numPr") is not None:
            return True
        return any(s.ppr is not None and s.ppr.find(f"{_W}numPr") is not None for s in self.chain(self.paragraph_style(ppr)))

    def run_property(self, tag: str, rpr: etree._Element | None, pstyle: str | None) -> etree._Element | None:
        """The run property ``tag`` as the run, its character style, the paragraph style and the defaults set it."""
        rstyle_id = None
        if rpr is not None:
            el = rpr.find(f"{_W}{tag}")
            if el is not None:
                return el
            rstyle = rpr.find(f"{_W}rStyle")
            rstyle_id = rstyle.get(f"{_W}val") if rstyle is not None else None
        key = (tag, rstyle_id, pstyle)
        if key not in self._inherited:
            self._inherited[key] = self._styled_property(tag, rstyle_id, pstyle)
        return self._inherited[key]

    def _styled_property(self, tag: str, rstyle: str | None, pstyle: str | None) -> etree._Element | None:
        for style in (*self.chain(rstyle), *self.chain(pstyle)):
            el = style.rpr.find(f"{_W}{tag}") if style.rpr is not None else None
            if el is not None:
                return el
        return self.default_rpr.find(f"{_W}{tag}") if self.default_rpr is not None else None

    def paragraph_fill(self, ppr: etree._Element | None, pstyle: str | None) -> str | None:
        fill = self.colours.fill(ppr)
        if fill is not None:
            return fill
        for style in self.chain(pstyle):
            fill = self.colours.fill(style.ppr)
            if fill is not None:
                return fill
        return None
