"""Server profiles: which YouSync servers the learner syncs with, kept in the settings.

A profile is a name, a base URL and the OAuth client the desktop signs in with (client id,
optional secret, authorization and token endpoints — Google's by default). A new install has one
profile, "local", for a `yousync-server` on this machine. Our server offers its sign-in set-up at
`GET /api/auth/config` (issuer and desktop client id): `fill_from_server` copies it into the
profile, with the endpoints from the issuer's OpenID discovery document. The public backend
offers none; its profile is filled in by hand.

`check_connection` says in one line what works — reachable, API version, sign-in configured — or
what does not. It makes requests: run it through the task manager.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

import httpx

from yousync_desktop.settings import SettingsStore
from yousync_desktop.settings_schema import ServerProfileEntry, SettingsError
from yousync_desktop.sync.api_client import ApiClient
from yousync_desktop.sync.errors import SyncError

log = logging.getLogger(__name__)

ServerProfile = ServerProfileEntry
ClientFactory = Callable[[str], ApiClient]


class ServerProfiles:
    """The profiles in the settings store: read, add, change, remove, choose the one in use.
    Every change goes through the store (checked, saved, SettingsChanged published)."""

    def __init__(self, settings: SettingsStore):
        self.settings = settings

    def all(self) -> list[ServerProfile]:
        return list(self.settings.current.server_profiles)

    def get(self, name: str) -> ServerProfile:
        for profile in self.settings.current.server_profiles:
            if profile.name == name:
                return profile
        raise SyncError("sync.no_profile", name=name)

    def active(self) -> ServerProfile:
        """The profile in use; the first one when the one named is gone."""
        current = self.settings.current
        for profile in current.server_profiles:
            if profile.name == current.active_server_profile:
                return profile
        if not current.server_profiles:
            raise SyncError("sync.no_profile", name=current.active_server_profile)
        return current.server_profiles[0]

    def add(self, name: str, base_url: str, **oauth: str) -> ServerProfile:
        if any(p.name == name for p in self.settings.current.server_profiles):
            raise SyncError("sync.profile_exists", name=name)
        profile = _profile(name=name, base_url=base_url.rstrip("/"), **oauth)
        with self.settings.edit() as draft:
            draft.server_profiles = [*draft.server_profiles, profile]
        return profile

    def change(self, name: str, **changes: str) -> ServerProfile:
        old = self.get(name)
        if "base_url" in changes:
            changes["base_url"] = changes["base_url"].rstrip("/")
        new = _profile(**{**old.model_dump(), **changes})
        with self.settings.edit() as draft:
            draft.server_profiles = [new if p.name == name else p for p in draft.server_profiles]
            if new.name != name and draft.active_server_profile == name:
                draft.active_server_profile = new.name
        return new

    def remove(self, name: str) -> None:
        self.get(name)
        with self.settings.edit() as draft:
            draft.server_profiles = [p for p in draft.server_profiles if p.name != name]

    def use(self, name: str) -> ServerProfile:
        profile = self.get(name)
        self.settings.update(active_server_profile=name)
        return profile

    def fill_from_server(self, name: str, api: ApiClient) -> ServerProfile:
        """Copy the server's sign-in set-up into the profile when it offers one (ours); a
        server that does not (public) leaves the profile as it is."""
        config = api.auth_config()
        if config is None:
            return self.get(name)
        changes = {"issuer": config.issuer}
        if config.desktop_client_id:
            changes["client_id"] = config.desktop_client_id
        changes.update(discover_endpoints(config.issuer))
        return self.change(name, **changes)


def _profile(**values: str) -> ServerProfile:
    from pydantic import ValidationError

    try:
        return ServerProfile(**values)
    except ValidationError as invalid:
        where = str(invalid.errors()[0]["loc"][0]) if invalid.errors()[0]["loc"] else ""
        if where == "base_url":
            raise SyncError("sync.bad_base_url", url=values.get("base_url", "")) from None
        raise SettingsError("settings.wrong_type", name=f"server_profiles.{where}",
                            expected="str") from None


def discover_endpoints(issuer: str, *, timeout: float = 10.0) -> dict[str, str]:
    """The authorization and token endpoints from an OpenID issuer's discovery document; none
    when it cannot be read (the profile keeps what it has, the check says sign-in is not set)."""
    url = f"{issuer.rstrip('/')}/.well-known/openid-configuration"
    try:
        response = httpx.get(url, timeout=timeout, follow_redirects=True)
        response.raise_for_status()
        document = response.json()
        return {"authorization_endpoint": str(document["authorization_endpoint"]),
                "token_endpoint": str(document["token_endpoint"])}
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
        log.warning("no sign-in endpoints from %s: %s", url, error)
        return {}


# --- the connection check ------------------------------------------------------------------------

@dataclass(frozen=True)
class ConnectionCheck:
    """What a check found. `summary()` is the one line the learner reads."""

    profile: str
    base_url: str
    reachable: bool
    api_version: str | None = None
    offers_auth_config: bool = False   # our server (§7); the public one has no /api/auth/config
    sign_in_configured: bool = False   # the profile has a client id and endpoints to sign in with
    problem: SyncError | None = None

    @property
    def ok(self) -> bool:
        return self.reachable and self.problem is None

    def summary(self) -> str:
        if not self.reachable or self.problem is not None:
            return f"{self.profile}: {self.problem}"
        kind = "yousync-server" if self.offers_auth_config else "YouSync API"
        sign_in = "sign-in configured" if self.sign_in_configured else \
            "sign-in not configured (no OAuth client id)"
        return f"{self.profile}: reachable at {self.base_url}, {kind} {self.api_version}, {sign_in}"


def check_connection(profile: ServerProfile, api: ApiClient) -> ConnectionCheck:
    """Reachable? Which API version? Can the learner sign in with this profile? Never raises
    for a server problem: the check reports it."""
    try:
        root = api.root()
    except SyncError as error:
        return ConnectionCheck(profile.name, profile.base_url, reachable=False, problem=error)
    try:
        offered = api.auth_config()
    except SyncError as error:
        return ConnectionCheck(profile.name, profile.base_url, reachable=True,
                               api_version=root.version, problem=error)
    client_id = profile.client_id or (offered.desktop_client_id if offered else None)
    configured = bool(client_id and profile.authorization_endpoint and profile.token_endpoint)
    return ConnectionCheck(profile.name, profile.base_url, reachable=True,
                           api_version=root.version, offers_auth_config=offered is not None,
                           sign_in_configured=configured)
