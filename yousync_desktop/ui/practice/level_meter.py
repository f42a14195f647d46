"""The input level: a bar from −60 to 0 dBFS with the peak held, and a red CLIP light."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from yousync_desktop.ui.practice.palette import FAIR, GOOD, POOR

FLOOR_DB = -60.0
HOT_DB = -12.0      # above this the bar turns amber
LOUD_DB = -3.0      # and red above this


class LevelMeter(QWidget):
    """Vertical meter. `show_reading(rms_dbfs, peak_dbfs, clipping)` from the UI's timer."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rms_db = FLOOR_DB
        self.peak_db = FLOOR_DB
        self.clipping = False
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(90)
        self.retranslate_ui()

    def sizeHint(self) -> QSize:
        return QSize(30, 160)

    def show_reading(self, rms_dbfs: float, peak_dbfs: float, clipping: bool) -> None:
        changed = (abs(rms_dbfs - self.rms_db) > 0.5 or abs(peak_dbfs - self.peak_db) > 0.5
                   or clipping != self.clipping)
        self.rms_db, self.peak_db, self.clipping = rms_dbfs, peak_dbfs, clipping
        if changed:
            self.setToolTip(self.tr("Input level {rms:.0f} dBFS, peak {peak:.0f} dBFS").format(
                rms=rms_dbfs, peak=peak_dbfs))
            self.update()

    @staticmethod
    def _fraction(db: float) -> float:
        return min(1.0, max(0.0, (db - FLOOR_DB) / -FLOOR_DB))

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        light = 14
        bar = QRectF(6, light + 6, self.width() - 12, self.height() - light - 10)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.palette().mid().color().lighter(130))
        painter.drawRoundedRect(bar, 4, 4)
        level = self._fraction(self.rms_db)
        color = POOR if self.rms_db > LOUD_DB else FAIR if self.rms_db > HOT_DB else GOOD
        filled = QRectF(bar.left(), bar.bottom() - bar.height() * level, bar.width(),
                        bar.height() * level)
        painter.setBrush(color)
        painter.drawRoundedRect(filled, 4, 4)
        peak_y = bar.bottom() - bar.height() * self._fraction(self.peak_db)
        painter.setBrush(self.palette().text().color())
        painter.drawRect(QRectF(bar.left(), peak_y - 1, bar.width(), 2))
        painter.setBrush(POOR if self.clipping else QColor(POOR).lighter(175))
        painter.drawEllipse(QRectF(self.width() / 2 - 5, 2, 10, 10))

    def retranslate_ui(self) -> None:
        self.setAccessibleName(self.tr("Input level"))
        self.setAccessibleDescription(self.tr("Microphone level; the light turns red when the "
                                              "input clips"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
