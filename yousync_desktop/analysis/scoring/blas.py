"""BLAS thread policy for the score's small matrix products."""

from __future__ import annotations

import contextlib
from functools import lru_cache


@lru_cache(maxsize=1)
def _blas_controller():
    try:
        from threadpoolctl import ThreadpoolController  # comes with librosa (via scikit-learn)
    except ImportError:
        return None
    return ThreadpoolController()


def single_threaded_blas():
    """The matrices here are small: BLAS threads only add wake-up stalls, and on a busy 2-core
    machine those stalls (tens of ms) dominated the score's worst-case latency."""
    controller = _blas_controller()
    return contextlib.nullcontext() if controller is None else controller.limit(
        limits=1, user_api="blas")
