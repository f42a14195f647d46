"""Actors and actor search (§3.3): substring matches on any alias (Korean or English) first,
then fuzzy matches by trigram similarity above 0.25.

The similarity is pg_trgm's, computed here in Python so SQLite and PostgreSQL give the same
answers: the words of a lower-cased string, each padded with two spaces before and one after, cut
into three-character pieces; similarity is shared pieces over all pieces. Aliases are a small,
indexed table (one row per spelling of an actor), read once per search.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from yousync_desktop.sync import contract
from yousync_server.db.models import Actor, ActorAlias, Token, TokenActor
from yousync_server.services.errors import BadRequest

SIMILARITY_THRESHOLD = 0.25
_WORD = re.compile(r"\w+", re.UNICODE)


def trigrams(text: str) -> set[str]:
    grams: set[str] = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: str, b: str) -> float:
    first, second = trigrams(a), trigrams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def list_actors(session: Session, skip: int, limit: int) -> list[Actor]:
    return list(session.scalars(select(Actor).order_by(Actor.id).offset(skip).limit(limit)))


def create_actor(session: Session, body: contract.ActorWrite) -> Actor:
    name = body.name.strip()
    if session.scalar(select(Actor.id).where(Actor.name == name)) is not None:
        raise BadRequest("Actor already exists")
    actor = Actor(name=name)
    session.add(actor)
    session.flush()
    session.add(ActorAlias(actor_id=actor.id, alias=name))
    session.commit()
    return actor


def search(session: Session, query: str, limit: int) -> list[Actor]:
    """Substring matches (in actor id order), then fuzzy ones (most similar first)."""
    needle = query.strip().lower()
    if not needle:
        return []
    names = session.execute(select(Actor.id, Actor.name)).all()
    aliases = session.execute(select(ActorAlias.actor_id, ActorAlias.alias)).all()
    spellings: dict[int, list[str]] = {actor_id: [name] for actor_id, name in names}
    for actor_id, alias in aliases:
        spellings.setdefault(actor_id, []).append(alias)
    substring = sorted(actor_id for actor_id, texts in spellings.items()
                       if any(needle in text.lower() for text in texts))
    scored = []
    for actor_id, texts in spellings.items():
        if actor_id in substring:
            continue
        best = max(similarity(needle, text) for text in texts)
        if best > SIMILARITY_THRESHOLD:
            scored.append((-best, actor_id))
    ordered = (substring + [actor_id for _score, actor_id in sorted(scored)])[:limit]
    by_id = {actor.id: actor for actor in
             session.scalars(select(Actor).where(Actor.id.in_(ordered)))}
    return [by_id[actor_id] for actor_id in ordered if actor_id in by_id]


def tokens_of_matching_actors(session: Session, query: str, skip: int, limit: int) -> list[Token]:
    actors = search(session, query, limit=50)
    if not actors:
        return []
    of_actors = select(TokenActor.token_id).where(TokenActor.actor_id.in_([a.id for a in actors]))
    stmt = (select(Token).where(Token.id.in_(of_actors)).options(defer(Token.pitch))
            .order_by(Token.id).offset(skip).limit(limit))
    return list(session.scalars(stmt))


def add_alias(session: Session, actor_id: int, alias: str) -> None:
    exists = session.scalar(select(ActorAlias.id).where(ActorAlias.actor_id == actor_id,
                                                        ActorAlias.alias == alias))
    if exists is None:
        session.add(ActorAlias(actor_id=actor_id, alias=alias))
        session.commit()
