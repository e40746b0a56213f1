"""Retries with backoff (downloader middleware, replaces Scrapy's RetryMiddleware).

Scrapy retries at once; a polite crawler waits. Before each retry this waits
`VEILLE_RETRY_BACKOFF × 2^(retries so far)` seconds, or, on 429 and 503, what
the server's `Retry-After` asks (seconds or an HTTP date). A server asking for
more than `VEILLE_MAX_RETRY_AFTER` seconds is not retried in this crawl: the
response goes on and is reported with the wait it asked for. The wait is a
timer on the reactor: other downloads go on meanwhile.
"""
from __future__ import annotations

from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet import reactor, task

RETRY_AFTER_STATUSES = (429, 503)


def retry_after_seconds(value: str, now: datetime | None = None) -> float | None:
    """Seconds asked by a Retry-After header value, None when unreadable."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (moment - (now or datetime.now(timezone.utc))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        self.backoff = settings.getfloat("VEILLE_RETRY_BACKOFF", 0.5)
        self.max_backoff = settings.getfloat("VEILLE_MAX_BACKOFF", 30.0)
        self.max_retry_after = settings.getfloat("VEILLE_MAX_RETRY_AFTER", 120.0)

    def backoff_delay(self, request) -> float:
        return min(self.max_backoff, self.backoff * 2 ** request.meta.get("retry_times", 0))

    async def _wait(self, seconds: float) -> None:
        if seconds > 0:
            await maybe_deferred_to_future(task.deferLater(reactor, seconds, lambda: None))

    async def process_response(self, request, response, spider=None):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        delay = self.backoff_delay(request)
        if response.status in RETRY_AFTER_STATUSES and response.headers.get("Retry-After"):
            asked = retry_after_seconds(response.headers["Retry-After"].decode("latin-1"))
            if asked is not None:
                if asked > self.max_retry_after:
                    return response
                delay = max(asked, delay if asked == 0 else 0)
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        await self._wait(delay)
        return retry

    async def process_exception(self, request, exception, spider=None):
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await self._wait(self.backoff_delay(request))
        return retry
