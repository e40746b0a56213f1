"""The HTML pages: access control, CSRF, security headers, escaping, the forms experts use."""
import re

from starlette.testclient import TestClient

from tests.veille.web.conftest import PASSWORD, add_user, bind, csrf_of, login


def first_article_id(client, q="nanosatellite"):
    return client.get("/api/search", params={"q": q}).json()["hits"][0]["id"]


def test_every_page_needs_a_login(anonymous):
    for path in ("/recherche?q=laser", "/tendances", "/suivis", "/syntheses/", "/article/x"):
        response = anonymous.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/connexion?next=")


def test_login_brings_back_to_the_asked_search(anonymous):
    response = login(anonymous, next_url="/recherche?q=laser")
    assert response.status_code == 303 and response.headers["location"] == "/recherche?q=laser"
    session = next(c for c in response.headers.get_list("set-cookie") if c.startswith("veille_session="))
    assert all(flag in session.lower() for flag in ("secure", "httponly", "samesite=lax"))


def test_wrong_password_and_unknown_user_get_the_same_answer(anonymous):
    wrong = login(anonymous, password="not-the-password")
    unknown = login(anonymous, username="personne")
    assert wrong.status_code == unknown.status_code == 401
    assert "Identifiant ou mot de passe incorrect." in wrong.text and "Identifiant ou mot de passe incorrect." in unknown.text


def test_login_is_rate_limited(anonymous):
    codes = [login(anonymous, password=f"wrong-{i}").status_code for i in range(6)]
    assert codes == [401] * 5 + [429]
    assert login(anonymous).status_code == 429  # even the right password waits
    assert "Trop de tentatives" in login(anonymous).text


def test_login_never_redirects_to_another_site(anonymous):
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        assert login(anonymous, next_url=target).headers["location"] == "/recherche"


def test_forms_without_the_csrf_token_are_refused(client):
    article_id = first_article_id(client)
    response = client.post(f"/article/{article_id}/jugement", data={"kind": "theme", "label": "aeronautique-spatial",
                                                                     "relevant": "1"})
    assert response.status_code == 403
    response = client.post("/connexion", data={"username": "marie", "password": PASSWORD})
    assert response.status_code == 403


def test_security_headers(client):
    response = client.get("/recherche?q=laser")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "<script>" not in response.text.replace('<script src="/static/app.js" defer></script>', "")


def test_search_page_has_facets_highlights_and_a_shareable_url(client):
    page = client.get("/recherche", params={"q": "nanosatellite", "theme": "aeronautique-spatial"}).text
    assert "<mark>" in page and 'class="selected"' in page
    assert re.search(r'href="/recherche\?q=nanosatellite&amp;theme=aeronautique-spatial&amp;theme=', page)
    assert "résultat(s)" in page


def test_malformed_query_shows_a_clear_message(client):
    response = client.get("/recherche", params={"q": '"phrase sans fin'})
    assert response.status_code == 400 and "Requête invalide" in response.text


def test_hostile_article_is_escaped_everywhere(client):
    hits = client.get("/api/search", params={"q": "attackers abuse news feeds"}).json()["hits"]
    assert hits and "<script" not in hits[0]["snippet"]
    page = client.get("/recherche", params={"q": "attackers abuse news feeds"}).text
    article = client.get(f"/article/{hits[0]['id']}").text
    for html in (page, article):
        assert "<script>alert" not in html and "&lt;script&gt;alert" in html
        assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", html)  # no event attribute from content
        assert 'href="javascript:' not in html


