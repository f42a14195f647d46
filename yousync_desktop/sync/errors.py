"""What the sync layer tells a learner, as codes (docs/architecture.md: errors are data).

One class for the whole layer: the UI and the CLI branch on `code`, never on the words.
`retryable` says whether waiting and trying again can help (a network drop, a server 5xx) — the
outbox worker retries those with backoff and keeps everything else for the learner to see.
"""

from __future__ import annotations

from yousync_desktop.errors import QT_TRANSLATE_NOOP, CodedError

# Codes worth another try later: nothing about the request itself was wrong.
RETRYABLE_CODES = frozenset({"sync.unreachable", "sync.timeout", "sync.server_error",
                             "sync.server_busy"})


class SyncError(CodedError):
    messages = {
        "sync.unreachable": QT_TRANSLATE_NOOP(
            "errors", "Cannot reach the server {server}: {reason}"),
        "sync.timeout": QT_TRANSLATE_NOOP(
            "errors", "The server {server} did not answer in time."),
        "sync.server_error": QT_TRANSLATE_NOOP(
            "errors", "The server {server} had a problem (HTTP {status}); it will be tried again."),
        "sync.server_busy": QT_TRANSLATE_NOOP(
            "errors", "The server {server} is busy with this request; it will be tried again."),
        "sync.refused": QT_TRANSLATE_NOOP(
            "errors", "The server refused the request (HTTP {status}): {reason}"),
        "sync.not_found": QT_TRANSLATE_NOOP(
            "errors", "The server does not have this: {reason}"),
        "sync.bad_answer": QT_TRANSLATE_NOOP(
            "errors", "The server sent an answer YouSync cannot read: {reason}"),
        "sync.too_many_redirects": QT_TRANSLATE_NOOP(
            "errors", "The server kept redirecting the request to {url}."),
        "sync.sign_in_required": QT_TRANSLATE_NOOP(
            "errors", "Please sign in to {server} again. Your queued takes are kept."),
        "sync.sign_in_not_configured": QT_TRANSLATE_NOOP(
            "errors", "Sign-in is not set up for the server profile {profile}: it has no OAuth "
                      "client id."),
        "sync.sign_in_failed": QT_TRANSLATE_NOOP(
            "errors", "Sign-in did not complete: {reason}"),
        "sync.keychain_unavailable": QT_TRANSLATE_NOOP(
            "errors", "No system keychain is available: you stay signed in only until YouSync "
                      "closes."),
        "sync.no_profile": QT_TRANSLATE_NOOP(
            "errors", "There is no server profile called {name}."),
        "sync.profile_exists": QT_TRANSLATE_NOOP(
            "errors", "A server profile called {name} already exists."),
        "sync.bad_base_url": QT_TRANSLATE_NOOP(
            "errors", "{url} is not a server address (use http:// or https://)."),
        "sync.job_timed_out": QT_TRANSLATE_NOOP(
            "errors", "The analysis did not finish within {minutes} minutes."),
        "sync.job_failed": QT_TRANSLATE_NOOP(
            "errors", "The server could not analyse the take: {reason}"),
        "sync.job_gone": QT_TRANSLATE_NOOP(
            "errors", "The server no longer has this analysis (job {job_id})."),
        "sync.take_missing": QT_TRANSLATE_NOOP(
            "errors", "The take to upload is no longer in the library (take {take})."),
    }

    @property
    def retryable(self) -> bool:
        return self.code in RETRYABLE_CODES
