"""How the scene browser paints a row: a card with the thumbnail, title, actor, category, length
and number of lines."""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPalette, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from yousync_desktop.library import SceneSummary
from yousync_desktop.ui.formatting import format_duration
from yousync_desktop.ui.scene_list_model import SCENE_ROLE, THUMBNAIL_SIZE, line_count_text
from yousync_desktop.ui.style import ACCENT_COLOR

CARD_PADDING = 8
CARD_MARGIN = 4


class SceneCardDelegate(QStyledItemDelegate):
    """Paints a row as a card: thumbnail on the left, title / actor / details on the right."""

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        return QSize(320, THUMBNAIL_SIZE.height() + 2 * (CARD_PADDING + CARD_MARGIN))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        scene: SceneSummary | None = index.data(SCENE_ROLE)
        if scene is None:
            return super().paint(painter, option, index)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = option.palette
        card = QRectF(option.rect.adjusted(CARD_MARGIN, CARD_MARGIN, -CARD_MARGIN, -CARD_MARGIN))
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)

        background = palette.color(QPalette.ColorRole.Base)
        border = palette.color(QPalette.ColorRole.Mid)
        if selected:
            background = QColor(ACCENT_COLOR)
            background.setAlpha(40)
            border = QColor(ACCENT_COLOR)
        elif hovered:
            background = palette.color(QPalette.ColorRole.AlternateBase)
        painter.setPen(border)
        painter.setBrush(background)
        painter.drawRoundedRect(card, 8, 8)

        thumb_rect = QRectF(card.left() + CARD_PADDING, card.top() + CARD_PADDING,
                            THUMBNAIL_SIZE.width(), THUMBNAIL_SIZE.height())
        self._paint_thumbnail(painter, thumb_rect, index.data(Qt.ItemDataRole.DecorationRole),
                              scene.token_name)

        text_left = int(thumb_rect.right()) + 12
        text_width = int(card.right()) - CARD_PADDING - text_left
        top = int(card.top()) + CARD_PADDING
        text_color = palette.color(QPalette.ColorRole.Text)
        muted = QColor(text_color)
        muted.setAlpha(170)

        title_font = _scaled_font(option.font, 1.1)
        title_font.setBold(True)
        top = self._draw_line(painter, title_font, text_color, text_left, top, text_width,
                              scene.token_name)
        top = self._draw_line(painter, option.font, text_color, text_left, top + 2, text_width,
                              scene.actor_name)

        details = f"{format_duration(scene.duration)} · {line_count_text(scene.line_count)}"
        small_font = _scaled_font(option.font, 0.95)
        left = text_left
        if scene.category:
            left = self._draw_chip(painter, small_font, left, top + 4, scene.category) + 8
        self._draw_line(painter, small_font, muted, left, top + 4 + 2,
                        text_left + text_width - left, details)
        painter.restore()

    @staticmethod
    def _draw_line(painter: QPainter, font: QFont, color: QColor, left: int, top: int, width: int,
                   text: str) -> int:
        painter.setFont(font)
        painter.setPen(color)
        metrics = painter.fontMetrics()
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(0, width))
        painter.drawText(QRect(left, top, max(0, width), metrics.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)
        return top + metrics.height()

    @staticmethod
    def _draw_chip(painter: QPainter, font: QFont, left: int, top: int, text: str) -> int:
        painter.setFont(font)
        metrics = painter.fontMetrics()
        rect = QRectF(left, top, metrics.horizontalAdvance(text) + 14, metrics.height() + 4)
        fill = QColor(ACCENT_COLOR)
        fill.setAlpha(30)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.setPen(QColor(ACCENT_COLOR).darker(130))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        return int(rect.right())

    @staticmethod
    def _paint_thumbnail(painter: QPainter, rect: QRectF, pixmap: QPixmap | None, title: str) -> None:
        clip = QPainterPath()
        clip.addRoundedRect(rect, 6, 6)
        painter.save()
        painter.setClipPath(clip)
        if pixmap is not None:
            # Fill the 16:9 box, cropping the centre of thumbnails with another shape.
            source = QRectF(pixmap.rect())
            scale = max(rect.width() / source.width(), rect.height() / source.height())
            crop_w, crop_h = rect.width() / scale, rect.height() / scale
            source = QRectF(source.center().x() - crop_w / 2, source.center().y() - crop_h / 2,
                            crop_w, crop_h)
            painter.drawPixmap(rect, pixmap, source)
        else:
            painter.fillRect(rect, QColor(ACCENT_COLOR).lighter(160))
            font = _scaled_font(painter.font(), 2)
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(QColor("white"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, title[:1])
        painter.restore()


def _scaled_font(font: QFont, factor: float) -> QFont:
    scaled = QFont(font)
    if font.pointSizeF() > 0:
        scaled.setPointSizeF(font.pointSizeF() * factor)
    else:  # a font sized in pixels reports no point size
        scaled.setPixelSize(max(1, round(font.pixelSize() * factor)))
    return scaled
