"""The archive page and its index, opened from files in headless Chromium (Debian's)."""
from datetime import datetime
from zoneinfo import ZoneInfo

from reports.digest import build_digest, write_digest

NOW = datetime(2026, 11, 23, 0, 0, tzinfo=ZoneInfo("Europe/Paris"))
SECTIONS = ["Faits marquants", "Marché : Spatial", "Marché : Défense", "Thème : Optique et photonique",
            "Thème : Aéronautique et spatial", "Acteurs", "Tendances", "Marchés × thèmes",
            "Appels à projets et événements", "Opportunités transversales"]


def test_archive_page_renders_with_its_sections_and_chart(chromium, artifacts, config, index, tmp_path):
    out = tmp_path / "digests"
    html_path, _ = write_digest(build_digest(config, index, "zoom-spatial-defense", now=NOW), out)
    write_digest(build_digest(config, index, "energie-environnement", now=NOW), out)
    page = chromium.new_page(viewport={"width": 760, "height": 900})
    try:
        page.goto(html_path.as_uri())
        assert page.locator("h2").all_inner_texts() == SECTIONS
        chart = page.locator("img").first
        assert chart.evaluate("img => img.complete && img.naturalWidth") == 1120     # drawn at 2x
        assert 500 <= chart.evaluate("img => img.getBoundingClientRect().width") <= 560
        width = page.locator("table.container").evaluate("t => t.getBoundingClientRect().width")
        assert 590 <= width <= 610                                   # the ~600 px email layout
        assert page.locator("a", has_text="Toute la sélection dans la veille").count() >= 5
        cell = page.locator("table.matrix a").first.get_attribute("href")
        assert cell.startswith("http://127.0.0.1:8000/recherche?")
        page.screenshot(path=str(artifacts / "digest-archive.png"), full_page=True)

        page.goto((out / "index.html").as_uri())
        links = page.locator("p.title a")
        assert links.count() == 2
        page.locator("p.title a", has_text="Spatial et Défense").click()
        assert page.locator("h1").inner_text() == "Zoom-Marché Spatial et Défense"
    finally:
        page.close()


EN_SECTIONS = ["Highlights", "Market: Space", "Market: Defence", "Theme: Optics and photonics",
               "Theme: Aeronautics and space", "Actors", "Trends", "Markets × themes",
               "Calls for projects and events", "Cross-cluster opportunities"]


def test_english_archive_page_renders_in_english(chromium, artifacts, config, index, tmp_path):
    html_path, _ = write_digest(build_digest(config, index, "space-defence-en", now=NOW), tmp_path / "digests")
    page = chromium.new_page(viewport={"width": 760, "height": 900})
    try:
        page.goto(html_path.as_uri())
        assert page.locator("h2").all_inner_texts() == EN_SECTIONS
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("img").first.evaluate("img => img.complete && img.naturalWidth") == 1120
        assert page.locator("a", has_text="The whole selection in veille").count() >= 5
        page.screenshot(path=str(artifacts / "digest-archive-en.png"), full_page=True)
    finally:
        page.close()
