"""The practice screen's services, without Qt: a session per scene (lines, takes, scores), the live
pitch feed, playback on the audio clock, and the learner's dub."""

from yousync_desktop.practice.lines import LineStatus, LineSummary
from yousync_desktop.practice.recording import Recording, RecordingOutcome
from yousync_desktop.practice.session import PracticeError, PracticeOptions, PracticeSession

__all__ = ["LineStatus", "LineSummary", "PracticeError", "PracticeOptions", "PracticeSession",
           "Recording", "RecordingOutcome"]
