"""render_digest and write_digest: headings, escaping, safe links, plain text, files."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from reports.digest import build_digest, render_digest, write_digest
from reports.render import environment

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 23, 0, 0, tzinfo=PARIS)  # Monday midnight: the week is 16-22 November

HEADINGS = [
    "Faits marquants",
    "Thème : Optique et photonique",
    "Thème : Aéronautique et spatial",
    "Marché : Spatial",
    "Marché : Défense",
    "Acteurs",
    "Appels à projets et événements",
    "Opportunités transversales",
    "Comment cette synthèse a été produite",
]


@pytest.fixture
def week(config, index):
    return build_digest(config, index, "zoom-spatial-defense", now=NOW)


@pytest.fixture
def rendered(week):
    return render_digest(week)


def test_html_has_every_section_and_the_cover(rendered):
    html, _ = rendered
    for heading in HEADINGS:
        assert heading in html
    assert "Zoom-Marché Spatial et Défense" in html
    assert "du 16 au 22 novembre 2026" in html
    assert "12 articles lus · 4 sources" in html
    assert "… et 1 autre" in html


def test_html_is_email_safe(rendered):
    html, _ = rendered
    assert html.startswith("<!DOCTYPE html>")
    assert 'width="600"' in html
    assert "<style" not in html                       # css-inline moved every rule into the tags
    assert 'class="cover" style="' in html and "background-color: #17324d" in html
    assert "<script" not in html.lower()
    assert 'lang="fr"' in html


def test_crawled_markup_is_escaped(rendered):
    html, _ = rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html


def test_javascript_url_is_not_a_link(rendered):
    html, text = rendered
    assert "javascript:" not in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)
    assert "javascript:" not in text


def test_html_j2_templates_are_autoescaped():
    env = environment()
    assert env.autoescape("digest.html.j2") is True
    assert env.autoescape("base.html.j2") is True
    assert env.autoescape("digest.txt.j2") is False
    assert env.from_string("{{ v }}").render(v="<b>") == "&lt;b&gt;"


def test_text_has_the_same_titles_and_no_markup(week, rendered):
    html, text = rendered
    for heading in HEADINGS:
        assert heading in text
    sections = [week.highlights, *week.theme_sections, *week.market_sections,
                week.calls_and_events, week.transversal]
    for title in {item.title for section in sections for item in section.items}:
        if len(title) <= 70:  # longer titles are wrapped over two lines
            assert title in text
    assert "<p" not in text and "<a " not in text and "&#39;" not in text
    assert "Le CNES lance un appel à projets sur les constellations" in text


def test_control_characters_are_removed(rendered):
    html, text = rendered
    for output in rendered:
        assert "\x1b" not in output and "[31m" not in output and "\u202e" not in output
    assert "Un article piégé publié par un site compromis" in text


def test_empty_sections_say_so(config, index):
    digest = build_digest(config, index, "energie-environnement", now=NOW)
    html, text = render_digest(digest)
    for output in (html, text):
        assert "Thème : Environnement" in output
        assert "Aucun article cette semaine." in output
    day = build_digest(config, index, "energie-environnement", period="day", now=NOW)
    html, text = render_digest(day)
    assert "Aucun article ces dernières 24 heures." in text
    assert text.count("Aucun article ces dernières 24 heures.") == 6  # every article section
    assert "Aucun acteur du registre cité ces dernières 24 heures." in html


def test_write_digest_names_files_by_profile_and_period_start(week, tmp_path):
    html_path, text_path = write_digest(week, tmp_path / "digests")
    assert html_path.name == "zoom-spatial-defense-2026-11-16.html"
    assert text_path.name == "zoom-spatial-defense-2026-11-16.txt"
    assert html_path.read_text(encoding="utf-8") == render_digest(week)[0]
    assert "Faits marquants" in text_path.read_text(encoding="utf-8")
    chart = "zoom-spatial-defense-2026-11-16-volume-themes.png"
    assert sorted(p.name for p in html_path.parent.iterdir()) == sorted(
        [html_path.name, text_path.name, chart, "index.html"])
    assert (html_path.parent / chart).read_bytes().startswith(b"\x89PNG")
    assert f'src="{chart}"' in html_path.read_text(encoding="utf-8")


def test_day_and_week_files_differ(config, index, tmp_path):
    day = build_digest(config, index, "zoom-spatial-defense", period="day", now=NOW)
    html_path, _ = write_digest(day, tmp_path)
    assert html_path.name == "zoom-spatial-defense-2026-11-22.html"
    html = html_path.read_text(encoding="utf-8")
    assert "2 articles lus" in html
    assert "du 22 novembre 2026 à 0 h 00 au 23 novembre 2026 à 0 h 00" in html
