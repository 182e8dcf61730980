"""Running the API with uvicorn: time limits for slow clients (used by ``qdlab serve``).

uvicorn closes idle keep-alive connections (``timeout_keep_alive``) but has no
limit on how long a client may take to send its request line and headers.
:class:`HeaderTimeoutH11Protocol` adds one: a connection that has not sent a
complete request head ``header_timeout_s`` after it opened (or after its last
response) is closed.  The request *body* is timed by
:class:`qdlab.web.middleware.BodyLimit` (408); its size is limited there (413)
and the head's size by h11 (``h11_max_incomplete_event_size``).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["SERVER_LIMITS", "run", "uvicorn_options"]

#: Limits of the HTTP server (s and bytes).
SERVER_LIMITS = {
    "timeout_keep_alive_s": 5,          # idle keep-alive connection closed after this
    "header_timeout_s": 10.0,           # request line + headers must arrive within this
    "max_header_bytes": 64 * 1024,      # h11: largest request head
    "max_connections": 64,              # uvicorn limit_concurrency: more get 503
}


def _protocol_class(header_timeout_s: float):
    """An h11 protocol that closes connections whose request head is too slow."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderTimeoutH11Protocol(H11Protocol):
        _head_timer = None

        def _arm_head_timer(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
            self._head_timer = self.loop.call_later(header_timeout_s, self._head_timeout)

        def _head_timeout(self) -> None:
            self._head_timer = None
            # h11 leaves IDLE only once a complete request head has been parsed
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self.logger.info("closing a connection: no complete request head within "
                                 "%g s", header_timeout_s)
                self.transport.close()

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._arm_head_timer()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm_head_timer()

        def connection_lost(self, exc) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None
            super().connection_lost(exc)

    return HeaderTimeoutH11Protocol


def uvicorn_options(limits: dict | None = None) -> dict:
    """Keyword arguments of ``uvicorn.run`` / ``uvicorn.Config`` for :data:`SERVER_LIMITS`."""
    lim = {**SERVER_LIMITS, **(limits or {})}
    return {"timeout_keep_alive": int(lim["timeout_keep_alive_s"]),
            "h11_max_incomplete_event_size": int(lim["max_header_bytes"]),
            "limit_concurrency": int(lim["max_connections"]),
            "http": _protocol_class(float(lim["header_timeout_s"]))}


def run(host: str = "127.0.0.1", port: int = 8000,
        allowed_hosts: Iterable[str] = (), log_level: str = "warning") -> None:
    """Serve :func:`qdlab.web.create_app` with uvicorn and :data:`SERVER_LIMITS`.

    ``allowed_hosts``: host names answered besides this machine's (see
    :func:`qdlab.web.app.allowed_hosts`); a specific bind address is added too.
    """
    import uvicorn

    from qdlab.web.app import create_app

    extra = list(allowed_hosts)
    if host not in ("0.0.0.0", "::", ""):
        extra.append(host)
    uvicorn.run(create_app(allowed_host_names=extra), host=host, port=port,
                log_level=log_level, **uvicorn_options())
