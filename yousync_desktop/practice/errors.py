"""`PracticeError`: what the learner asked for on the practice screen cannot be done now.

Its own module so that session.py and recording.py (which session.py imports) both raise it."""

from __future__ import annotations

from yousync_desktop.errors import CodedError, QT_TRANSLATE_NOOP


class PracticeError(CodedError):
    """Something the learner asked for cannot be done now; the code says why, in one line.

    `reason` is the underlying error: an audio device error (as its text while the session keeps
    it as text), or whatever stopped a take from being saved or scored."""

    messages = {
        "practice.no_such_line": QT_TRANSLATE_NOOP("errors",
                                                   "There is no line {number} in this scene."),
        "practice.line_gone": QT_TRANSLATE_NOOP(
            "errors", "This take belongs to a line the scene no longer has."),
        "practice.no_background": QT_TRANSLATE_NOOP(
            "errors", "This scene has no background track to practise with."),
        "practice.closed": QT_TRANSLATE_NOOP("errors", "The practice session is closed."),
        "practice.audio_not_ready": QT_TRANSLATE_NOOP("errors", "The audio is not ready yet."),
        "practice.audio_failed": QT_TRANSLATE_NOOP("errors", "{reason}"),
        "practice.calibrating_during_take": QT_TRANSLATE_NOOP(
            "errors", "Finish the take before calibrating."),
        "practice.already_recording": QT_TRANSLATE_NOOP("errors",
                                                        "A take is already being recorded."),
        "practice.take_file_missing": QT_TRANSLATE_NOOP("errors",
                                                        "The take's audio file is missing."),
        "practice.nothing_to_fix": QT_TRANSLATE_NOOP("errors",
                                                     "There is no voice in this take to fix."),
        "practice.take_not_saved": QT_TRANSLATE_NOOP("errors",
                                                     "The take could not be saved: {reason}"),
        "practice.take_kept_for_next_start": QT_TRANSLATE_NOOP(
            "errors", "The take is kept and will be added to your takes the next time the app "
                      "starts; it could not be added now: {reason}"),
        "practice.take_not_scored": QT_TRANSLATE_NOOP("errors",
                                                      "The take could not be scored: {reason}"),
    }