def test_judging_from_the_article_page(client):
    article_id = first_article_id(client)
    token = csrf_of(client)
    response = client.post(f"/article/{article_id}/jugement", follow_redirects=False, data={
        "csrftoken": token, "kind": "theme", "label": "aeronautique-spatial", "relevant": "1"})
    assert response.status_code == 303
    page = client.get(f"/article/{article_id}").text
    assert "Jugement enregistré." in page and "aeronautique-spatial : Pertinent" in page
    client.post(f"/article/{article_id}/jugement", data={
        "csrftoken": token, "correct": "1", "themes": ["aeronautique-spatial"], "markets": ["spatial", "defense"],
        "note": "à suivre pour <b>Aerospace Valley</b>"})
    page = client.get(f"/article/{article_id}").text
    assert "spatial, defense" in page and "&lt;b&gt;Aerospace Valley&lt;/b&gt;" in page


def test_following_a_search_from_the_results(client):
    token = csrf_of(client)
    response = client.post("/suivis", follow_redirects=False, data={
        "csrftoken": token, "name": "Lidar", "query": "q=lidar&theme=optique-photonique", "frequency": "weekly"})
    assert response.status_code == 303
    page = client.get("/suivis").text
    assert 'href="/recherche?q=lidar&amp;theme=optique-photonique"' in page


def test_trends_page_has_charts_rising_terms_actors_and_a_linked_matrix(client):
    page = client.get("/tendances").text
    assert "<svg" in page and "<rect" in page
    assert re.search(r'href="/recherche\?market=[a-z-]+&amp;theme=[a-z-]+&amp;since=[0-9-]+&amp;until=[0-9-]+"', page)
    assert "Termes en hausse" in page and "Nouveaux" in page
    assert "Historique insuffisant" in page  # the fixture web has no articles before these 8 weeks
    assert re.search(r'<ul class="new-actors">\s*<li>', page)


def test_trends_page_narrows_to_a_theme_and_refuses_unknown_ones(client):
    page = client.get("/tendances", params={"theme": "optique-photonique", "weeks": 4}).text
    assert '<option value="optique-photonique" selected>' in page
    assert client.get("/tendances", params={"theme": "<script>"}).status_code == 400


def test_digest_archive_lists_and_serves_digests_but_nothing_else(client, config):
    page = client.get("/syntheses/").text
    names = re.findall(r'href="/syntheses/([^"]+\.html)"', page)
    assert names and "index.html" not in names
    name = names[0]
    digest = client.get(f"/syntheses/{name}")
    assert digest.status_code == 200 and "Zoom-Marché" in digest.text
    assert "script-src" not in digest.headers["content-security-policy"]
    for bad in ("..%2Fweb-secret", "web-secret", "..%2F..%2Fconfig%2Fsettings.yaml"):
        assert client.get(f"/syntheses/{bad}").status_code == 404


def test_english_interface_on_request(client):
    client.get("/langue/en?next=/recherche")
    assert "result(s)" in client.get("/recherche?q=laser").text
    client.get("/langue/fr")
    assert "résultat(s)" in client.get("/recherche?q=laser").text


def test_reverse_proxy_mode_trusts_only_the_proxy(newsweb, config):
    from veille.web.app import create_app

    proxied = bind(newsweb, config.data_dir, auth="proxy", trusted_proxies=["testclient"])
    with TestClient(create_app(proxied), base_url="https://testserver") as client:
        assert client.get("/api/me", headers={"X-Remote-User": "jean.dupont"}).json() == {"user": "jean.dupont"}
        assert client.get("/api/me").status_code == 401
    untrusted = bind(newsweb, config.data_dir, auth="proxy", trusted_proxies=["10.0.0.1"])
    with TestClient(create_app(untrusted), base_url="https://testserver") as client:
        assert client.get("/api/me", headers={"X-Remote-User": "jean.dupont"}).status_code == 401


def test_passwords_are_stored_salted_and_hashed(config):
    from veille.web.store import WebStore

    add_user(config, "paul", PASSWORD)
    add_user(config, "lea", PASSWORD)
    store = WebStore(config.data_dir)
    first, second = store.password_hash("paul"), store.password_hash("lea")
    store.close()
    assert first.startswith("$argon2") and first != second and PASSWORD not in first
