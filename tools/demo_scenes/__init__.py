"""The demo scene packs (``resources/demo_scenes/*.yspack``) that ship with YouSync Desktop.

Three scenes in the format of ``docs/scene-pack.md``, built entirely from material made here, no
third-party media:

* the actor's vocal is speech synthesised with eSpeak NG (through ``libespeak-ng``, so that every
  word's start comes from the synthesiser's own word events) — ``vocal.py``;
* the pitch contour is librosa's pYIN on that vocal track — ``vocal.py``;
* the background track (bgvoice) is music and ambience synthesised with numpy — ``music.py``;
* the clip video is rendered frame by frame with numpy and encoded with ffmpeg/libx264, and the
  thumbnail is one of its frames — ``video.py``;
* what the scenes say and look like is in ``scenes.py``; ``build.py`` puts one scene together and
  writes it with the app's own pack writer (``yousync_desktop.library.scene_pack.write_pack``).

Run ``python tools/make_demo_scenes.py [--out DIR]`` or ``python -m tools.demo_scenes`` from the
repository root (``make demo-scenes`` does the first). Requirements: numpy, scipy, librosa and
soundfile; the eSpeak NG shared library (Debian ``libespeak-ng1``) and ``ffmpeg`` built with
libx264 and libvorbis. Every random choice uses a fixed seed and the pack writer is deterministic,
so re-running with the same tool versions yields byte-identical packs.
"""

SAMPLE_RATE = 48_000  # of every audio track
PEAK_LIMIT = 0.89  # about -1 dBFS, for the vocal and the background alike


class GenerationError(RuntimeError):
    """A scene cannot be generated as defined (the message names the scene and the problem)."""
