"""ASGI middleware of the API: Host check, body size and time limits, security headers.

* :class:`HostCheck` lets through only requests whose ``Host`` header names an
  allowed host (Starlette's ``TrustedHostMiddleware``), so that a web page from
  another site cannot reach the local server through DNS rebinding; any other
  ``Host`` gets 400 with a JSON message.
* :class:`BodyLimit` answers 413 for a body over ``max_bytes`` (declared or
  streamed) and 408 for a body that does not arrive within ``timeout_s``.
* :class:`SecurityHeaders` adds ``X-Content-Type-Options``, a
  ``Content-Security-Policy`` and ``Referrer-Policy`` to every answer.
"""

from __future__ import annotations

import asyncio
import json
import os

from starlette.datastructures import Headers
from starlette.middleware.trustedhost import TrustedHostMiddleware

from qdlab.web._compute import ApiError

__all__ = ["DEFAULT_ALLOWED_HOSTS", "BodyLimit", "HostCheck", "SecurityHeaders",
           "allowed_hosts_from_env"]

#: Host names allowed by default: this machine only (``testserver``: the test client).
DEFAULT_ALLOWED_HOSTS = ("localhost", "127.0.0.1", "[::1]", "testserver")
#: Environment variable with more allowed host names, separated by commas.
ENV_ALLOWED_HOSTS = "QDLAB_ALLOWED_HOSTS"


def normalise_host(name: str) -> str:
    """Lower-case host name; IPv6 addresses in brackets, as in a ``Host`` header."""
    name = name.strip().lower()
    if ":" in name and not name.startswith("["):
        name = f"[{name}]"
    return name


def allowed_hosts_from_env() -> list[str]:
    """Host names from ``QDLAB_ALLOWED_HOSTS`` (comma-separated; empty: none)."""
    return [normalise_host(h) for h in os.environ.get(ENV_ALLOWED_HOSTS, "").split(",")
            if h.strip()]


async def send_json(send, status: int, body: dict) -> None:
    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})


class HostCheck:
    """400 (JSON message) unless the ``Host`` header names one of ``allowed_hosts``.

    ``allowed_hosts`` entries are host names or addresses (``"*"``: any host,
    ``"*.example.org"``: sub-domains); ports are ignored.
    """

    def __init__(self, app, allowed_hosts):
        self.app = app
        self.allowed_hosts = [normalise_host(h) for h in allowed_hosts]

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        passed = False

        async def inner(scope, receive, send):
            nonlocal passed
            passed = True
            await self.app(scope, receive, send)

        async def guarded_send(msg):
            if passed:
                await send(msg)

        check = TrustedHostMiddleware(inner, allowed_hosts=self.allowed_hosts,
                                      www_redirect=False)
        await check(scope, receive, guarded_send)
        if not passed:
            host = Headers(scope=scope).get("host", "")
            await send_json(send, 400, {
                "detail": f"Host header {host[:100]!r} is not allowed: this server answers "
                          f"only {', '.join(self.allowed_hosts)} (add a name with "
                          f"'qdlab serve --allowed-host NAME' or {ENV_ALLOWED_HOSTS})"})


class BodyLimit:
    """413 for request bodies over ``max_bytes`` (declared or streamed); 408 when the
    whole body has not arrived ``timeout_s`` after the first read."""

    def __init__(self, app, max_bytes: int, timeout_s: float | None = None):
        self.app = app
        self.max_bytes = int(max_bytes)
        self.timeout_s = timeout_s

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        too_big = (413, f"request body larger than {self.max_bytes} bytes "
                        f"({self.max_bytes / 1e6:g} MB limit)")
        for k, v in scope.get("headers", []):
            if k == b"content-length":
                try:
                    over = int(v) > self.max_bytes
                except ValueError:
                    over = False
                if over:
                    return await send_json(send, too_big[0], {"detail": too_big[1]})
        state = {"seen": 0, "error": None, "started": False, "done": False, "deadline": None}
        loop = asyncio.get_running_loop()

        async def limited_receive():
            if state["done"] or self.timeout_s is None:   # (after the body: disconnects)
                msg = await receive()
            else:
                if state["deadline"] is None:
                    state["deadline"] = loop.time() + self.timeout_s
                try:
                    msg = await asyncio.wait_for(receive(), max(state["deadline"] - loop.time(),
                                                                0.001))
                except TimeoutError:
                    state["error"] = (408, f"request body not received within "
                                           f"{self.timeout_s:g} s")
                    raise ApiError(*state["error"]) from None
            if msg["type"] == "http.request":
                state["seen"] += len(msg.get("body", b""))
                state["done"] = not msg.get("more_body", False)
                if state["seen"] > self.max_bytes:
                    state["error"] = too_big
                    raise ApiError(*too_big)
            return msg

        async def guarded_send(msg):
            if state["error"]:
                return None    # our 413 / 408 replaces whatever the app answers
            if msg["type"] == "http.response.start":
                state["started"] = True
            return await send(msg)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not state["error"]:
                raise
        if state["error"] and not state["started"]:
            await send_json(send, state["error"][0], {"detail": state["error"][1]})


_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'")
_SECURITY_HEADERS = ((b"x-content-type-options", b"nosniff"),
                     (b"content-security-policy", _CSP.encode()),
                     (b"referrer-policy", b"no-referrer"))


class SecurityHeaders:
    """Adds the security headers (unless the answer already sets them)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(msg):
            if msg["type"] == "http.response.start":
                headers = list(msg.get("headers", []))
                have = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in _SECURITY_HEADERS if k not in have]
                msg = {**msg, "headers": headers}
            await send(msg)

        await self.app(scope, receive, with_headers)
