"""A small catalogue written straight into the database, and jobs as the job engine would leave
them, so the read routes have something to answer about."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from yousync_server.db.models import (
    Actor, ActorAlias, Job, Script, Token, TokenActor, User, Word,
)
from yousync_server.services.catalogue import register_source_video

T0 = datetime(2026, 11, 26, 6, 0, 0)


def add_token(session, name: str, actor: str, *, category="드라마", start=10.0, end=18.0,
              youtube_url=None, views=0, lines=(("Hello there", 10.5, 12.0),),
              aliases=()) -> Token:
    token = Token(token_name=name, actor_name=actor, category=category, start_time=start,
                  end_time=end, youtube_url=youtube_url, view_count=views,
                  pitch=[{"time": start, "hz": None}, {"time": start + 0.01, "hz": 182.4}],
                  scripts=[Script(start_time=s, end_time=e, script=text, translation=None,
                                  words=[Word(start_time=s, end_time=e, word=w, probability=0.9)
                                         for w in text.split()])
                           for text, s, e in lines])
    session.add(token)
    session.flush()
    actor_row = session.query(Actor).filter_by(name=actor).one_or_none()
    if actor_row is None:
        actor_row = Actor(name=actor)
        session.add(actor_row)
        session.flush()
        for alias in (actor, *aliases):
            session.add(ActorAlias(actor_id=actor_row.id, alias=alias))
    session.add(TokenActor(token_id=token.id, actor_id=actor_row.id))
    if youtube_url:
        register_source_video(session, youtube_url)
    session.commit()
    return token


def standard_catalogue(sessions) -> dict[str, int]:
    """Four tokens: two of one actor from one video (a duet), a long one, a comedy."""
    with sessions() as session:
        ids = {
            "promise": add_token(session, "비 오는 밤의 약속", "Mina Park", category="드라마",
                                 youtube_url="https://youtu.be/AAA", views=5,
                                 aliases=("박미나",),
                                 lines=(("I don't know who you are", 10.5, 12.0),
                                        ("Promise me", 13.0, 14.0))).id,
            "reply": add_token(session, "약속의 대답", "Daniel Reyes", category="드라마",
                               youtube_url="https://youtu.be/AAA", views=9).id,
            "chase": add_token(session, "옥상 추격전", "Mina Park", category="액션",
                               start=100.0, end=130.0, youtube_url="https://youtu.be/BBB",
                               views=1).id,
            "joke": add_token(session, "Kitchen joke", "Sam Lee", category="코미디",
                              youtube_url="https://youtu.be/CCC").id,
        }
    return ids


def add_user(session, email: str) -> User:
    user = User(email=email, login_type="google")
    session.add(user)
    session.commit()
    return user


def add_job(session, *, user_id, token_id, script_id, score=None, status="completed",
            minutes=0, kind="script") -> Job:
    result = None
    if score is not None:
        result = {"result": {"overall_score": score, "word_analysis": []},
                  "script_id": script_id}
    job = Job(job_id=uuid.uuid4().hex, kind=kind, token_id=token_id, script_id=script_id,
              user_id=user_id, status=status, progress=100 if status == "completed" else 40,
              result=result, created_at=T0 + timedelta(minutes=minutes))
    session.add(job)
    session.commit()
    return job
