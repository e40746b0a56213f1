"""Turn a failed request into a short French reason for the run report."""
from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import defer, error


def describe_failure(failure) -> str:
    exc = failure.value
    if failure.check(HttpError):
        return f"HTTP {exc.response.status}"
    if failure.check(IgnoreRequest):
        text = str(exc)
        if "robots.txt" in text:
            return "interdit par robots.txt"
        if "DOWNLOAD_MAXSIZE" in text:
            return "page trop volumineuse après décompression"
        return f"requête ignorée : {text}"
    if failure.check(defer.CancelledError) or type(exc).__name__ == "DownloadCancelledError":
        return "page trop volumineuse (taille maximale dépassée)"
    if failure.check(error.TimeoutError, error.TCPTimedOutError, defer.TimeoutError):
        return "délai dépassé"
    if failure.check(error.DNSLookupError):
        return "nom de domaine introuvable"
    if failure.check(error.ConnectionRefusedError):
        return "connexion refusée"
    return f"{type(exc).__name__}: {exc}"
