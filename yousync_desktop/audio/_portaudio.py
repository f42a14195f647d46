"""Import sounddevice lazily, so the app (and `import yousync_desktop.audio`) still starts on a
machine without the PortAudio library and says what is missing instead of crashing.

Also the one place that knows about a *wedged* PortAudio: when a sound server dies under an open
stream, the ALSA pulse plug-in can deadlock PortAudio's callback thread, and closing that stream
then never returns. Such a stream is abandoned (`mark_wedged`): new streams still open fine, but
PortAudio must not be terminated any more (re-scanning devices, or sounddevice's own exit handler),
because terminating closes every stream and would hang the app.
"""

from __future__ import annotations

import atexit
import logging
from types import ModuleType

from yousync_desktop.audio.errors import AudioDeviceError

log = logging.getLogger(__name__)
_wedged = False
_open_streams = 0  # streams the engine has open: terminating PortAudio would kill them


def sounddevice() -> ModuleType:
    try:
        import sounddevice as sd
    except OSError as exc:  # the wheel on Linux does not bundle PortAudio
        raise AudioDeviceError("audio.portaudio_missing", reason=str(exc)) from None
    return sd


def mark_wedged() -> None:
    global _wedged
    if not _wedged:
        _wedged = True
        log.warning("an audio stream could not be closed; it is abandoned")
        atexit.unregister(sounddevice()._exit_handler)


def stream_opened() -> None:
    global _open_streams
    _open_streams += 1


def stream_closed() -> None:
    global _open_streams
    _open_streams = max(0, _open_streams - 1)


def rescan() -> bool:
    """Make PortAudio enumerate devices again (it lists them once, at initialisation): needed after
    a device is plugged in or the sound server comes back. Returns False, keeping the old list,
    when it cannot be done safely: a stream is open (terminating PortAudio would close it) or one
    is wedged."""
    if _wedged or _open_streams:
        return False
    sd = sounddevice()
    sd._terminate()
    sd._initialize()
    return True
