"""Request guards for the review app: a per-session CSRF token on every write, a Host check against
DNS rebinding while bound to loopback, and strict response headers.

The token lives in Flask's signed session cookie (``SameSite=Strict``, ``HttpOnly``) and is sent back by
the page's script in the ``X-CSRF-Token`` header; a form field ``csrf_token`` is accepted too. Another
site can neither read the token (no CORS) nor set the header, so it cannot make a reviewer's browser
write reviews.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from flask import Flask, abort, request, session

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TOKEN_HEADER = "X-CSRF-Token"
TOKEN_FIELD = "csrf_token"

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")


def csrf_token() -> str:
    """This session's token, created on first use."""
    token = session.get(TOKEN_FIELD)
    if not token:
        token = secrets.token_urlsafe(32)
        session[TOKEN_FIELD] = token
    return token


def _hostname(netloc: str) -> str:
    return (urlsplit(f"//{netloc}").hostname or "").lower()


def install(app: Flask) -> None:
    """Register the guards on ``app``. ``app.config["ALLOWED_HOSTS"]``: host names the Host header may
    carry (None: any)."""

    @app.before_request
    def _check_host():
        allowed = app.config.get("ALLOWED_HOSTS")
        if allowed is not None and _hostname(request.host) not in allowed:
            abort(400, description="host")

    @app.before_request
    def _check_csrf():
        if request.method in SAFE_METHODS:
            return None
        origin = request.headers.get("Origin")
        if origin and origin != "null" and urlsplit(origin).netloc.lower() != request.host.lower():
            abort(403, description="origin")
        expected = session.get(TOKEN_FIELD)
        sent = request.headers.get(TOKEN_HEADER) or request.form.get(TOKEN_FIELD)
        if not expected or not sent or not hmac.compare_digest(str(expected), str(sent)):
            abort(403, description="csrf")
        return None

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
