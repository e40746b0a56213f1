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
        "REDIRECT_MAX_TIMES": 5,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO",
        "LOG_FILE": log_file,
        "VEILLE_SPOOL": spool_path,
        "VEILLE_PRIVATE_HOSTS": list(private_hosts),
        "SPIDER_MIDDLEWARES": {"crawlers.middlewares.KnownPageFilter": 550},
        "DOWNLOADER_MIDDLEWARES": {"crawlers.middlewares.PrivateAddressGuard": 50},
        "ITEM_PIPELINES": {"crawlers.pipelines.SpoolPipeline": 300},
    }
