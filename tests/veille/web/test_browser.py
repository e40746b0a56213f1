"""An expert's session in headless Chromium against `veille serve`'s app on loopback."""
import socket
import threading
import time

import pytest
import uvicorn

from tests.veille.web.conftest import PASSWORD, add_user, with_review


@pytest.fixture
def server(config):
    from veille.web.app import create_app

    add_user(config)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(config), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the web app did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(chromium, server):
    context = chromium.new_context(base_url=server, locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    yield page
    context.close()


def log_in(page, on_login_page: bool = False) -> None:
    """Sign in as marie: on the login page the app redirected to (keeping its `next`), or from /connexion."""
    if not on_login_page:
        page.goto("/connexion")
    page.fill("input[name=username]", "marie")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/connexion'] button[type=submit]")


def test_an_expert_searches_narrows_reads_judges_and_follows(page, artifacts):
    shots = artifacts / "web"
    shots.mkdir(exist_ok=True)
    page.goto("/recherche?q=nanosatellite")
    assert "/connexion" in page.url
    log_in(page, on_login_page=True)
    page.wait_for_url("**/recherche?q=nanosatellite")
    page.screenshot(path=str(shots / "1-recherche.png"), full_page=True)
    total = int(page.inner_text("p.total strong"))
    assert total >= 2 and page.locator(".hit mark").count() > 0

    page.click("section[data-facet=source] a:has-text('Photonique Hebdo')")
    page.wait_for_url("**source=photonique-hebdo**")
    narrowed = int(page.inner_text("p.total strong"))
    assert 0 < narrowed < total
    page.screenshot(path=str(shots / "2-facette.png"), full_page=True)

    title = page.inner_text(".hit h3 a >> nth=0")
    page.click(".hit h3 a >> nth=0")
    page.wait_for_url("**/article/**")
    assert page.inner_text("h1") == title
    page.click("section.labels form.verdict >> nth=0 >> button[value='1']")
    page.wait_for_load_state()
    assert "Jugement enregistré." in page.inner_text("p.flash")
    assert "Pertinent" in page.inner_text("ul.judgements")
    page.screenshot(path=str(shots / "3-article-juge.png"), full_page=True)

    page.go_back()
    page.go_back()
    page.wait_for_url("**source=photonique-hebdo**")
    page.fill("form.follow input[name=name]", "Nanosatellites — Photonique Hebdo")
    page.select_option("form.follow select[name=frequency]", "daily")
    page.click("form.follow button[type=submit]")
    page.wait_for_url("**/suivis")
    assert "Nanosatellites — Photonique Hebdo" in page.inner_text("ul.follows")
    page.screenshot(path=str(shots / "4-suivis.png"), full_page=True)

    page.click("nav a[href='/tendances']")
    page.wait_for_url("**/tendances")
    assert page.locator("svg.bars rect").count() > 0 and page.locator("ul.new-actors li").count() > 0
    page.click(".matrix td.hot a >> nth=0")
    page.wait_for_url("**/recherche?market=**")
    assert int(page.inner_text("p.total strong")) > 0
    page.go_back()
    page.screenshot(path=str(shots / "6-tendances.png"), full_page=True)
    assert page.dialogs == [] and page.console_errors == []


def test_a_hostile_article_runs_no_script(page, server, artifacts):
    log_in(page)
    page.goto("/recherche?q=attackers+abuse+news+feeds")
    page.click(".hit h3 a >> nth=0")
    page.wait_for_url("**/article/**")
    assert "<script>alert('xss')</script>" in page.inner_text("h1")  # shown as text
    assert page.evaluate("document.querySelectorAll('script').length") == 1  # our app.js only
    assert page.evaluate("Array.from(document.querySelectorAll('*')).some("
                         "el => Array.from(el.attributes).some(a => a.name.startsWith('on')))") is False
    page.screenshot(path=str(artifacts / "web" / "5-article-hostile.png"), full_page=True)
    assert page.dialogs == []


def test_a_watch_officer_edits_and_approves_a_draft(page, config, artifacts):
    from reports.delivery import approved_digest
    from reports.review import latest_draft, read_draft
    from index import open_index

    reviewed = with_review(config)   # the draft is on disk: the running app serves it as it is
    log_in(page)
    page.goto("/syntheses/")
    page.click("main a[href='/relecture']")
    page.wait_for_url("**/relecture")
    assert "brouillon" in page.inner_text("table.drafts")
    page.click("table.drafts a:has-text('Relire')")
    page.wait_for_url("**/relecture/zoom-spatial-defense-*")

    rows = page.locator("section.review-section >> nth=0").locator("tr.kept")
    titles = [rows.nth(i).locator("td.article a").inner_text() for i in range(3)]
    rows.nth(1).locator("input[type=checkbox]").uncheck()
    rows.nth(0).locator("input[name$='.comment']").fill("À lire en priorité")
    with page.expect_navigation():
        page.click(".review-actions >> nth=0 >> button[value=save]")
    assert "Brouillon enregistré." in page.inner_text("p.flash")
    highlights = page.locator("section.review-section >> nth=0")
    assert titles[1] in highlights.locator("tr.removed").inner_text()
    assert highlights.locator("tr.kept >> nth=1 >> td.article a").inner_text() == titles[2]

    with page.expect_navigation():   # the arrows are submit buttons: no script needed
        highlights.locator("tr.kept >> nth=0 >> button[value^='down:']").click()
    assert page.locator("section.review-section >> nth=0 >> tr.kept >> nth=0 >> td.article a").inner_text() \
        == titles[2]
    with page.expect_navigation():
        page.click(".review-actions >> nth=0 >> button[value=approve]")
    assert "Synthèse approuvée" in page.inner_text("p.flash")
    assert "approuvé par marie" in page.inner_text("p.review-state")
    page.screenshot(path=str(artifacts / "web" / "7-relecture.png"), full_page=True)
    assert page.dialogs == [] and page.console_errors == []

    draft = latest_draft(config.data_dir / "digests", "zoom-spatial-defense")
    listed = read_draft(draft)["sections"][0]["articles"]
    assert [a["titre"] for a in listed[:2]] == [titles[2], titles[0]] and listed[1]["commentaire"] == "À lire en priorité"
    with open_index(reviewed) as index:
        assert approved_digest(reviewed, index, "zoom-spatial-defense", config.data_dir / "digests") is not None
