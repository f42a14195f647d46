"""/api/score (§3.9, §7.6)."""

from __future__ import annotations

from fastapi import APIRouter

from yousync_desktop.sync import contract
from yousync_server.api.deps import CurrentUser, DbSession, RowId
from yousync_server.services import scores

router = APIRouter(prefix="/api/score", tags=["score"])


@router.get("/me/average/", response_model=contract.UserAverage)
def my_average(user: CurrentUser, session: DbSession):
    return scores.my_average(session, user)


@router.get("/leaderboard/top-recorders", response_model=contract.Leaderboard)
def top_recorders(session: DbSession):
    return scores.top_recorders(session)


@router.get("/{token_id}/score/", response_model=contract.TokenScore)
def token_score(token_id: RowId, user: CurrentUser, session: DbSession):
    return scores.token_average(session, user, token_id)
