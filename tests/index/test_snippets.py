"""Snippets: the best window of the original text, escaped, matches in <mark>."""
import re

from index_helpers import slug

from index.base import SearchRequest
from index.snippets import make_snippet
from index.textnorm import term_fr


def hit_for(index, query, name, **kwargs):
    result = index.search(SearchRequest(query=query, limit=100, **kwargs))
    return next(h for h in result.hits if slug(h.article) == name)


def marked(snippet: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", snippet)


def test_untrusted_markup_is_escaped(index):
    snippet = hit_for(index, "photonique", "fr-script").snippet
    assert "&lt;script&gt;alert(&#x27;<mark>photonique</mark>&#x27;)&lt;/script&gt;" in snippet
    assert marked(snippet) == ["photonique", "photonique"]
    assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")
    assert ">" not in snippet.replace("<mark>", "").replace("</mark>", "")


def test_only_matched_words_are_marked(index):
    snippet = hit_for(index, "lasers satellite", "fr-lasers").snippet
    assert marked(snippet) == ["lasers", "satellites", "laser", "satellites"]


def test_matching_is_on_normalised_forms(index):
    assert marked(hit_for(index, "electronique", "fr-satellite").snippet) == ["électronique"]
    assert marked(hit_for(index, "Électronique", "fr-embarquee").snippet) == ["electronique"]
    assert marked(hit_for(index, "technology", "en-laser").snippet) == ["technologies"]


def test_negated_terms_are_not_marked(index):
    assert marked(hit_for(index, "satellites -radars", "en-laser").snippet) == ["satellites"]


def test_long_text_is_cut_around_the_match(index):
    snippet = hit_for(index, "recrutent", "fr-script").snippet
    assert snippet.startswith("… ")
    assert "<mark>recrutent</mark>" in snippet
    assert not snippet.endswith("…")  # the window reaches the end of the text
    assert len(snippet.split()) <= 37


def test_start_of_text_when_nothing_matches(index):
    snippet = hit_for(index, "", "fr-script", themes=["optique-photonique"]).snippet
    assert snippet.startswith("Le salon de la photonique ouvre ses portes à Paris.")
    assert snippet.endswith(" …")
    assert "<mark>" not in snippet


def test_window_with_most_distinct_terms():
    text = ("laser " + "mot " * 40 + "laser satellite lidar " + "fin " * 40).strip()
    snippet = make_snippet(text, {term_fr("laser"), term_fr("satellite"), term_fr("lidar")}, width=10)
    assert marked(snippet) == ["laser", "satellite", "lidar"]
    assert snippet.startswith("… ") and snippet.endswith(" …")


def test_short_text_and_special_characters():
    assert make_snippet("R&D <laser> \"x\"", {term_fr("laser")}) == \
        "R&amp;D &lt;<mark>laser</mark>&gt; &quot;x&quot;"
    assert make_snippet("", {term_fr("laser")}) == ""
    assert make_snippet("<>&", set()) == "&lt;&gt;&amp;"
