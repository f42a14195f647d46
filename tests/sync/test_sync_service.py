"""The sync layer as a window uses it, through AppServices and the task manager: the connection
check as a task, takes marked by hand or queued on their own as they are recorded, a sync pass
with progress, and a lapsed session that asks to sign in again while keeping the queued takes."""

from __future__ import annotations

import pytest

from tests.sync.conftest import QUICK_RETRY
from tests.sync.outbox_helpers import add_scene, add_take
from yousync_desktop.events import JobStateChanged, RecordingBus
from yousync_desktop.services import AppServices
from yousync_desktop.sync import contract
from yousync_desktop.sync.outbox_worker import FollowPolicy
from yousync_desktop.sync.service import SyncService

QUICK_FOLLOW = FollowPolicy(first_wait=0.01, max_wait=0.05, job_timeout=120)


@pytest.fixture
def services(app_paths, memory_keyring):
    bus = RecordingBus()
    built = AppServices.build(app_paths, events=bus)
    built.sync.close()  # the same service, with quick retries for the test
    built.sync = SyncService(built.settings, built.library, built.tasks,
                             client_options={"retry": QUICK_RETRY}, follow=QUICK_FOLLOW)
    try:
        yield built
    finally:
        built.close()


def test_check_mark_and_sync_through_the_task_manager(services, standin, tmp_path):
    sync = services.sync
    sync.profiles.add("public", standin.url)
    sync.profiles.use("public")
    checks = []
    sync.check_connection(on_success=checks.append)
    assert checks[0].ok and "YouSync API 1.0.0" in checks[0].summary()

    key = add_scene(services.library)
    take = add_take(services.library, key, 3, tmp_path / "rec")
    item = sync.mark_for_sync(take.id)
    summaries, progress = [], []
    sync.sync_now(on_success=summaries.append, on_progress=lambda f, _l: progress.append(f))
    assert summaries[0].completed == [item.id] and progress[-1] == 1.0
    assert services.tasks.history[-1] == "sync takes"
    assert [s.source for s in services.library.scores(take.id)] == ["server"]


def test_new_takes_are_queued_and_sent_on_their_own_when_the_setting_is_on(
        services, standin, tmp_path):
    services.sync.profiles.add("public", standin.url)
    services.sync.profiles.use("public")
    services.settings.update(sync_takes_automatically=True)
    key = add_scene(services.library)
    take = add_take(services.library, key, 3, tmp_path / "rec")
    items = services.sync.outbox.items("public")
    assert [(i.take_id, i.state) for i in items] == [(take.id, "completed")]
    assert len(standin.state.uploads) == 1


def test_a_rejected_session_asks_to_sign_in_again_and_keeps_the_queued_takes(
        services, standin, tmp_path):
    sync = services.sync
    sync.profiles.add("public", standin.url)
    sync.profiles.use("public")
    sync.session().adopt(contract.AccessToken(access_token="no-longer-valid", expires_in=3600))
    key = add_scene(services.library)
    item = sync.mark_for_sync(add_take(services.library, key, 3, tmp_path / "rec").id)
    summaries = []
    sync.sync_now(on_success=summaries.append)
    assert summaries[0].stopped_by.code == "sync.sign_in_required"
    assert summaries[0].still_queued == [item.id]
    assert not sync.session().signed_in and standin.state.uploads == []
    assert sync.outbox.get(item.id).state == "queued"
    events = [e for e in services.events.published if isinstance(e, JobStateChanged)]
    assert events[-1].state == "queued" and "sign in" in events[-1].message

    # Signed in again (here: a session the stand-in knows), the same take goes, once.
    sync.session().adopt(contract.AccessToken(access_token=standin.state.issue("l@example.com"),
                                              expires_in=3600))
    sync.sync_now(on_success=summaries.append)
    assert summaries[1].completed == [item.id]
    assert [u["user"] for u in standin.state.uploads] == ["l@example.com"]
