"""Browsing and writing the token catalogue (§3.2, §3.13 urls, §3.10 duet). Writes are for
admins (§7.11); the routes check that, these functions do the work."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, defer, selectinload

from yousync_desktop.sync import contract
from yousync_server.db.models import Actor, ActorAlias, SourceVideo, Token, TokenActor, Script
from yousync_server.services.errors import NotFound, Unprocessable

TOKEN_NOT_FOUND = "Token not found"
SYNC_COLLECTION_MAX_SECONDS = 20.0


def _page(query, skip: int, limit: int):
    # Lists never show the pitch contour, which is most of a token row's bytes.
    return query.options(defer(Token.pitch)).offset(skip).limit(limit)


def list_tokens(session: Session, order: str, skip: int, limit: int) -> list[Token]:
    orders = {"id": [Token.id], "latest": [Token.id.desc()],
              "popular": [Token.view_count.desc(), Token.id]}
    return list(session.scalars(_page(select(Token).order_by(*orders[order]), skip, limit)))


def sync_collection(session: Session, skip: int, limit: int) -> list[Token]:
    query = (select(Token).where(Token.end_time - Token.start_time < SYNC_COLLECTION_MAX_SECONDS)
             .order_by(func.random()))
    return list(session.scalars(_page(query, skip, limit)))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def by_category(session: Session, category: str, skip: int, limit: int) -> list[Token]:
    pattern = f"%{_escape_like(category.lower())}%"
    query = (select(Token).where(func.lower(Token.category).like(pattern, escape="\\"))
             .order_by(Token.id))
    return list(session.scalars(_page(query, skip, limit)))


def get_token(session: Session, token_id: int) -> Token:
    token = session.get(Token, token_id)
    if token is None:
        raise NotFound(TOKEN_NOT_FOUND)
    return token


def get_detail(session: Session, token_id: int) -> Token:
    token = session.scalar(select(Token).where(Token.id == token_id).options(
        selectinload(Token.scripts).selectinload(Script.words)))
    if token is None:
        raise NotFound(TOKEN_NOT_FOUND)
    return token


def related(session: Session, token_id: int, skip: int, limit: int) -> list[Token]:
    get_token(session, token_id)
    actor_ids = select(TokenActor.actor_id).where(TokenActor.token_id == token_id)
    if session.scalar(select(func.count()).select_from(actor_ids.subquery())) == 0:
        raise NotFound("연결된 배우가 없습니다")
    same_actors = select(TokenActor.token_id).where(TokenActor.actor_id.in_(actor_ids))
    query = (select(Token).where(Token.id.in_(same_actors), Token.id != token_id)
             .order_by(Token.view_count.desc(), Token.id))
    return list(session.scalars(_page(query, skip, limit)))


def add_view(session: Session, token_id: int) -> int:
    """+1 in the database itself, so concurrent views are never lost."""
    changed = session.execute(update(Token).where(Token.id == token_id)
                              .values(view_count=Token.view_count + 1)
                              .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        session.rollback()
        raise NotFound(TOKEN_NOT_FOUND)
    session.commit()
    return session.scalar(select(Token.view_count).where(Token.id == token_id))


# --- catalogue writes (admin) --------------------------------------------------------------------

def link_actor(session: Session, token: Token, actor_name: str) -> None:
    """The token's actor link (and the actor with its name as an alias, if new)."""
    actor = session.scalar(select(Actor).where(Actor.name == actor_name))
    if actor is None:
        actor = Actor(name=actor_name)
        session.add(actor)
        session.flush()
        session.add(ActorAlias(actor_id=actor.id, alias=actor_name))
    session.execute(delete(TokenActor).where(TokenActor.token_id == token.id))
    session.add(TokenActor(token_id=token.id, actor_id=actor.id))


def register_source_video(session: Session, youtube_url: str) -> None:
    if session.scalar(select(SourceVideo.id).where(SourceVideo.youtube_url == youtube_url)) is None:
        session.add(SourceVideo(youtube_url=youtube_url))


def _check_write(session: Session, body: contract.TokenWrite) -> None:
    if body.start_time >= body.end_time:
        raise Unprocessable("start_time은 end_time보다 작아야 합니다")
    # The public backend answers 500 when youtube_url is missing or not yet registered; here a
    # missing one is a 422, and an admin's write registers the video (ingest does the same).
    if not body.youtube_url:
        raise Unprocessable("youtube_url이 필요합니다")
    register_source_video(session, body.youtube_url)


def create_token(session: Session, body: contract.TokenWrite) -> Token:
    _check_write(session, body)
    token = Token(**body.model_dump())
    session.add(token)
    session.flush()
    link_actor(session, token, body.actor_name)
    session.commit()
    return token


def replace_token(session: Session, token_id: int, body: contract.TokenWrite) -> Token:
    token = get_token(session, token_id)
    _check_write(session, body)
    for field, value in body.model_dump().items():
        setattr(token, field, value)
    link_actor(session, token, body.actor_name)
    session.commit()
    return token


def delete_token(session: Session, token_id: int) -> None:
    session.delete(get_token(session, token_id))
    session.commit()


# --- urls and duets ------------------------------------------------------------------------------

def url_exists(session: Session, youtube_url: str) -> bool:
    return (session.scalar(select(SourceVideo.id).where(SourceVideo.youtube_url == youtube_url))
            is not None
            or session.scalar(select(Token.id).where(Token.youtube_url == youtube_url).limit(1))
            is not None)


def tokens_of_url(session: Session, youtube_url: str) -> list[Token]:
    tokens = list(session.scalars(select(Token).where(Token.youtube_url == youtube_url)
                                  .order_by(Token.id)))
    if not tokens:
        raise NotFound("URL not found")
    return tokens


def duet_pairs(session: Session) -> list[tuple[str, list[Token]]]:
    """Every youtube_url with exactly two tokens, the pair by id."""
    urls = select(Token.youtube_url).where(Token.youtube_url.is_not(None)) \
        .group_by(Token.youtube_url).having(func.count() == 2)
    tokens = session.scalars(select(Token).where(Token.youtube_url.in_(urls))
                             .order_by(Token.youtube_url, Token.id))
    pairs: dict[str, list[Token]] = {}
    for token in tokens:
        pairs.setdefault(token.youtube_url, []).append(token)
    return sorted(pairs.items(), key=lambda item: item[1][0].id)
