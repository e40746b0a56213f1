"""Stories: near-duplicates grouped by MinHash/LSH, across runs; and on the
fixture web, the syndicated copy marked `duplicate_of` joins its original."""
from veille.config import Source
from veille.pipeline import Pipeline
from veille.record import Article
from veille.spool import Spool
from crawlers.stories import StoryIndex

TEXT = ("Naval Group a confié à Exail la fourniture des centrales de navigation inertielle de ses futurs "
        "sous-marins. Le contrat porte sur des systèmes à gyroscopes à fibre optique, une technologie dans "
        "laquelle le groupe français figure parmi les leaders mondiaux. Le gyroscope mesure la rotation grâce "
        "à l'effet Sagnac : deux faisceaux laser parcourent en sens inverse une bobine de fibre.")
EDITED = TEXT.replace("porte sur", "concerne").replace("figure parmi", "compte parmi") + " Source : Photonique Hebdo."
OTHER = ("Le port du Havre met en service un électrolyseur de vingt mégawatts pour produire de l'hydrogène "
         "vert destiné aux industriels de la zone portuaire, avec le soutien de l'Ademe et de Bpifrance, "
         "dans le cadre du plan de décarbonation de la vallée de la Seine et de ses raffineries.")


def _article(url, text, source="s"):
    return Article(url=url, source=source, text=text)


def test_lightly_edited_copy_joins_the_story_across_runs(tmp_path):
    first = _article("https://a.example/1", TEXT, "a")
    with StoryIndex(tmp_path / "spool.sqlite") as stories:
        assert stories.assign(first) == first.id
    copy, other = _article("https://b.example/1", EDITED, "b"), _article("https://b.example/2", OTHER, "b")
    with StoryIndex(tmp_path / "spool.sqlite") as stories:  # a later run: signatures come from the spool
        assert stories.assign(copy) == first.id
        assert stories.assign(other) == other.id
        assert stories.members(first.id) == [(first.id, "a"), (copy.id, "b")]


def test_exact_story_wins_and_short_texts_are_not_compared(tmp_path):
    with StoryIndex(tmp_path / "spool.sqlite") as stories:
        short = _article("https://a.example/brève", "Brève : ouverture des inscriptions.")
        assert stories.assign(short) == short.id
        again = _article("https://a.example/brève-2", "Brève : ouverture des inscriptions.")
        assert stories.assign(again, exact_story=short.id) == short.id


def test_reextracted_article_keeps_its_own_story(tmp_path):
    article = _article("https://a.example/1", TEXT)
    with StoryIndex(tmp_path / "spool.sqlite") as stories:
        assert stories.assign(article) == article.id
        assert stories.assign(article) == article.id  # never its own near-duplicate


def test_syndicated_copy_on_the_fixture_web_shares_its_story(demo_config, newsweb, manifests):
    pipeline = Pipeline(demo_config)
    try:
        report = pipeline.run(stages=("crawl", "extract"))
    finally:
        pipeline.close()
    assert report.ok, report.failure
    copies = [(site, a) for site, m in manifests.items() for a in m["articles"] if a.get("duplicate_of")]
    assert copies
    with Spool(demo_config.data_dir / "spool.sqlite") as spool:
        articles = {a.url: a for a in spool.get_articles(spool.ids_in("extracted"))}
    for site, copy in copies:
        original_site, _, original_path = copy["duplicate_of"].partition("/")
        original = articles[newsweb.base_url(original_site) + "/" + original_path]
        duplicate = articles[newsweb.base_url(site) + copy["path"]]
        assert duplicate.story_id == original.story_id
        assert {duplicate.source, original.source} == {site, original_site}  # every source kept
    stories = {}
    for article in articles.values():
        stories.setdefault(article.story_id, []).append(article)
    assert sum(len(members) > 1 for members in stories.values()) == len(copies)  # no false grouping
    assert report.counts["extract"]["near_duplicates"] == len(copies)


def test_same_story_on_three_sites_is_one_story_with_three_sources(demo_config, newsweb, manifests):
    press = Source(id="revue-de-presse", name="Revue de presse", allow_private=True,
                   url=newsweb.base_url("zone-de-pannes") + "/syndication.xml")
    config = demo_config.model_copy(update={"sources": [*demo_config.sources, press]})
    pipeline = Pipeline(config)
    try:
        report = pipeline.run(stages=("crawl", "extract"))
    finally:
        pipeline.close()
    assert report.ok, report.failure
    (copy,) = manifests["zone-de-pannes"]["syndicated"]
    original_site, _, original_path = copy["duplicate_of"].partition("/")
    with Spool(config.data_dir / "spool.sqlite") as spool:
        articles = {a.url: a for a in spool.get_articles(spool.ids_in("extracted"))}
    original = articles[newsweb.base_url(original_site) + "/" + original_path]
    story = [a for a in articles.values() if a.story_id == original.story_id]
    assert {a.source for a in story} == {"photonique-hebdo", "industries-territoires", "revue-de-presse"}
    assert len({a.id for a in story}) == 3  # each copy keeps its record (its rel=canonical points off-site)
    extract = report.counts["extract"]
    carriers = {a.source for a in story}  # the run report says who carried the copies: two of the three
    assert sum(report.sources[source].get("duplicates", 0) for source in carriers) >= 2
    assert sum(s.get("duplicates", 0) for s in report.sources.values()) == \
        extract["exact_duplicates"] + extract["near_duplicates"]
