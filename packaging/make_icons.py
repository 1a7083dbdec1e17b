"""Renders CallShield's SVG icon into the files each platform's packaging wants: PNG (Linux), ICO (Windows), ICNS (macOS).

    python packaging/make_icons.py OUT_DIR [SVG]

SVG defaults to assets/icons/callshield.svg when the app ships one, else packaging/linux/callshield.svg.
Runs anywhere PySide6 and Pillow do (no display needed), so every platform's build makes its own icons.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def default_svg() -> Path:
    own = REPO / "assets" / "icons" / "callshield.svg"
    return own if own.is_file() else REPO / "packaging" / "linux" / "callshield.svg"


def render(svg: Path, size: int):  # -> PIL.Image.Image
    from PIL import Image
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {svg} is not a readable SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return Image.open(io.BytesIO(bytes(data))).convert("RGBA")


def main(argv: list[str]) -> int:
    if not argv or len(argv) > 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    svg = Path(argv[1]) if len(argv) > 1 else default_svg()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    qapp = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # QSvgRenderer needs one
    out.mkdir(parents=True, exist_ok=True)
    big = render(svg, 1024)
    render(svg, 256).save(out / "callshield.png")
    (out / "callshield.svg").write_bytes(svg.read_bytes())
    big.save(out / "callshield.ico", sizes=[(s, s) for s in ICO_SIZES])
    big.save(out / "callshield.icns", sizes=[(s, s) for s in ICNS_SIZES])
    del qapp
    print(f"make_icons: {svg} -> {out}/callshield.{{svg,png,ico,icns}}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
