"""Our layout fitted to the profile's text width: the tab stops of our headers and footers, and the
widths of our tables.

Our default templates are laid out for their own page (A4, 2.5 cm margins: 16 cm of text). A
profile's page and margins give another text width; a right tab stop at our 16 cm would then stand
beyond the right margin (the page counter "2 (3)" runs off the header), and a table of our full
width would run into the margin. Each section's text width before and after the profile's page
setup gives a ratio; the tab stops of the headers and footers the section shows are scaled by it,
and the tables in the section are fitted to it (:func:`_fitted`).
"""

from __future__ import annotations

from lxml import etree

from hallbardocs.render.profile.opc import R, W

__all__ = ["fit_tables", "fit_tabs", "header_ratios", "text_width"]

_W = f"{{{W}}}"
_R = f"{{{R}}}"


def _twips(element: etree._Element | None, attribute: str) -> int:
    value = element.get(f"{_W}{attribute}") if element is not None else None
    try:
        return int(value) if value is not None else 0
    except ValueError:  # a measure with a unit ("2cm") is not ours to scale
        return 0


def text_width(section: etree._Element) -> int | None:
    """The width between the margins of ``section`` (twips), or ``None`` where it sets no page size."""
    size = section.find(f"{_W}pgSz")
    margins = section.find(f"{_W}pgMar")
    width = _twips(size, "w")
    if width <= 0:
        return None
    width -= _twips(margins, "left") + _twips(margins, "right") + _twips(margins, "gutter")
    return width if width > 0 else None


def header_ratios(sections: list[etree._Element], ratios: list[float]) -> dict[str, float]:
    """The ratio for each header and footer, by relationship id: that of the sections that show it
    (a section without a reference of a type shows the previous section's, and a first page's
    only where it has a title page); the smallest where several do, so that it fits in the
    narrowest."""
    inherited: dict[tuple[str, str], str] = {}
    found: dict[str, float] = {}
    for section, ratio in zip(sections, ratios, strict=True):
        for reference in section.iterchildren(f"{_W}headerReference", f"{_W}footerReference"):
            local = etree.QName(reference).localname
            if reference.get(f"{_R}id"):
                inherited[(local, reference.get(f"{_W}type", "default"))] = reference.get(f"{_R}id", "")
        title_page = section.find(f"{_W}titlePg") is not None
        for (_, kind), rid in inherited.items():
            if kind != "first" or title_page:
                found[rid] = min(found.get(rid, ratio), ratio)
    return found


def fit_tabs(root: etree._Element, ratio: float) -> None:
    """The tab stops set on the paragraphs of ``root`` (a header or footer) scaled by ``ratio``."""
    if ratio == 1:
        return
    for stops in root.iter(f"{_W}tabs"):
        for stop in stops.iterfind(f"{_W}tab"):
            position = _twips(stop, "pos")
            if position > 0 and stop.get(f"{_W}val") != "clear":
                stop.set(f"{_W}pos", str(round(position * ratio)))


def fit_tables(body: etree._Element, ratios: list[float]) -> None:
    """The widths of the tables of each section (``ratios`` in the order of the sections, as the
    body's section properties come) fitted to its ratio (see :func:`_fitted`)."""
    section = 0
    for child in body.iterchildren(f"{_W}tbl", f"{_W}p"):
        if child.tag == f"{_W}tbl" and section < len(ratios) and ratios[section] != 1:
            _scale_table(child, ratios[section])
        elif child.find(f"{_W}pPr/{_W}sectPr") is not None:
            section += 1


def _scale_table(table: etree._Element, ratio: float) -> None:
    """A table's width, grid and cells fitted to ``ratio`` of its width (a table in a cell to its cell)."""
    grid = table.find(f"{_W}tblGrid")
    columns = list(grid.iterfind(f"{_W}gridCol")) if grid is not None else []
    old = [_twips(c, "w") for c in columns]
    new = _fitted(old, round(sum(old) * ratio))
    width = table.find(f"{_W}tblPr/{_W}tblW")
    if width is not None and width.get(f"{_W}type") == "dxa" and _twips(width, "w") > 0:
        was = _twips(width, "w")
        width.set(f"{_W}w", str(sum(new) if sum(old) == was else round(was * ratio)))
    for column, value in zip(columns, new, strict=True):
        column.set(f"{_W}w", str(value))
    for row in table.iterfind(f"{_W}tr"):
        _scale_row(row, new, ratio)


def _fitted(widths: list[int], total: int) -> list[int]:
    """Column ``widths`` made to add up to ``total``. Wider: each in proportion. Narrower: the
    widest columns give the width up first, down to a common width, so that a narrow column of
    dates, amounts or statuses keeps its width and the long texts wrap onto more lines instead."""
    if not widths or sum(widths) <= 0:
        return widths
    if total >= sum(widths):
        new = [w * total // sum(widths) for w in widths]
    else:
        excess = sum(widths) - total
        ordered = sorted(widths, reverse=True)
        level = 0
        for k in range(1, len(ordered) + 1):
            level = (sum(ordered[:k]) - excess) // k
            if k == len(ordered) or level >= ordered[k]:
                break
        new = [min(w, max(level, 1)) for w in widths]
    new[widths.index(max(widths))] += total - sum(new)  # what rounding left, to the widest column
    return new


def _scale_row(row: etree._Element, grid: list[int], ratio: float) -> None:
    """Each cell as wide as the grid columns it spans (or its own width scaled, off the grid)."""
    column = _twips(row.find(f"{_W}trPr/{_W}gridBefore"), "val")
    for cell in row.iterfind(f"{_W}tc"):
        span = _twips(cell.find(f"{_W}tcPr/{_W}gridSpan"), "val") or 1
        width = cell.find(f"{_W}tcPr/{_W}tcW")
        own = ratio
        if width is not None and width.get(f"{_W}type") == "dxa":
            was = _twips(width, "w")
            spanned = grid[column : column + span]
            value = sum(spanned) if len(spanned) == span else round(was * ratio)
            width.set(f"{_W}w", str(value))
            own = value / was if was > 0 else ratio
        for inner in cell.iterfind(f"{_W}tbl"):
            _scale_table(inner, own)
        column += span
