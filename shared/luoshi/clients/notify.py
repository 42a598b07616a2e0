"""Client for notify, used by tasks-api's merged work queue."""

from __future__ import annotations

from luoshi.http import ServiceClient


class NotifyClient(ServiceClient):
    service_name = "notify"
