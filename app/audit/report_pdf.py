"""The call report as PDF, written by Qt's own QPdfWriter from a QTextDocument (QtGui; works offscreen)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument
from PySide6.QtSvg import QSvgRenderer

from app.audit.report import plot_svg, report_html, report_title
from app.audit.sessions import SessionRecord

PLOT_URL = "callshield://timeline.png"
PLOT_SCALE = 2  # the plot is drawn at twice its size: sharp in print


def ensure_gui_app() -> QGuiApplication:
    """Qt needs an application object for fonts; without a display the offscreen platform serves."""
    app = QGuiApplication.instance()
    if app is None:
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) and os.name == "posix":
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(["callshield-report"])
    return app  # type: ignore[return-value]


def svg_image(svg: str, scale: int = PLOT_SCALE) -> QImage:
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    size = renderer.defaultSize()
    image = QImage(size.width() * scale, size.height() * scale, QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def write_pdf(session: SessionRecord, out_dir: Path) -> Path:
    """Writes `callshield-report-<session>.pdf` (A4) into `out_dir` and returns its path."""
    ensure_gui_app()
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"callshield-report-{session.session_id}.pdf"
    writer = QPdfWriter(str(path))
    writer.setTitle(report_title(session))
    writer.setCreator("CallShield")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    writer.setResolution(300)
    svg = plot_svg(session)
    image = svg_image(svg)
    doc = QTextDocument()
    doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(PLOT_URL), image)
    page = writer.pageLayout().paintRectPoints()
    doc.setPageSize(QSizeF(page.width(), page.height()))  # document units are points: the plot fits the width
    height = page.width() * image.height() / image.width()
    doc.setHtml(report_html(session, f'<img src="{PLOT_URL}" width="{page.width() - 8:.0f}" height="{height:.0f}"/>'))
    doc.print_(writer)
    return path
