"""The scene's clip, muted, following the audio engine's clock (the master clock).

`follow(clip_seconds)` is called by the window's timer with the position being heard; the video
plays on its own clock in between and is moved only when it drifts by more than DRIFT_S (seeking
every tick would stutter). `follow(None)` pauses it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QSizePolicy, QWidget

DRIFT_S = 0.08


class VideoView(QVideoWidget):
    def __init__(self, video: Path | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 180)
        # No QAudioOutput: the player stays silent; all sound comes from the audio engine.
        self.player = QMediaPlayer(self)
        self.player.setVideoOutput(self)
        self.seeks = 0
        if video is not None:
            self.player.setSource(QUrl.fromLocalFile(str(video)))

    def has_video(self) -> bool:
        return not self.player.source().isEmpty()

    def follow(self, clip_seconds: float | None) -> None:
        if not self.has_video():
            return
        player = self.player
        if clip_seconds is None:
            if player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
                player.pause()
            return
        target_ms = int(max(clip_seconds, 0.0) * 1000)
        if abs(player.position() - target_ms) > DRIFT_S * 1000:
            player.setPosition(target_ms)
            self.seeks += 1
        if player.playbackState() != QMediaPlayer.PlaybackState.PlayingState:
            player.play()

    def show_still(self, clip_seconds: float) -> None:
        """Paused on the frame at `clip_seconds` (the current line's start)."""
        if not self.has_video():
            return
        self.player.pause()
        self.player.setPosition(int(max(clip_seconds, 0.0) * 1000))

    def release(self) -> None:
        self.player.stop()
        self.player.setSource(QUrl())


def grab_with_video(window: QWidget):
    """`window.grab()` with each VideoView's current frame painted in: QVideoWidget renders
    outside the widget tree and grabs blank (docs/testing.md). For screenshots."""
    from PySide6.QtCore import QPoint, QRect, Qt
    from PySide6.QtGui import QPainter

    pixmap = window.grab()
    painter = QPainter(pixmap)
    for view in window.findChildren(VideoView):
        frame = view.videoSink().videoFrame()
        if not view.isVisible() or not frame.isValid():
            continue
        image = frame.toImage()
        area = QRect(view.mapTo(window, QPoint(0, 0)), view.size())
        painter.fillRect(area, Qt.GlobalColor.black)
        scaled = image.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio,
                              Qt.TransformationMode.SmoothTransformation)
        painter.drawImage(area.x() + (area.width() - scaled.width()) // 2,
                          area.y() + (area.height() - scaled.height()) // 2, scaled)
    painter.end()
    return pixmap
