"""Scrapy settings built from veille's crawl settings."""
from __future__ import annotations

from veille.config import CrawlSettings


def scrapy_settings(crawl: CrawlSettings, spool_path: str, log_file: str | None = None,
                    private_hosts: list[str] = ()) -> dict:
    return {
        "BOT_NAME": "veille",
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "DOWNLOAD_TIMEOUT": crawl.download_timeout,
        "DOWNLOAD_MAXSIZE": crawl.max_page_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "CONCURRENT_REQUESTS": crawl.concurrent_requests,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrent_per_domain,
        "DOWNLOAD_DELAY": crawl.download_delay,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": crawl.download_delay,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(crawl.concurrent_per_domain),
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 2,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        "VEILLE_RETRY_BACKOFF": 0.5,       # seconds, doubled at each retry
        "VEILLE_MAX_BACKOFF": 30.0,
        "VEILLE_MAX_RETRY_AFTER": 120.0,   # a longer Retry-After is reported, not waited for
        "VEILLE_RETRY_FAILED_DAYS": 7,     # a page that failed for good is asked again after this
        "REDIRECT_MAX_TIMES": 5,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO",
        "LOG_FILE": log_file,
        "VEILLE_SPOOL": spool_path,
        "VEILLE_PRIVATE_HOSTS": list(private_hosts),
        # connections only ever go to public addresses, whatever DNS answers the second time
        "DNS_RESOLVER": "crawlers.resolver.PublicOnlyResolver",
        "SPIDER_MIDDLEWARES": {"crawlers.middlewares.KnownPageFilter": 550},
        # The guard runs first on every request, redirects and robots.txt included.
        "DOWNLOADER_MIDDLEWARES": {"crawlers.middlewares.PrivateAddressGuard": 50,
                                   "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
                                   "crawlers.backoff.BackoffRetryMiddleware": 550},
        "ITEM_PIPELINES": {"crawlers.pipelines.SpoolPipeline": 300},
    }
