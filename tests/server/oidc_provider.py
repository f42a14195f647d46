"""Real ID tokens from a real OpenID Connect provider (Canaille through pytest-iam, on loopback):
a confidential client like Google's desktop clients, the authorization-code flow with a nonce,
RS256-signed ID tokens checked by the server against the provider's published keys."""

from __future__ import annotations

import secrets
import uuid
from urllib.parse import parse_qs, urlparse

import httpx

REDIRECT_URI = "http://127.0.0.1:9/callback"


class Provider:
    def __init__(self, iam_server):
        self.iam = iam_server
        self.issuer = iam_server.url.rstrip("/")
        self._clients = {}

    def client(self, name: str = "desktop"):
        """A registered confidential client; its client_id is what a server lists as audience."""
        if name not in self._clients:
            models = self.iam.models
            client = models.Client(
                client_id=f"{name}-{uuid.uuid4().hex[:8]}", client_secret=secrets.token_hex(16),
                client_name=name, redirect_uris=[REDIRECT_URI],
                grant_types=["authorization_code"], response_types=["code"],
                token_endpoint_auth_method="client_secret_basic",
                scope=["openid", "profile", "email"], id_token_signed_response_alg="RS256")
            with self.iam.app.app_context():
                self.iam.backend.save(client)
                client.audience = [client]
                self.iam.backend.save(client)
            self._clients[name] = client
        return self._clients[name]

    def user(self, email: str, name: str = "Test Learner"):
        family, _, given = name.partition(" ")
        return self.iam.random_user(emails=[email], formatted_name=name, family_name=given or name,
                                    given_name=family)

    def id_token(self, user, client_name: str = "desktop") -> str:
        client = self.client(client_name)
        self.iam.login(user)
        self.iam.consent(user, client)
        try:
            authorize = httpx.get(f"{self.issuer}/oauth/authorize", params={
                "response_type": "code", "client_id": client.client_id,
                "redirect_uri": REDIRECT_URI, "scope": "openid profile email",
                "nonce": secrets.token_hex(8), "state": secrets.token_hex(8)})
        finally:
            self.iam.logout()
        assert authorize.status_code in (302, 303), authorize.text[:500]
        code = parse_qs(urlparse(authorize.headers["location"]).query)["code"][0]
        token = httpx.post(f"{self.issuer}/oauth/token", data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI},
            auth=(client.client_id, client.client_secret))
        assert token.status_code == 200, token.text[:500]
        return token.json()["id_token"]
