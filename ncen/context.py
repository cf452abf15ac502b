"""Who and what is acting right now, for audit entries written outside a view's reach.

The request middleware and the task base class set these; services never need a request.
"""

from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("ncen_request_id", default="")
ip_address: ContextVar[str | None] = ContextVar("ncen_ip_address", default=None)
