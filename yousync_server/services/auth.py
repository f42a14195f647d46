"""Sessions (§2.2, §3.1, §7.1–7.2): signing in with a verified ID token, HS256 access tokens,
opaque refresh tokens rotated on every use with reuse detection, and logout.

Every way a presented access token can be wrong is a 401 with `WWW-Authenticate: Bearer` — the
public deployment's 500 for a bad signature is the defect §7.1 fixes.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import jwt
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from yousync_server.db.models import RefreshToken, User, utcnow
from yousync_server.services.errors import Unauthorized

ALGORITHM = "HS256"
EXPIRED = "토큰이 만료되었습니다"
NO_SUBJECT = "토큰에서 사용자 정보를 찾을 수 없습니다"
NO_USER = "사용자를 찾을 수 없습니다"
INVALID = "유효하지 않은 토큰입니다"
INVALID_REFRESH = "유효하지 않은 리프레시 토큰입니다"


@dataclass(frozen=True)
class SessionPolicy:
    secret: str
    access_minutes: int = 60
    refresh_days: int = 30

    @property
    def access_seconds(self) -> int:
        return self.access_minutes * 60


@dataclass(frozen=True)
class IssuedSession:
    access_token: str
    expires_in: int
    refresh_token: str | None = None


# --- access tokens -------------------------------------------------------------------------------

def issue_access_token(policy: SessionPolicy, user: User) -> str:
    now = datetime.now(timezone.utc)
    claims = {"sub": str(user.id), "email": user.email, "iat": now,
              "exp": now + timedelta(minutes=policy.access_minutes)}
    return jwt.encode(claims, policy.secret, algorithm=ALGORITHM)


def user_for_access_token(session: Session, policy: SessionPolicy, token: str) -> User:
    try:
        claims = jwt.decode(token, policy.secret, algorithms=[ALGORITHM],
                            options={"require": ["exp"]})
    except jwt.ExpiredSignatureError:
        raise Unauthorized(EXPIRED) from None
    except jwt.PyJWTError:
        raise Unauthorized(INVALID) from None
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.isdigit():
        raise Unauthorized(NO_SUBJECT)
    user = session.get(User, int(subject))
    if user is None or not user.is_active:
        raise Unauthorized(NO_USER)
    return user


# --- refresh tokens ------------------------------------------------------------------------------

def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_refresh_token(session: Session, policy: SessionPolicy, user_id: int,
                       family_id: str) -> str:
    token = secrets.token_urlsafe(32)
    session.add(RefreshToken(token_hash=_digest(token), family_id=family_id, user_id=user_id,
                             expires_at=utcnow() + timedelta(days=policy.refresh_days)))
    return token


def start_session(session: Session, policy: SessionPolicy, user: User) -> IssuedSession:
    """A new access token and the first refresh token of a new family. Commits."""
    refresh = _new_refresh_token(session, policy, user.id, secrets.token_hex(16))
    session.commit()
    return IssuedSession(issue_access_token(policy, user), policy.access_seconds, refresh)


def rotate_refresh_token(session: Session, policy: SessionPolicy, presented: str) -> IssuedSession:
    """Trade a refresh token for a new access token and the next refresh token of its family.
    A token already used (or revoked) revokes its whole family: someone holds a copy."""
    row = session.scalar(select(RefreshToken).where(RefreshToken.token_hash == _digest(presented)))
    now = utcnow()
    if row is None:
        raise Unauthorized(INVALID_REFRESH)
    if row.used_at is not None or row.revoked_at is not None:
        revoke_family(session, row.family_id)
        session.commit()
        raise Unauthorized(INVALID_REFRESH)
    if row.expires_at <= now:
        raise Unauthorized(INVALID_REFRESH)
    # The conditional update makes two concurrent uses of one token a reuse, never two sessions.
    claimed = session.execute(
        update(RefreshToken).where(RefreshToken.id == row.id, RefreshToken.used_at.is_(None),
                                   RefreshToken.revoked_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        session.rollback()
        revoke_family(session, row.family_id)
        session.commit()
        raise Unauthorized(INVALID_REFRESH)
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        session.rollback()
        raise Unauthorized(NO_USER)
    refresh = _new_refresh_token(session, policy, user.id, row.family_id)
    session.commit()
    return IssuedSession(issue_access_token(policy, user), policy.access_seconds, refresh)


def revoke_family(session: Session, family_id: str) -> None:
    session.execute(update(RefreshToken)
                    .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
                    .values(revoked_at=utcnow()).execution_options(synchronize_session=False))


def logout(session: Session, user: User, refresh_token: str | None) -> None:
    """Revoke the caller's refresh tokens, or just the one given (if it is the caller's)."""
    query = update(RefreshToken).where(RefreshToken.user_id == user.id,
                                       RefreshToken.revoked_at.is_(None))
    if refresh_token:
        family = session.scalar(select(RefreshToken.family_id).where(
            RefreshToken.token_hash == _digest(refresh_token), RefreshToken.user_id == user.id))
        if family is None:
            return
        query = query.where(RefreshToken.family_id == family)
    session.execute(query.values(revoked_at=utcnow()).execution_options(synchronize_session=False))
    session.commit()


# --- users ---------------------------------------------------------------------------------------

def user_from_id_token_claims(session: Session, claims: dict) -> User:
    """The user for verified ID-token claims: by `sub` (google_id), then by email — an existing
    account is linked and switched to Google sign-in — else a new one (§3.1). Commits."""
    subject = str(claims["sub"])
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise ValueError("the ID token has no email")
    user = session.scalar(select(User).where(User.google_id == subject))
    if user is None:
        user = session.scalar(select(User).where(User.email == email.lower()))
        if user is None:
            user = User(email=email.lower(), is_active=True, is_admin=False)
            session.add(user)
        user.google_id = subject
        user.login_type = "google"
    if claims.get("name") and not user.full_name:
        user.full_name = str(claims["name"])[:255]
    if claims.get("picture"):
        user.profile_picture = str(claims["picture"])[:2000]
    session.commit()
    return user


def ensure_admin(session: Session, email: str) -> tuple[User, bool]:
    """Make the account with this email an admin, creating it if needed (it links to the Google
    account of that email on first sign-in). Returns the user and whether it was created."""
    email = email.strip().lower()
    user = session.scalar(select(User).where(User.email == email))
    created = user is None
    if created:
        user = User(email=email, login_type="google", is_active=True)
        session.add(user)
    user.is_admin = True
    session.commit()
    return user, created


def sign_in_with_id_token(session: Session, verifier, policy: SessionPolicy,
                          id_token: str) -> IssuedSession:
    """google-login (§3.1): 400 for any ID token that does not verify, the contract's 500 when
    the issuer cannot be asked."""
    from yousync_server.services.errors import BadRequest, ServiceError
    from yousync_server.services.oidc import InvalidIdToken, ProviderUnavailable

    try:
        claims = verifier.verify(id_token)
        user = user_from_id_token_claims(session, claims)
    except (InvalidIdToken, ValueError) as exc:
        raise BadRequest(f"유효하지 않은 구글 토큰입니다: {exc}") from None
    except ProviderUnavailable as exc:
        error = ServiceError(f"로그인 처리 중 오류가 발생했습니다: {exc}")
        error.status_code = 500
        raise error from None
    if not user.is_active:
        raise Unauthorized(NO_USER)
    return start_session(session, policy, user)
