"""The shared wire shapes read what the public backend sends (nulls where it sends them, fields
our server adds absent) and what our server sends, and agree with the desktop's domain reader."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from yousync_desktop.domain import Token as DomainToken
from yousync_desktop.sync import contract

PUBLIC_DETAIL = {
    "id": 7, "token_name": "Scene", "actor_name": "Actor", "category": None, "start_time": 10.0,
    "end_time": 18.0, "youtube_url": None, "thumbnail_url": None, "view_count": 3,
    "s3_textgrid_url": "a/b.TextGrid", "s3_pitch_url": None, "s3_bgvoice_url": "a/bg.wav",
    "bgvoice_url": "https://bucket/a/bg.wav?X-Amz-Signature=x", "pitch": None,
    "scripts": [{"id": 1, "token_id": 7, "start_time": 10.0, "end_time": 12.0, "script": "Hi",
                 "translation": None,
                 "words": [{"id": 1, "script_id": 1, "start_time": None, "end_time": None,
                            "word": None, "probability": None}]}]}


def test_a_public_token_detail_parses_and_matches_the_domain_reader():
    detail = contract.TokenDetail.model_validate(PUBLIC_DETAIL)
    assert detail.pitch is None and detail.video_url is None and detail.vocal_url is None
    assert detail.scripts[0].words[0].word is None
    domain = DomainToken.from_api(PUBLIC_DETAIL)
    assert domain.to_api() == {k: v for k, v in detail.model_dump().items()
                               if k not in ("video_url", "vocal_url")}


def test_public_auth_answers_parse_without_our_additions():
    login = contract.AccessToken.model_validate({"access_token": "x", "token_type": "bearer"})
    assert login.refresh_token is None and login.expires_in is None
    user = contract.User.model_validate({
        "id": 1, "email": "a@b.c", "google_id": None, "full_name": None, "profile_picture": None,
        "is_active": True, "login_type": "email", "created_at": "2026-11-26T06:15:53",
        "updated_at": None})
    assert user.created_at.year == 2026


def test_stored_bodies_refuse_what_no_database_keeps():
    good = {"token_id": 1, "start_time": 1.0, "end_time": 2.0, "script": "Hi"}
    contract.ScriptWrite.model_validate(good)
    for bad in ({"script": "a\x00b"}, {"start_time": float("nan")}, {"token_id": 2**40}):
        with pytest.raises(ValidationError):
            contract.ScriptWrite.model_validate({**good, **bad})
