"""Verifying sign-in ID tokens against an OpenID Connect issuer (Google's by default, §3.1, §7.3).

The issuer's `/.well-known/openid-configuration` gives its `jwks_uri`; both the document and the
keys are cached (a key id we have not seen triggers one refetch, so the issuer's key rotation is
followed). A token passes when its signature is by one of the issuer's keys with an asymmetric
algorithm, `iss` is the issuer, `aud` is one of the configured client ids and it has not expired.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import jwt

# Asymmetric only: a token "signed" with HS256 or `none` must never pass.
ALLOWED_ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]
# Google's ID tokens carry either form of its issuer.
ISSUER_SPELLINGS = {"https://accounts.google.com": ["https://accounts.google.com",
                                                    "accounts.google.com"]}


class InvalidIdToken(Exception):
    """The ID token is bad, expired, for another client, or from another issuer (→ 400)."""


class ProviderUnavailable(Exception):
    """The issuer could not be reached or answered nonsense (→ the contract's 500)."""


class IdTokenVerifier:
    def __init__(self, issuer: str, audiences: list[str], *, cache_seconds: int = 3600,
                 timeout: float = 10.0):
        self.issuer = issuer.rstrip("/")
        self.audiences = list(audiences)
        self.cache_seconds = cache_seconds
        self.timeout = timeout
        self._lock = threading.Lock()
        self._discovered_at = 0.0
        self._jwks_client: jwt.PyJWKClient | None = None

    def _keys(self) -> jwt.PyJWKClient:
        with self._lock:
            fresh = time.monotonic() - self._discovered_at < self.cache_seconds
            if self._jwks_client is not None and fresh:
                return self._jwks_client
            url = f"{self.issuer}/.well-known/openid-configuration"
            try:
                response = httpx.get(url, timeout=self.timeout, follow_redirects=True)
                response.raise_for_status()
                document = response.json()
                jwks_uri = document["jwks_uri"]
            except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
                raise ProviderUnavailable(f"{url}: {exc}") from None
            if str(document.get("issuer", "")).rstrip("/") != self.issuer:
                raise ProviderUnavailable(f"{url} names another issuer")
            self._jwks_client = jwt.PyJWKClient(jwks_uri, cache_keys=True,
                                                lifespan=max(self.cache_seconds, 1),
                                                timeout=int(self.timeout))
            self._discovered_at = time.monotonic()
            return self._jwks_client

    def verify(self, id_token: str) -> dict[str, Any]:
        """The token's claims, or InvalidIdToken / ProviderUnavailable."""
        if not self.audiences:
            raise InvalidIdToken("no OAuth client id is configured (YOUSYNC_OIDC_AUDIENCES)")
        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.PyJWTError as exc:
            raise InvalidIdToken(str(exc)) from None
        if header.get("alg") not in ALLOWED_ALGORITHMS:
            raise InvalidIdToken(f"algorithm {header.get('alg')!r} is not accepted")
        keys = self._keys()
        try:
            signing_key = keys.get_signing_key_from_jwt(id_token)
        except jwt.PyJWKClientConnectionError as exc:
            raise ProviderUnavailable(str(exc)) from None
        except jwt.PyJWTError as exc:
            raise InvalidIdToken(str(exc)) from None
        try:
            return jwt.decode(
                id_token, signing_key.key, algorithms=ALLOWED_ALGORITHMS,
                audience=self.audiences,
                issuer=ISSUER_SPELLINGS.get(self.issuer, [self.issuer]),
                options={"require": ["exp", "iat", "iss", "aud", "sub"]}, leeway=30)
        except jwt.PyJWTError as exc:
            raise InvalidIdToken(str(exc)) from None
