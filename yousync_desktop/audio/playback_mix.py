"""What the learner hears for one line: the background track, the actor's voice if asked for, and
a count-in, as one buffer ready for the engine's output.

Tracks are decoded once per scene (`SceneAudio.load`) at the stream's rate and channel count, so
building a line's mix is only slicing and adding. A file that cannot be used is refused with a
`PlaybackFileError` saying which file and why; anything libsndfile decodes (WAV, FLAC, Ogg
Vorbis/Opus, MP3) is converted: channels are folded or duplicated, other rates are resampled.

Times: scripts carry absolute seconds of the source video; the media start at `token.start_time`,
and `Token.clip_offset` is the one conversion. A `LineMix` records where in its buffer the line
starts and ends, so the take can be cut at the sample where the line's start is played.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

from yousync_desktop.analysis.audio_io import resample
from yousync_desktop.audio.errors import PlaybackFileError

MAX_TRACK_SECONDS = 30 * 60  # a scene clip is minutes long; more is a wrong file, not a clip


def decode_track(path: Path, sample_rate: int, channels: int) -> np.ndarray:
    """The whole file as float32 frames × `channels` at `sample_rate`."""
    name = Path(path).name
    try:
        with soundfile.SoundFile(str(path)) as audio:
            native_rate, native_channels, frames = audio.samplerate, audio.channels, audio.frames
            if frames > MAX_TRACK_SECONDS * native_rate:
                raise PlaybackFileError("audio.track_too_long", file=name,
                                        minutes=frames / native_rate / 60)
            samples = audio.read(dtype="float32", always_2d=True)
    except PlaybackFileError:
        raise
    except (soundfile.LibsndfileError, RuntimeError, OSError, TypeError) as exc:
        raise PlaybackFileError("audio.track_undecodable", file=name, reason=str(exc)) from None
    if samples.shape[0] == 0 or native_channels == 0:
        raise PlaybackFileError("audio.track_empty", file=name)
    if not np.isfinite(samples).all():
        raise PlaybackFileError("audio.track_invalid_samples", file=name)
    samples = convert_channels(samples, channels)
    samples = resample(samples, native_rate, sample_rate)  # the project's one resampling policy
    return np.ascontiguousarray(samples, dtype=np.float32)


def convert_channels(samples: np.ndarray, channels: int) -> np.ndarray:
    """Fold or spread frames × n to frames × `channels` without losing any channel's content:
    mono is copied to every output channel; stereo to mono is the average; a surround file goes
    through mono rather than guessing its layout."""
    have = samples.shape[1]
    if have == channels:
        return samples
    if have == 2 and channels == 1 or have > 2:
        mono = samples.mean(axis=1, keepdims=True, dtype=np.float32)
        return mono if channels == 1 else np.repeat(mono, channels, axis=1)
    return np.repeat(samples[:, :1], channels, axis=1)  # mono to stereo


def db_to_gain(db: float) -> float:
    return 10.0 ** (db / 20.0)


@dataclass(frozen=True)
class CountIn:
    """Clicks before the line starts, `interval_s` apart; the last one is higher, like a
    conductor's "and". `beats=3` gives clicks at −3, −2 and −1 intervals before the line."""

    beats: int = 3
    interval_s: float = 0.5
    level_db: float = -12.0

    @property
    def duration_s(self) -> float:
        return self.beats * self.interval_s


def click(sample_rate: int, *, accent: bool = False, level_db: float = -12.0) -> np.ndarray:
    """A 25 ms tone burst with a fast attack and smooth decay: clear over music, no pop."""
    length = int(0.025 * sample_rate)
    t = np.arange(length) / sample_rate
    tone = np.sin(2 * np.pi * (1760.0 if accent else 1320.0) * t)
    envelope = np.minimum(1.0, t / 0.001) * np.exp(-t / 0.006)
    return (tone * envelope * db_to_gain(level_db)).astype(np.float32)


@dataclass(frozen=True)
class LineMix:
    """One line's playback buffer and where the line sits in it (indexes into `samples`)."""

    samples: np.ndarray   # frames × channels, float32
    sample_rate: int
    line_start: int       # the sample at which the script's start_time is played
    line_end: int         # the sample at which the script's end_time is played
    script_start: float   # absolute seconds (source video timeline)
    script_end: float
    clip_start: float     # clip seconds of samples[0] (negative: silence before the clip)

    @property
    def lead_in_s(self) -> float:
        return self.line_start / self.sample_rate

    def clip_time(self, index: float) -> float:
        """Clip seconds of buffer sample `index` (for a playhead that follows the audio)."""
        return self.clip_start + index / self.sample_rate


