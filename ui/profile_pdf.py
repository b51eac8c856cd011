"""The one-page PDF of a :class:`ui.printable.Profile`, made with ReportLab: a map inset, a table of figures,
a few sentences, and what residents said.

Everything is laid out in one frame that shrinks to fit, so the profile is always exactly one page (Letter,
with margins that also fit A4). User text is escaped: it is printed exactly as typed, never as markup."""

from __future__ import annotations

import io
import math
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import reportlab
import shapely
from reportlab.graphics.shapes import Drawing, Polygon
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepInFrame, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ui.printable import Profile

FONT, BOLD = "Vera", "VeraBd"  # Bitstream Vera ships with ReportLab: accents, ±, dashes and quotes print
MARGIN = 0.6 * inch  # Letter with these margins also fits an A4 sheet
HIGHLIGHT, OTHERS = colors.HexColor("#bd0026"), colors.HexColor("#e6e6e6")


def _fonts() -> None:
    folder = Path(reportlab.__file__).parent / "fonts"
    for name, file in ((FONT, "Vera.ttf"), (BOLD, "VeraBd.ttf")):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(folder / file)))


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=17, leading=21, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", fontName=FONT, fontSize=8.5, leading=11, textColor=colors.dimgrey),
        "heading": ParagraphStyle("heading", fontName=BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=3),
        "body": ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, spaceAfter=3),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=9),
        "head": ParagraphStyle("head", fontName=BOLD, fontSize=7.5, leading=9),
        "quote": ParagraphStyle(
            "quote",
            fontName=FONT,
            fontSize=8.5,
            leading=11,
            leftIndent=10,
            spaceAfter=4,
            textColor=colors.HexColor("#222222"),
        ),  # fmt: skip
        "small": ParagraphStyle("small", fontName=FONT, fontSize=7, leading=9, textColor=colors.dimgrey),
    }


def inset_map(geojson: dict, highlighted: set[int], size: float = 2.3 * inch) -> Drawing:
    """Chicago's 77 areas, the ``highlighted`` ones filled, drawn to scale (longitudes shrunk by the
    cosine of Chicago's latitude)."""
    shapes = {int(f["properties"]["number"]): shapely.geometry.shape(f["geometry"]) for f in geojson["features"]}
    west, south, east, north = shapely.unary_union(list(shapes.values())).bounds
    squeeze = math.cos(math.radians((south + north) / 2))
    scale = size / max((east - west) * squeeze, north - south)
    drawing = Drawing((east - west) * squeeze * scale, (north - south) * scale)
    for number, shape in shapes.items():
        for polygon in getattr(shape, "geoms", [shape]):
            points = [
                c for x, y in polygon.exterior.coords for c in ((x - west) * squeeze * scale, (y - south) * scale)
            ]
            fill = HIGHLIGHT if number in highlighted else OTHERS
            drawing.add(Polygon(points, fillColor=fill, strokeColor=colors.white, strokeWidth=0.4))
    return drawing


def _table(frame: pd.DataFrame, styles: dict, width: float) -> Table:
    rows = [[Paragraph(escape(str(c)), styles["head"]) for c in frame.columns]]
    rows += [[Paragraph(escape(str(v)), styles["cell"]) for v in record] for record in frame.itertuples(index=False)]
    table = Table(rows, colWidths=[width / len(frame.columns)] * len(frame.columns), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def profile_pdf(profile: Profile, geojson: dict) -> bytes:
    """The profile as a one-page PDF."""
    _fonts()
    styles = _styles()
    width, height = LETTER[0] - 2 * MARGIN, LETTER[1] - 2 * MARGIN
    beside = [Paragraph(escape(s), styles["body"]) for s in profile.sentences]
    top = Table([[inset_map(geojson, profile.highlighted), beside]], colWidths=[2.5 * inch, width - 2.5 * inch])
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story = [
        Paragraph(escape(profile.title), styles["title"]),
        Paragraph(escape(profile.subtitle), styles["subtitle"]),
        Spacer(1, 8),
        top,
        Spacer(1, 6),
        _table(profile.table, styles, width),
    ]
    if profile.notes_heading:
        story.append(Paragraph(escape(profile.notes_heading), styles["heading"]))
    if profile.themes:
        story.append(Paragraph(escape(profile.themes), styles["body"]))
    story += [Paragraph("“" + escape(quote) + "”", styles["quote"]) for quote in profile.quotes]
    story += [Paragraph(escape(note), styles["small"]) for note in profile.footnotes]
    buffer = io.BytesIO()
    margins = {f"{side}Margin": MARGIN for side in ("left", "right", "top", "bottom")}
    document = SimpleDocTemplate(buffer, pagesize=LETTER, title=profile.title, author="Chicago digital equity map",
                                 **margins)  # fmt: skip
    document.build([KeepInFrame(width, height, story, mode="shrink")])
    return buffer.getvalue()
