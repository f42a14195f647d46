"""The practice screen's rules, without Qt: which actions are open in which state."""

from __future__ import annotations

import dataclasses

import pytest

from yousync_desktop.practice.screen_state import FAILED, READY, STARTING, ScreenState


def opened(state: ScreenState) -> set[str]:
    return {name for name, on in dataclasses.asdict(state.available()).items() if on}


def test_while_the_audio_starts_only_the_library_is_usable():
    state = ScreenState(audio=STARTING, line=1, line_count=3, has_take=True)
    assert opened(state) == {"previous", "next", "star", "delete", "export_dub"}
    assert not state.idle and not state.can_reopen_audio


def test_ready_and_idle_opens_everything_but_stop():
    state = ScreenState(audio=READY, line=1, line_count=3, has_take=True)
    assert opened(state) == {f.name for f in dataclasses.fields(state.available())} - {"stop"}
    assert state.idle and state.can_play_take and state.can_reopen_audio


def test_stop_needs_something_playing_or_recording():
    assert not ScreenState(audio=READY).available().stop
    assert ScreenState(audio=READY, playing=True).available().stop
    assert ScreenState(audio=READY, recording=True).available().stop
    assert not ScreenState(audio=FAILED, playing=True).available().stop


def test_while_recording_only_record_and_stop_remain():
    state = ScreenState(audio=READY, line=1, line_count=3, recording=True, has_take=True)
    assert opened(state) == {"record", "stop"}
    assert not state.can_change_line and not state.can_change_take
    assert not state.can_reopen_audio


def test_a_failed_audio_still_lets_the_learner_look_at_takes_and_switch_devices():
    state = ScreenState(audio=FAILED, line=0, line_count=3, has_take=True)
    assert opened(state) == {"next", "star", "delete", "export_dub"}
    assert state.can_reopen_audio and not state.can_play_take


@pytest.mark.parametrize("line, expected", [(0, {"next"}), (1, {"previous", "next"}),
                                            (2, {"previous"})])
def test_previous_and_next_stop_at_the_ends(line, expected):
    state = ScreenState(audio=FAILED, line=line, line_count=3)
    assert opened(state) & {"previous", "next"} == expected


def test_one_line_scene_has_no_neighbours():
    assert opened(ScreenState(audio=READY, line=0, line_count=1)) & {"previous", "next"} == set()


def test_take_actions_need_a_take():
    state = ScreenState(audio=READY, line=0, line_count=3, has_take=False)
    assert not opened(state) & {"play_take", "ab", "fixed", "star", "delete"}


def test_an_unknown_audio_state_is_refused():
    with pytest.raises(ValueError):
        ScreenState(audio="paused")
