"""The scene's clip, muted, following the audio engine's clock (the master clock).

`follow(clip_seconds)` is called by the window's timer with the position being heard. The video
plays on its own clock in between and is steered, not dragged:

- a small drift (beyond NUDGE_DRIFT_S) is taken back by playing a little faster or slower until
  the picture is on time again;
- only a large one (beyond SEEK_DRIFT_S) makes it jump, and then it is left to settle: a seek
  decodes from the last keyframe and the player's clock restarts only when a frame is ready, so
  judging it sooner starts a chase. Seeking at every 80 ms of drift, as this did before, made the
  picture jump several times a second and cost a sixth of a core in decoding (benchmarks.live);
- while the sound stands still (a count-in, or a take whose audio is not heard yet) or is before
  the clip's first frame, the picture waits on the frame being heard.

`follow(None)` pauses it.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QSizePolicy, QWidget

SEEK_DRIFT_S = 0.25    # lip sync is lost well before this; a seek fixes it at once
NUDGE_DRIFT_S = 0.045  # people notice sound ahead of the picture from about 45 ms
ON_TIME_S = 0.015      # a nudge ends here (or when the drift changes sides)
NUDGE_RATE = 0.1       # ±10 %: 45 ms are taken back in under half a second
SETTLE_S = 0.6         # after a seek, the player's clock is not judged for this long
STILL_TICKS = 2        # the same sound position this many times in a row: the sound stands still


class VideoView(QVideoWidget):
    def __init__(self, video: Path | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 180)
        # No QAudioOutput: the player stays silent; all sound comes from the audio engine.
        self.player = QMediaPlayer(self)
        self.player.setVideoOutput(self)
        self.seeks = 0
        self._last_clip: float | None = None
        self._same_clip_ticks = 0
        self._seeked_at = -SETTLE_S
        self._waiting_at: int | None = None  # ms of the frame shown while the sound stands still
        if video is not None:
            self.player.setSource(QUrl.fromLocalFile(str(video)))

    def has_video(self) -> bool:
        return not self.player.source().isEmpty()

    def follow(self, clip_seconds: float | None) -> None:
        if not self.has_video():
            return
        player = self.player
        if clip_seconds is None:
            self._last_clip = None
            self._pause()
            return
        self._same_clip_ticks = self._same_clip_ticks + 1 if clip_seconds == self._last_clip else 0
        self._last_clip = clip_seconds
        target_ms = int(max(clip_seconds, 0.0) * 1000)
        if clip_seconds <= 0.0 or self._same_clip_ticks >= STILL_TICKS:
            self._wait_at(target_ms)
            return
        self._waiting_at = None
        drift_s = (player.position() - target_ms) / 1000
        if player.playbackState() != QMediaPlayer.PlaybackState.PlayingState:
            if abs(drift_s) > NUDGE_DRIFT_S:
                self._seek(target_ms)
            self._set_rate(1.0)
            player.play()
        elif abs(drift_s) > SEEK_DRIFT_S:
            if time.monotonic() - self._seeked_at > SETTLE_S:
                self._seek(target_ms)
                self._set_rate(1.0)
        elif abs(drift_s) > NUDGE_DRIFT_S:
            self._set_rate(1.0 - NUDGE_RATE if drift_s > 0 else 1.0 + NUDGE_RATE)
        elif abs(drift_s) < ON_TIME_S or (player.playbackRate() > 1.0) == (drift_s > 0):
            self._set_rate(1.0)

    def show_still(self, clip_seconds: float) -> None:
        """Paused on the frame at `clip_seconds` (the current line's start)."""
        if not self.has_video():
            return
        self._last_clip = None
        self._pause()
        self._seek(int(max(clip_seconds, 0.0) * 1000))

    def release(self) -> None:
        self.player.stop()
        self.player.setSource(QUrl())

    # --- steering ------------------------------------------------------------------------------

    def _wait_at(self, target_ms: int) -> None:
        self._pause()
        if self._waiting_at is None or abs(self._waiting_at - target_ms) > NUDGE_DRIFT_S * 1000:
            self._waiting_at = target_ms
            if abs(self.player.position() - target_ms) > NUDGE_DRIFT_S * 1000:
                self._seek(target_ms)

    def _pause(self) -> None:
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()

    def _seek(self, target_ms: int) -> None:
        self.player.setPosition(target_ms)
        self.seeks += 1
        self._seeked_at = time.monotonic()

    def _set_rate(self, rate: float) -> None:
        # The player keeps the rate in single precision (1.1 reads back as 1.100000023…).
        if abs(self.player.playbackRate() - rate) > 1e-3:
            self.player.setPlaybackRate(rate)


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
