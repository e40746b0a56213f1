from datetime import datetime, timezone

from crawlers.backoff import retry_after_seconds


def test_retry_after_in_seconds():
    assert retry_after_seconds("7") == 7.0


def test_retry_after_as_http_date():
    now = datetime(2026, 11, 22, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("Sun, 22 Nov 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Sun, 22 Nov 2026 11:00:00 GMT", now) == 0.0


def test_unreadable_retry_after():
    assert retry_after_seconds("bientôt") is None
