from veille.record import Article, article_id


def test_id_is_stable_and_derived_from_canonical_url():
    a = Article(url="http://e.org/a?utm_source=x", canonical_url="http://e.org/a", title="t", text="x")
    b = Article(url="http://e.org/a", title="autre", text="y")
    assert a.id == b.id == article_id("http://e.org/a")


def test_exact_duplicates_share_content_hash():
    a = Article(url="http://a.org/1", text="Le CNES  lance\nun satellite.")
    b = Article(url="http://b.org/2", text="le cnes lance un satellite.")
    assert a.content_hash == b.content_hash and a.id != b.id


def test_json_round_trip():
    a = Article(url="http://e.org/a", title="Laser", text="texte", authors=["A. Martin"])
    assert Article.from_json(a.to_json()) == a
