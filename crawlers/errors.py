"""Turn a failed request into a short French reason for the run report."""
from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import defer, error

from crawlers.resolver import PrivateAddressRefused

# HTTP statuses worth trying again on a later crawl.
TEMPORARY_STATUSES = {408, 425, 429, 500, 502, 503, 504, 522, 524}


def describe_failure(failure) -> str:
    exc = failure.value
    if failure.check(HttpError):
        response = exc.response
        if 300 <= response.status < 400 and response.headers.get("Location"):
            target = response.headers["Location"].decode("latin-1")[:200]
            return f"redirection refusée (schéma non http) vers {target}"
        if response.status in (429, 503) and response.headers.get("Retry-After"):
            wait = response.headers["Retry-After"].decode("latin-1")[:60]
            return f"HTTP {response.status} (le serveur demande d'attendre : {wait})"
        return f"HTTP {response.status}"
    if failure.check(IgnoreRequest):
        text = str(exc)
        if "robots.txt" in text:
            return "interdit par robots.txt"
        if "DOWNLOAD_MAXSIZE" in text:
            return "page trop volumineuse après décompression"
        if "max redirections" in text:
            return "trop de redirections (boucle de redirection ?)"
        return f"requête ignorée : {text}"
    if failure.check(defer.CancelledError) or type(exc).__name__ == "DownloadCancelledError":
        return "page trop volumineuse (taille maximale dépassée)"
    if failure.check(error.TimeoutError, error.TCPTimedOutError, defer.TimeoutError) \
            or type(exc).__name__ == "DownloadTimeoutError":
        return "délai dépassé"
    if failure.check(PrivateAddressRefused):
        return str(exc)
    if failure.check(error.DNSLookupError):
        return "nom de domaine introuvable"
    if failure.check(error.ConnectionRefusedError):
        return "connexion refusée"
    return f"{type(exc).__name__}: {exc}"


def is_temporary(failure) -> bool:
    """A failure that may go away by itself (server busy, network), unlike a 404 or a refusal."""
    if failure.check(HttpError):
        return failure.value.response.status in TEMPORARY_STATUSES
    too_large = failure.check(defer.CancelledError) or type(failure.value).__name__ == "DownloadCancelledError"
    return not (failure.check(IgnoreRequest, PrivateAddressRefused) or too_large)
