"""The commission's A4 documents, drawn with ReportLab: styles, tables, letterhead and page footer.

The approval archive's Lembar Persetujuan and the information service's written notices share one
look (the KPU logo and the office's identity from ``settings.KPU_IDENTITY`` over a rule, Helvetica,
grey-ruled tables); each document passes the few sizes in which they differ to :meth:`Sheet.make`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from django.conf import settings

#: The commission's logo, shipped with the project (a PNG of static/img/logo-kpu.svg: ReportLab draws no SVG).
LOGO = Path(settings.BASE_DIR) / "static" / "img" / "logo-kpu.png"
#: Characters Helvetica (WinAnsi) cannot draw, and what the PDF shows instead.
PDF_CHARACTERS = str.maketrans({"→": "->", "≤": "<=", "≥": ">="})
#: (font size, leading) in points.
Size = tuple[float, float]


@dataclass
class Sheet:
    """The styles of one document and the helpers that draw with them."""

    styles: dict[str, Any]
    default_style: str
    padding: tuple[float, float]  # (top and bottom, left and right) of a table cell, in points
    split_in_row: bool  # a long table row may continue on the next page

    @classmethod
    def make(
        cls,
        *,
        body: Size,
        small: Size,
        cell: Size,
        section: tuple[float, float, float],
        default_style: str,
        padding: tuple[float, float],
        split_in_row: bool = False,
    ) -> Sheet:
        """``section`` is (font size, space before, space after); ``default_style`` the one :meth:`p` uses."""
        body_style = ParagraphStyle(
            "body",
            parent=getSampleStyleSheet()["Normal"],
            fontName="Helvetica",
            fontSize=body[0],
            leading=body[1],
        )
        small_style = ParagraphStyle("small", parent=body_style, fontSize=small[0], leading=small[1])
        cell_style = ParagraphStyle("cell", parent=body_style, fontSize=cell[0], leading=cell[1])
        bold = {"fontName": "Helvetica-Bold"}
        styles = {
            "body": body_style,
            "bold": ParagraphStyle("bold", parent=body_style, **bold),
            "small": small_style,
            "cell": cell_style,
            "cell_bold": ParagraphStyle("cellb", parent=cell_style, **bold),
            "head": ParagraphStyle(
                "head", parent=body_style, fontSize=13, leading=16, alignment=TA_CENTER, **bold
            ),
            "centre": ParagraphStyle("centre", parent=small_style, alignment=TA_CENTER),
            "title": ParagraphStyle(
                "title", parent=body_style, fontSize=12, leading=15, alignment=TA_CENTER, **bold
            ),
            "status": ParagraphStyle("status", parent=body_style, fontSize=11, alignment=TA_CENTER, **bold),
            "section": ParagraphStyle(
                "section",
                parent=body_style,
                fontSize=section[0],
                spaceBefore=section[1],
                spaceAfter=section[2],
                **bold,
            ),
        }
        return cls(styles, default_style, padding, split_in_row)

    def p(self, text: Any, style: str | None = None) -> Paragraph:
        """A paragraph of plain text (escaped, line breaks kept); "—" for none."""
        text = str(text if text not in (None, "") else "—").translate(PDF_CHARACTERS)
        return Paragraph(escape(text).replace("\n", "<br/>"), self.styles[style or self.default_style])

    def section(self, text: str) -> Paragraph:
        return self.p(text, "section")

    def table(
        self, rows: list[list[Any]], widths_mm: Iterable[float], header: bool = False, spans: Iterable = ()
    ) -> Table:
        """A grey-ruled table: a shaded header row, or else a shaded first column."""
        vertical, horizontal = self.padding
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            *[(side, (0, 0), (-1, -1), vertical) for side in ("TOPPADDING", "BOTTOMPADDING")],
            *[(side, (0, 0), (-1, -1), horizontal) for side in ("LEFTPADDING", "RIGHTPADDING")],
        ]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e0e0e0")))
        else:
            style.append(("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f0f0f0")))
        style += [("SPAN", start, end) for start, end in spans]
        table = Table(
            rows,
            colWidths=[width * mm for width in widths_mm],
            repeatRows=1 if header else 0,
            splitInRow=1 if self.split_in_row else 0,
        )
        table.setStyle(TableStyle(style))
        return table

    def key_values(self, rows: Iterable[tuple[str, Any]], widths_mm: tuple[float, float]) -> Table:
        """Label and value per row, the labels in bold on the shaded column."""
        return self.table(
            [[self.p(key, "cell_bold"), self.p(value, "cell")] for key, value in rows], widths_mm
        )


def letterhead(sheet: Sheet, title: str, subtitle: str, rule_gap_mm: float = 3) -> list[Any]:
    """The logo and the office's identity over a rule, then the document's title and the line under it
    (``rule_gap_mm`` apart from the rule); the caller adds what follows, and the space after."""
    kpu = settings.KPU_IDENTITY
    logo = Image(str(LOGO), width=16 * mm, height=16 * mm)
    heading = [
        sheet.p(kpu["long_name"].upper(), "head"),
        sheet.p(
            f"{kpu['address']} · Telp. {kpu['telephone']} · Faks. {kpu['fax']} · {kpu['email']}", "centre"
        ),
    ]
    return [
        Table(
            [[logo, heading]],
            colWidths=[20 * mm, 160 * mm],
            style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)],
        ),
        Spacer(1, 2 * mm),
        Table(
            [[""]],
            colWidths=[180 * mm],
            rowHeights=[1],
            style=[("LINEABOVE", (0, 0), (-1, -1), 1.2, colors.black)],
        ),
        Spacer(1, rule_gap_mm * mm),
        sheet.p(title, "title"),
        sheet.p(subtitle, "centre"),
    ]


def build(story: list[Any], title: str, subject: str, footer_left: str, footer_right: str) -> bytes:
    """The PDF of ``story`` on A4, each page's footer reading ``footer_left`` and
    "``footer_right`` · halaman N"; the commission is its author."""

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.drawString(15 * mm, 10 * mm, footer_left)
        canvas.drawRightString(195 * mm, 10 * mm, f"{footer_right} · halaman {doc.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=settings.KPU_IDENTITY["name"],
        subject=subject,
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
