"""Errors in the learner's language: a refused scene pack and the broken file behind it, worded
through the Korean catalogue the app ships (a real QTranslator loaded from the .qm); exceptions
without a code and database failures in one line with no detail; the error dialog's "Copy
details"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTranslator

from tests.library.pack_factory import valid_spec
from yousync_desktop.library.demo import FailureList
from yousync_desktop.library.media_probe import MediaError
from yousync_desktop.library.scene_pack import PackError, import_pack
from yousync_desktop.practice.errors import PracticeError
from yousync_desktop.ui.error_texts import describe_error
from yousync_desktop.ui.i18n import translations_dir


@pytest.fixture
def korean(qapp):
    translator = QTranslator()
    assert translator.load("yousync_ko", str(translations_dir()))
    qapp.installTranslator(translator)
    yield
    qapp.removeTranslator(translator)


@pytest.fixture
def refused_pack(library, pack_media, tmp_path) -> PackError:
    """A real refusal: a pack whose thumbnail is a GIF is stopped by the media probe."""
    spec = valid_spec(pack_media)
    spec.files[spec.manifest["media"]["thumbnail"]] = b"GIF89a......"
    with pytest.raises(PackError) as caught:
        import_pack(library, spec.write(tmp_path / "gif.yspack"))
    return caught.value


def test_a_refused_pack_reads_in_english_without_a_translator(qapp, refused_pack):
    assert refused_pack.code == "pack.bad_media"
    assert isinstance(refused_pack.params["reason"], MediaError)
    assert describe_error(refused_pack) == str(refused_pack) == (
        "thumbnail.png: thumbnail is not a PNG or JPEG image")


def test_a_refused_pack_and_its_cause_read_in_korean(korean, refused_pack):
    assert describe_error(refused_pack) == "thumbnail.png: 미리보기 이미지가 PNG나 JPEG 형식이 아닙니다"


def test_nested_causes_and_lists_are_worded_all_the_way_down(korean):
    broken = PackError("pack.bad_media",
                       reason=MediaError("media.unsupported_rate", name="bgvoice.wav", rate=4000))
    error = PackError("pack.demo_install_failed", failures=FailureList([
        PackError("pack.demo_failed", name="a.yspack", reason=broken),
        PackError("pack.demo_failed", name="b.yspack", reason=PackError("pack.encrypted")),
    ]))
    assert describe_error(error) == (
        "데모 장면을 설치하지 못했습니다: a.yspack: bgvoice.wav: 지원하지 않는 샘플레이트(4000 Hz)입니다; "
        "b.yspack: 암호화된 압축 파일은 지원하지 않습니다")
    assert str(error) == ("could not install demo scenes: a.yspack: bgvoice.wav: unsupported "
                          "sample rate 4000 Hz; b.yspack: encrypted archives are not supported")


def test_numbers_keep_their_format_in_korean(korean):
    error = PackError("pack.track_too_short", kind="bgvoice", duration=1.04, clip=3.0)
    assert describe_error(error) == "bgvoice 트랙의 길이는 1.0초인데 클립은 3.0초입니다"
    assert describe_error(PackError("pack.member_too_large", name="media/clip.mp4", size_mb=712,
                                    limit_mb=640)) \
        == "'media/clip.mp4' 파일이 712 MB입니다. 장면 팩의 파일은 최대 640 MB까지 허용됩니다"


def test_a_system_error_behind_a_failure_is_shown_as_its_text(korean):
    error = PracticeError("practice.take_not_saved",
                          reason=OSError(28, "No space left on device"))
    assert describe_error(error) == "테이크를 저장하지 못했습니다: [Errno 28] No space left on device"


def test_strings_pass_through_and_bugs_say_what_they_were_without_their_detail(qapp):
    assert describe_error("The microphone was unplugged.") == "The microphone was unplugged."
    assert describe_error(KeyError("track")) == (
        "Something went wrong (KeyError). Details are in the log.")
    assert describe_error(ValueError("first\nsecond")) == (
        "Something went wrong (ValueError). Details are in the log.")


def test_a_bug_reads_in_korean_too(korean):
    assert describe_error(ValueError("x")) == "문제가 발생했습니다(ValueError). 자세한 내용은 로그에 있습니다."


def _database_failure(tmp_path) -> Exception:
    """A real SQLAlchemy error: a query on a file that is not a database."""
    from sqlalchemy import create_engine, text

    database = tmp_path / "library.sqlite3"
    database.write_bytes(b"not a database at all" * 64)
    try:
        with create_engine(f"sqlite:///{database}").connect() as connection:
            connection.execute(text("SELECT * FROM takes WHERE id = :id"), {"id": 42})
    except Exception as error:  # noqa: BLE001 - the failure is what the test wants
        return error
    raise AssertionError("the query should have failed")


def test_a_database_failure_never_shows_its_sql_even_as_a_cause(korean, tmp_path):
    failure = _database_failure(tmp_path)
    assert "SELECT" in str(failure)
    assert describe_error(failure) == "라이브러리 데이터베이스 파일이 손상되었습니다."
    nested = PracticeError("practice.take_not_saved", reason=failure)
    assert describe_error(nested) == "테이크를 저장하지 못했습니다: 라이브러리 데이터베이스 파일이 손상되었습니다."


def test_a_cause_that_is_a_bug_is_not_shown_as_its_text(qapp):
    nested = PracticeError("practice.take_not_scored",
                           reason=IndexError("index 7 is out of bounds"))
    assert "out of bounds" not in describe_error(nested)
    assert "Something went wrong (IndexError)" in describe_error(nested)


# --- the error dialog ----------------------------------------------------------------------------

def test_the_error_dialog_copies_the_details_and_stays_open(qtbot, tmp_path):
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QWidget

    from yousync_desktop.ui.error_dialog import show_error

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    failure = _database_failure(tmp_path)
    box = show_error(parent, "Import failed", "Could not import scene.yspack.", failure)
    assert box.text() == "Could not import scene.yspack."
    assert box.informativeText() == "The library's database file is damaged."
    box.copy_button.click()
    assert box.isVisible()  # copying is not an answer: the dialog stays
    copied = QGuiApplication.clipboard().text()
    assert "sqlalchemy.exc.DatabaseError" in copied and "SELECT * FROM takes" in copied
    assert "Traceback (most recent call last)" in copied and "log:" in copied
    assert box.copy_button.text() == "Details copied"
    box.button(box.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not parent.findChildren(type(box)))
