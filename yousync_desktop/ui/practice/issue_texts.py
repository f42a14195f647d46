"""What is wrong with a take, in the learner's language.

The quick score (analysis/quick_score.py) gives each issue a code, its numbers and the English
sentence the API carries. Here each code has its sentence as a translatable template with the same
placeholders, so the Korean UI says it in Korean; an issue without a code (a server result) or with
an unknown one is shown as sent.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from yousync_desktop.domain import Score, ScoreIssue


class IssueTexts(QObject):
    def _templates(self) -> dict[str, str]:
        # Spelled self.tr(...) each time: pyside6-lupdate finds the context only in that form.
        return {
            "reference_unreadable": self.tr("The actor's reference could not be read as audio."),
            "reference_unusable": self.tr("The actor's reference audio is empty or has an "
                                          "unusable sample rate."),
            "window_not_a_number": self.tr("The recording window's start time is not a number."),
            "no_reference": self.tr("The actor's reference has no voice for this line, so the "
                                    "take can't be compared with it."),
            "noise_only": self.tr("Only noise was recorded: no voice was found in the take."),
            "silent": self.tr("No voice was recorded: the take is silent. Check the microphone."),
            "unreadable": self.tr("The take could not be read as audio."),
            "empty": self.tr("The take is empty."),
            "unusable_rate": self.tr("The take's sample rate ({rate} Hz) is not a usable audio "
                                     "rate."),
            "invalid_samples": self.tr("The recording contained {count} invalid samples (NaN or "
                                       "infinity); they were treated as silence."),
            "low_rate": self.tr("The take was recorded at {rate} Hz; use at least {reliable} Hz. "
                                "Without the high frequencies the score is less reliable."),
            "too_short": self.tr("The take is far too short ({seconds:.2f} s) to cover the line, "
                                 "which ends {needed:.2f} s into the recording window."),
            "clipped": self.tr("The recording is clipped ({percent:.1f} % of the voiced samples "
                               "hit full scale), which distorts the voice: lower the input level."),
            "latency_not_a_number": self.tr("The round-trip latency given is not a number; none "
                                            "was subtracted."),
            "less_speech": self.tr("The take has much less speech than the actor's line "
                                   "({take:.1f} s against {actor:.1f} s)."),
            "more_speech": self.tr("The take has much more speech than the actor's line "
                                   "({take:.1f} s against {actor:.1f} s)."),
            "started_late": self.tr("You started {seconds:.2f} s late."),
            "started_early": self.tr("You started {seconds:.2f} s early."),
            "slower": self.tr("You spoke about {percent:.0f} % slower than the actor."),
            "faster": self.tr("You spoke about {percent:.0f} % faster than the actor."),
            "words_unlike_line": self.tr("The words don't sound like the line's words."),
            "words_unlike_actor": self.tr("These words didn't sound like the actor's: {words}."),
            "intonation_flat": self.tr("Your intonation doesn't follow the actor's melody (it "
                                       "sounds flat)."),
            "intonation_off": self.tr("Your intonation doesn't follow the actor's melody."),
            "too_little_voice": self.tr("Too little of the take was voiced to compare the melody."),
        }

    def text(self, issue: ScoreIssue, templates: dict[str, str] | None = None) -> str:
        template = (templates or self._templates()).get(issue.code)
        if template is None:
            return issue.text
        try:
            return template.format(**issue.params)
        except (KeyError, ValueError, IndexError):  # a translation with a broken placeholder
            return issue.text

    def texts(self, score: Score) -> list[str]:
        if score.issue_details:
            templates = self._templates()
            return [self.text(issue, templates) for issue in score.issue_details]
        return list(score.issues)