class SceneAudio:
    """A scene's decoded tracks, ready to mix lines from."""

    def __init__(self, token, background: np.ndarray, vocal: np.ndarray | None,
                 sample_rate: int):
        self.token = token  # its clip_offset() maps the scripts' absolute times onto the media
        self.background = background
        self.vocal = vocal
        self.sample_rate = sample_rate

    @classmethod
    def load(cls, token, bgvoice: Path, vocal: Path | None, *, sample_rate: int,
             channels: int) -> "SceneAudio":
        background = decode_track(bgvoice, sample_rate, channels)
        voice = decode_track(vocal, sample_rate, channels) if vocal is not None else None
        return cls(token, background, voice, sample_rate)

    @property
    def channels(self) -> int:
        return self.background.shape[1]

    def _slice(self, track: np.ndarray, first: int, frames: int) -> np.ndarray:
        """`frames` samples of `track` from index `first`, silence where the track has none."""
        out = np.zeros((frames, track.shape[1]), dtype=np.float32)
        lo, hi = max(first, 0), min(first + frames, track.shape[0])
        if lo < hi:
            out[lo - first:hi - first] = track[lo:hi]
        return out

    def line_mix(self, script, *, lead_in_s: float = 2.0, tail_s: float = 1.0,
                 vocal_gain_db: float | None = None, count_in: CountIn | None = None) -> LineMix:
        """The mix for `script`: `lead_in_s` of the scene before the line (at least the count-in),
        the line, `tail_s` after. `vocal_gain_db=None` leaves the actor's voice out."""
        rate = self.sample_rate
        if count_in is not None:
            lead_in_s = max(lead_in_s, count_in.duration_s + 0.25)
        clip_line_start = self.token.clip_offset(script.start_time)
        clip_line_end = self.token.clip_offset(script.end_time)
        line_start = int(round(lead_in_s * rate))
        line_end = line_start + int(round((clip_line_end - clip_line_start) * rate))
        frames = line_end + int(round(tail_s * rate))
        first = int(round(clip_line_start * rate)) - line_start
        mix = self._slice(self.background, first, frames)
        if vocal_gain_db is not None and self.vocal is not None:
            mix += self._slice(self.vocal, first, frames) * db_to_gain(vocal_gain_db)
        if count_in is not None:
            for beat in range(count_in.beats, 0, -1):
                sound = click(rate, accent=beat == 1, level_db=count_in.level_db)
                at = line_start - int(round(beat * count_in.interval_s * rate))
                if at >= 0:
                    end = min(at + sound.shape[0], frames)
                    mix[at:end] += sound[:end - at, None]
        peak = float(np.max(np.abs(mix))) if mix.size else 0.0
        if peak > 1.0:  # never clip the speakers: pull the whole line down a little instead
            mix *= 0.999 / peak
        return LineMix(samples=mix, sample_rate=rate, line_start=line_start, line_end=line_end,
                       script_start=script.start_time, script_end=script.end_time,
                       clip_start=first / rate)


def line_mix_from_files(token, script, bgvoice: Path, vocal: Path | None = None, *,
                        sample_rate: int = 48000, channels: int = 2, **options) -> LineMix:
    """Convenience for one line (tests, CLI); the practice screen keeps a `SceneAudio` instead."""
    scene = SceneAudio.load(token, bgvoice, vocal if options.get("vocal_gain_db") is not None
                            else None, sample_rate=sample_rate, channels=channels)
    return scene.line_mix(script, **options)


def silence_mix(script_start: float, script_end: float, *, sample_rate: int = 48000,
                lead_in_s: float = 1.0, tail_s: float = 0.5, channels: int = 1) -> LineMix:
    """A silent line (a scene without background audio, or a test)."""
    line_start = int(round(lead_in_s * sample_rate))
    line_end = line_start + int(math.ceil((script_end - script_start) * sample_rate))
    frames = line_end + int(round(tail_s * sample_rate))
    return LineMix(np.zeros((frames, channels), dtype=np.float32), sample_rate, line_start,
                   line_end, script_start, script_end, clip_start=-lead_in_s)
