"""Why a scene pack is refused: `PackError` and its catalogue of sentences, one code per check
in pack_validation.py, scene_pack.py (which re-exports the class) and demo.py."""

from __future__ import annotations

from yousync_desktop.errors import CodedError, QT_TRANSLATE_NOOP


class PackError(CodedError):
    """A scene pack that cannot be imported or exported; its sentence is one user-facing line.

    When the cause is another coded error (a MediaError for a broken file, a DomainError for a
    malformed manifest field, a LibraryError), that error is the `reason` parameter, so the UI
    words it in the learner's language too."""

    messages = {
        # the archive
        "pack.file_not_found": QT_TRANSLATE_NOOP("errors", "{name}: file not found"),
        "pack.not_a_zip": QT_TRANSLATE_NOOP(
            "errors", "{name} is not a scene pack (not a readable ZIP archive)"),
        "pack.damaged": QT_TRANSLATE_NOOP("errors", "{name} is damaged ({detail})"),
        "pack.too_many_entries": QT_TRANSLATE_NOOP(
            "errors", "the archive has {count} entries; a scene pack has at most {limit}"),
        "pack.unsafe_path": QT_TRANSLATE_NOOP("errors", "unsafe path in the archive: {name!r}"),
        "pack.special_file": QT_TRANSLATE_NOOP(
            "errors", "the archive contains a link or special file: {name!r}"),
        "pack.duplicate_member": QT_TRANSLATE_NOOP("errors",
                                                   "the archive contains {name!r} twice"),
        "pack.encrypted": QT_TRANSLATE_NOOP("errors", "encrypted archives are not supported"),
        "pack.member_too_large": QT_TRANSLATE_NOOP(
            "errors", "{name!r} is {size_mb} MB; a file in a scene pack may be at most "
                      "{limit_mb} MB"),
        "pack.zip_bomb": QT_TRANSLATE_NOOP(
            "errors", "{name!r} is compressed suspiciously well (a zip bomb?)"),
        "pack.too_large": QT_TRANSLATE_NOOP(
            "errors", "the archive unpacks to {size_mb} MB; a scene pack may unpack to at most "
                      "{limit_mb} MB"),
        "pack.member_larger_than_claimed": QT_TRANSLATE_NOOP(
            "errors", "{name!r} is larger than its archive entry claims"),
        "pack.no_manifest": QT_TRANSLATE_NOOP("errors", "the archive has no manifest.json"),
        "pack.manifest_too_large": QT_TRANSLATE_NOOP(
            "errors", "manifest.json is {size_mb:.1f} MB; a manifest may be at most {limit_mb} MB"),
        # the manifest
        "pack.manifest_not_utf8": QT_TRANSLATE_NOOP("errors", "manifest.json is not UTF-8 text"),
        "pack.manifest_not_json": QT_TRANSLATE_NOOP(
            "errors", "manifest.json is not valid JSON (line {line}: {detail})"),
        "pack.manifest_not_object": QT_TRANSLATE_NOOP("errors",
                                                      "manifest.json must hold a JSON object"),
        "pack.not_a_manifest": QT_TRANSLATE_NOOP(
            "errors", "manifest.json is not a YouSync scene pack manifest"),
        "pack.unsupported_version": QT_TRANSLATE_NOOP(
            "errors", "unsupported scene pack version {version!r}; "
                      "this app reads version {supported}"),
        "pack.bad_pack_id": QT_TRANSLATE_NOOP(
            "errors", "manifest.json: 'pack_id' must be 1–100 letters, digits, '.', '-' or '_'"),
        "pack.no_token": QT_TRANSLATE_NOOP("errors", "manifest.json: missing the 'token' object"),
        "pack.no_media": QT_TRANSLATE_NOOP("errors", "manifest.json: missing the 'media' object"),
        "pack.bad_token": QT_TRANSLATE_NOOP("errors", "manifest.json: {reason}"),
        "pack.unknown_media_kind": QT_TRANSLATE_NOOP(
            "errors", "manifest.json: unknown media kind {kind!r}"),
        "pack.missing_media_kind": QT_TRANSLATE_NOOP(
            "errors", "manifest.json: the pack has no {kind} file"),
        "pack.unsafe_media_path": QT_TRANSLATE_NOOP(
            "errors", "manifest.json: unsafe {kind} path {name!r}"),
        "pack.wrong_media_type": QT_TRANSLATE_NOOP(
            "errors", "{name!r}: unsupported file type for the {kind}"),
        "pack.media_not_in_archive": QT_TRANSLATE_NOOP(
            "errors", "{name!r} is named in the manifest but missing from the archive"),
        "pack.shared_media_file": QT_TRANSLATE_NOOP(
            "errors", "manifest.json: two media kinds point at the same file"),
        # the timeline
        "pack.clip_reversed": QT_TRANSLATE_NOOP(
            "errors", "the scene's start time is not before its end time"),
        "pack.no_lines": QT_TRANSLATE_NOOP("errors", "the scene has no lines"),
        "pack.duplicate_line_id": QT_TRANSLATE_NOOP("errors", "two lines share the id {line}"),
        "pack.line_of_other_token": QT_TRANSLATE_NOOP(
            "errors", "line {line} belongs to token {token}, not {expected}"),
        "pack.line_without_text": QT_TRANSLATE_NOOP("errors", "line {line} has no text"),
        "pack.line_reversed": QT_TRANSLATE_NOOP("errors", "line {line} ends before it starts"),
        "pack.line_outside_clip": QT_TRANSLATE_NOOP("errors", "line {line} lies outside the clip"),
        "pack.lines_out_of_order": QT_TRANSLATE_NOOP(
            "errors", "line {line} starts before the previous line ends (lines out of order)"),
        "pack.duplicate_word_id": QT_TRANSLATE_NOOP("errors", "two words share the id {word_id}"),
        "pack.word_of_other_line": QT_TRANSLATE_NOOP(
            "errors", "word {word_id} belongs to line {line}, not {expected}"),
        "pack.word_reversed": QT_TRANSLATE_NOOP(
            "errors", "word {word!r} in line {line} ends before it starts"),
        "pack.word_outside_line": QT_TRANSLATE_NOOP("errors",
                                                    "word {word!r} lies outside line {line}"),
        "pack.words_out_of_order": QT_TRANSLATE_NOOP("errors",
                                                     "the words of line {line} are out of order"),
        "pack.pitch_not_increasing": QT_TRANSLATE_NOOP("errors",
                                                       "pitch times are not strictly increasing"),
        "pack.pitch_outside_clip": QT_TRANSLATE_NOOP("errors",
                                                     "a pitch point lies outside the clip"),
        "pack.implausible_pitch": QT_TRANSLATE_NOOP("errors", "implausible pitch value {hz} Hz"),
        # the limits of a practice scene (pack_validation.py, docs/scene-pack.md)
        "pack.clip_too_long": QT_TRANSLATE_NOOP(
            "errors", "the clip lasts {seconds:.1f} s; a scene may last at most {limit:.0f} s"),
        "pack.name_too_long": QT_TRANSLATE_NOOP(
            "errors", "manifest.json: '{field}' has {count} characters; at most {limit} are "
                      "allowed"),
        "pack.too_many_lines": QT_TRANSLATE_NOOP(
            "errors", "the scene has {count} lines; a scene may have at most {limit}"),
        "pack.line_too_long": QT_TRANSLATE_NOOP(
            "errors", "line {line} lasts {seconds:.1f} s; a line may last at most {limit:.0f} s"),
        "pack.line_text_too_long": QT_TRANSLATE_NOOP(
            "errors", "the text of line {line} has {count} characters; a line may have at most "
                      "{limit}"),
        "pack.translation_too_long": QT_TRANSLATE_NOOP(
            "errors", "the translation of line {line} has {count} characters; a translation may "
                      "have at most {limit}"),
        "pack.too_many_words_in_line": QT_TRANSLATE_NOOP(
            "errors", "line {line} has {count} words; a line may have at most {limit}"),
        "pack.too_many_words": QT_TRANSLATE_NOOP(
            "errors", "the scene has {count} words; a scene may have at most {limit}"),
        "pack.word_too_long": QT_TRANSLATE_NOOP(
            "errors", "a word of line {line} has {count} characters; a word may have at most "
                      "{limit}"),
        "pack.too_many_pitch_points": QT_TRANSLATE_NOOP(
            "errors", "the pitch contour has {count} points; a scene may have at most {limit}"),
        "pack.pitch_too_dense": QT_TRANSLATE_NOOP(
            "errors", "the pitch contour has {count} points for a {seconds:.1f} s clip; at most "
                      "{limit} are allowed ({per_second:.0f} per second)"),
        "pack.media_too_large": QT_TRANSLATE_NOOP(
            "errors", "the {kind} file {name!r} is {size_mb:.1f} MB; for a {clip:.1f} s clip it "
                      "may be at most {limit_mb:.1f} MB"),
        # the media files
        "pack.track_too_short": QT_TRANSLATE_NOOP(
            "errors", "the {kind} track is {duration:.1f} s long but the clip is {clip:.1f} s"),
        "pack.track_too_long": QT_TRANSLATE_NOOP(
            "errors", "the {kind} track lasts more than {limit:.1f} s but the clip is only "
                      "{clip:.1f} s"),
        "pack.video_length": QT_TRANSLATE_NOOP(
            "errors", "the video is {duration:.1f} s long but the clip is {clip:.1f} s"),
        "pack.bad_media": QT_TRANSLATE_NOOP("errors", "{reason}"),  # reason: a MediaError
        # the library
        "pack.other_version_present": QT_TRANSLATE_NOOP(
            "errors", "a different version of “{title}” is already in the library; "
                      "delete it first to replace it"),
        "pack.library_refused": QT_TRANSLATE_NOOP("errors", "{reason}"),  # reason: a LibraryError
        "pack.media_missing_in_library": QT_TRANSLATE_NOOP(
            "errors", "the scene's {kind} file is missing from the library ({path})"),
        # the bundled demo scenes (library/demo.py)
        "pack.demo_failed": QT_TRANSLATE_NOOP("errors", "{name}: {reason}"),
        "pack.demo_install_failed": QT_TRANSLATE_NOOP("errors",
                                                      "could not install demo scenes: {failures}"),
    }
