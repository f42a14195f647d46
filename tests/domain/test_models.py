"""The domain model reads and writes the API's JSON shapes (docs/yousync-api.md §3.0, §4.4)."""

import json

import pytest

from yousync_desktop.domain import DomainError, Score, Token, WordScore, parse_timestamp, rank_for

TOKEN_DETAIL = {
    "id": 7, "token_name": "비 오는 밤", "actor_name": "Mina Park", "category": "드라마",
    "start_time": 10.0, "end_time": 18.0, "youtube_url": "https://youtu.be/abc", "thumbnail_url": None,
    "view_count": 3, "s3_textgrid_url": "k/tg", "s3_pitch_url": "k/p.json", "s3_bgvoice_url": "k/bg.wav",
    "bgvoice_url": "https://s3.example/bg.wav?sig=1",
    "pitch": [{"time": 10.01, "hz": 182.4}, {"time": 10.02, "hz": None}],
    "scripts": [{"id": 1, "token_id": 7, "start_time": 10.5, "end_time": 13.5,
                 "script": "I don't know who you are", "translation": "당신이 누군지 몰라요",
                 "words": [{"id": 1, "script_id": 1, "start_time": 10.5, "end_time": 10.58,
                            "word": "I", "probability": 0.95},
                           {"id": 2, "script_id": 1, "start_time": None, "end_time": None,
                            "word": None, "probability": None}]}],
}


def test_token_detail_round_trips_through_json():
    token = Token.from_api(json.loads(json.dumps(TOKEN_DETAIL, ensure_ascii=False)))
    assert token.scripts[0].words[1].word is None
    assert token.pitch[1].hz is None
    assert token.to_api() == TOKEN_DETAIL


def test_token_summary_shape_has_no_detail_fields():
    summary = Token.from_api(TOKEN_DETAIL).to_api(detail=False)
    assert "scripts" not in summary and "pitch" not in summary and "bgvoice_url" not in summary
    assert Token.from_api(summary).scripts == []


def test_our_servers_additive_fields_are_kept():
    data = dict(TOKEN_DETAIL, video_url="https://x/clip.mp4", vocal_url="https://x/vocal.wav")
    assert Token.from_api(data).to_api() == data


def test_clip_offset_is_relative_to_token_start():
    token = Token.from_api(TOKEN_DETAIL)
    assert token.clip_offset(token.scripts[0].start_time) == pytest.approx(0.5)
    assert token.duration == 8.0


def test_null_pitch_is_allowed():
    assert Token.from_api(dict(TOKEN_DETAIL, pitch=None)).pitch is None


@pytest.mark.parametrize("field, value, message", [
    ("id", "7", "token.id: expected an integer"),
    ("start_time", None, "token.start_time: expected a finite number"),
    ("token_name", 5, "token.token_name: expected a string"),
    ("scripts", {"a": 1}, "token.scripts: expected a list"),
])
def test_wrong_types_name_the_field(field, value, message):
    with pytest.raises(DomainError, match=message):
        Token.from_api(dict(TOKEN_DETAIL, **{field: value}))


def test_missing_field_is_named():
    data = {k: v for k, v in TOKEN_DETAIL.items() if k != "actor_name"}
    with pytest.raises(DomainError, match="missing field 'actor_name'"):
        Token.from_api(data)


def test_nested_errors_say_where():
    bad = json.loads(json.dumps(TOKEN_DETAIL))
    bad["scripts"][0]["words"][0]["start_time"] = "later"
    with pytest.raises(DomainError, match=r"token.scripts\[0\].words\[0\].start_time"):
        Token.from_api(bad)


SERVER_RESULT = {
    "overall_score": 0.712,
    "word_analysis": [
        {"word": "Looking", "text_status": "pass", "time_match": True, "overlap_ratio": 0.82,
         "mfcc_similarity": 0.61, "word_score": 0.683},
        {"word": "for", "text_status": "fail", "time_match": False, "overlap_ratio": 0.1,
         "mfcc_similarity": 0.5, "word_score": 0.4},
        {"word": "you", "text_status": "pass"},
    ],
    "summary": {"text_accuracy": 0.67},
}


def test_server_result_uses_the_web_clients_formulas():
    score = Score.from_api_result(SERVER_RESULT)
    assert score.overall_score == 0.712
    assert score.pronunciation == pytest.approx((0.683 + 0.4 + 0) / 3)  # missing counts as 0
    assert score.intonation == pytest.approx((0.61 + 0.5 + 0) / 3)
    assert score.timing == pytest.approx(2 / 3)
    assert score.raw == SERVER_RESULT and score.source == "server"


def test_score_round_trips_through_library_json():
    score = Score(overall_score=0.9, pronunciation=0.92, intonation=0.88, timing=0.97,
                  words=[WordScore(word="I", word_score=0.9, time_match=True, timing_offset_ms=-12.0,
                                   pitch_error_semitones=0.8)],
                  issues=["The take starts 120 ms late."])
    again = Score.from_json(json.loads(json.dumps(score.to_json())))
    assert again == score
    assert score.to_json()["rank"] == "A"


@pytest.mark.parametrize("rate, rank", [(0.95, "S"), (0.9499, "A"), (0.85, "A"), (0.70, "B"),
                                        (0.6999, "C"), (0.0, "C")])
def test_rank_thresholds_match_the_web(rate, rank):
    assert rank_for(rate) == rank


def test_timestamps_are_lenient_and_utc():
    assert parse_timestamp("2026-11-26T06:15:53").tzinfo is not None
    assert parse_timestamp("2026-11-26T06:15:53.123Z") == parse_timestamp("2026-11-26T06:15:53.123")
    assert parse_timestamp("2026-11-26T08:15:53+02:00") == parse_timestamp("2026-11-26T06:15:53")


def test_score_issue_details_round_trip_and_bad_ones_are_refused():
    from yousync_desktop.domain import ScoreIssue

    late = ScoreIssue("started_late", "You started 0.42 s late.", {"seconds": 0.42})
    score = Score(overall_score=0.5, issues=[late.text], issue_details=[late])
    data = score.to_json()
    assert data["issues"] == ["You started 0.42 s late."]  # the API's shape stays sentences
    assert Score.from_json(data).issue_details == [late]
    assert "issue_details" not in Score(overall_score=0.5).to_json()
    for bad in ({"code": "x"}, {"code": "x", "text": "t", "params": {"n": [1]}},
                {"code": "x", "text": "t", "params": {"flag": True}}):
        with pytest.raises(DomainError):
            Score.from_json({**data, "issue_details": [bad]})
