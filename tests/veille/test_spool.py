from veille.record import Article
from veille.spool import Spool


def test_unchanged_record_keeps_its_later_state(tmp_path):
    spool = Spool(tmp_path / "spool.sqlite")
    article = Article(url="http://e.org/a", title="t", text="texte")
    spool.put_articles([article], "extracted")
    spool.mark_articles([article.id], "indexed")
    spool.put_articles([article], "extracted")
    assert spool.count_articles("indexed") == 1
    changed = Article(url="http://e.org/a", title="t", text="texte modifié")
    spool.put_articles([changed], "extracted")
    assert spool.count_articles("extracted") == 1 and spool.count_articles() == 1


def test_batches_come_from_a_snapshot(tmp_path):
    spool = Spool(tmp_path / "spool.sqlite")
    spool.put_articles([Article(url=f"http://e.org/{i}", text=str(i)) for i in range(5)], "enriched")
    seen = []
    for batch in spool.batches_in("enriched", 2):
        seen += [a.id for a in batch]
        spool.mark_articles([batch[0].id], "indexed")  # others stay: no endless loop
    assert len(seen) == 5


def test_exact_duplicate_joins_the_first_story(tmp_path):
    spool = Spool(tmp_path / "spool.sqlite")
    first = Article(url="http://a.org/1", text="même texte")
    spool.put_articles([first], "extracted")
    copy = Article(url="http://b.org/1", text="Même   texte")
    assert spool.story_of(copy.content_hash, copy.id) == first.id
