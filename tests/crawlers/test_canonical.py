from crawlers.canonical import canonical_url


def test_tracking_parameters_fragment_and_default_port_removed():
    url = "HTTP://Example.ORG:80/actu/article.html?utm_source=rss&id=3&fbclid=x#commentaires"
    assert canonical_url(url) == "http://example.org/actu/article.html?id=3"


def test_same_article_same_url():
    assert canonical_url("https://e.org/a?b=2&a=1") == canonical_url("https://e.org/a?a=1&b=2")
