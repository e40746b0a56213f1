"""The JSON API over the fixture web's articles: search, facets, articles, judgements, saved searches,
trends; every test on both index backends (the embedded SQLite file and a real Elasticsearch node)."""
import json

import pytest

from tests.veille.web.conftest import csrf_of


@pytest.fixture(params=["sqlite", "elasticsearch"])
def backend(request):
    return request.param


def search(client, **params):
    response = client.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_search_returns_ranked_hits_with_highlighted_snippets_and_facets(client):
    result = search(client, q="nanosatellite")
    assert result["total"] >= 2 and result["hits"]
    assert all("<mark>" in hit["snippet"] for hit in result["hits"])
    assert "aeronautique-spatial" in result["facets"]["themes"]
    assert {p["key"] for p in result["periods"]} == {"7j", "30j", "12m"}


def test_facets_narrow_the_results(client):
    every = search(client, q="laser")
    narrowed = search(client, q="laser", theme="risques-securite")
    assert 0 < narrowed["total"] < every["total"]
    assert narrowed["total"] == every["facets"]["themes"]["risques-securite"]
    assert all("risques-securite" in hit["themes"] for hit in narrowed["hits"])


def test_expert_syntax_and_sort_by_date(client):
    result = search(client, q='"capteurs photoniques" AND theme:aeronautique-spatial', sort="date")
    dates = [hit["published"] for hit in result["hits"]]
    assert result["total"] >= 1 and dates == sorted(dates, reverse=True)


def test_pagination_walks_every_hit_once(client):
    first, second = search(client, page=1), search(client, page=2)
    assert first["pages"] >= 3 and len(first["hits"]) == 20
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}


def test_a_malformed_query_is_a_clear_400(client):
    response = client.get("/api/search", params={"q": 'theme:"ouvert'})
    assert response.status_code == 400 and response.json()["detail"]


def test_facet_values_outside_the_allowlist_are_refused(client):
    for param, value in (("theme", "photonique'); DROP TABLE articles;--"), ("source", "inconnue"),
                         ("actor", "pas-un-acteur"), ("lang", "de")):
        response = client.get("/api/search", params={param: value})
        assert response.status_code == 400, (param, response.text)
        assert "inconnu" in response.json()["detail"]


def test_article_and_its_story(client):
    hit = search(client, q="nanosatellite", source="photonique-hebdo")["hits"][0]
    article = client.get(f"/api/articles/{hit['id']}").json()
    assert article["url"] == hit["url"] and article["text"] and article["themes"][0]["evidence"]
    assert client.get(f"/api/articles/{hit['id']}/story").status_code == 200
    assert client.get("/api/articles/nope").status_code == 404


def test_judgements_are_stored_with_who_and_when_and_exported(client, config):
    hit = search(client, q="nanosatellite")["hits"][0]
    token = csrf_of(client)
    body = {"kind": "theme", "label": "aeronautique-spatial", "relevant": True, "note": "bon signal"}
    response = client.post(f"/api/articles/{hit['id']}/judgements", json=body, headers={"x-csrftoken": token})
    assert response.status_code == 201, response.text
    saved = response.json()
    assert saved["who"] == "marie" and saved["at"] and saved["relevant"] is True
    correction = {"themes": ["aeronautique-spatial", "optique-photonique"], "markets": ["spatial"]}
    assert client.post(f"/api/articles/{hit['id']}/judgements", json=correction,
                       headers={"x-csrftoken": token}).status_code == 201
    assert len(client.get(f"/api/articles/{hit['id']}/judgements").json()) == 2
    assert len(client.get("/api/judgements").json()) == 2
    lines = [json.loads(x) for x in (config.data_dir / "judgements.jsonl").read_text().splitlines()]
    assert [j["relevant"] for j in lines] == [True, None] and lines[1]["themes"][1] == "optique-photonique"


def test_judgements_are_checked(client):
    hit = search(client, q="laser")["hits"][0]
    token = csrf_of(client)
    for body in ({"kind": "theme", "label": "inconnu", "relevant": True}, {"themes": ["pas-un-theme"]}, {},
                 {"relevant": False}):
        response = client.post(f"/api/articles/{hit['id']}/judgements", json=body, headers={"x-csrftoken": token})
        assert response.status_code == 400, body


def test_a_post_without_the_csrf_token_is_refused(client):
    hit = search(client, q="laser")["hits"][0]
    response = client.post(f"/api/articles/{hit['id']}/judgements", json={"note": "x"})
    assert response.status_code == 403


def test_saved_searches(client):
    token = csrf_of(client)
    created = client.post("/api/saved-searches", headers={"x-csrftoken": token},
                          json={"name": "Hydrogène", "query": "q=hydrog%C3%A8ne&market=energie", "frequency": "daily"})
    assert created.status_code == 201, created.text
    assert created.json()["query"] == "q=hydrog%C3%A8ne&market=energie"
    assert [s["name"] for s in client.get("/api/saved-searches").json()] == ["Hydrogène"]
    bad = client.post("/api/saved-searches", headers={"x-csrftoken": token},
                      json={"name": "x", "query": "theme=inconnu"})
    assert bad.status_code == 400
    assert client.delete(f"/api/saved-searches/{created.json()['id']}", headers={"x-csrftoken": token}).status_code == 204


def test_trends_give_volume_rising_terms_actors_and_the_matrix(client):
    trends = client.get("/api/trends", params={"weeks": 8}).json()
    assert len(trends["volume"]["weeks"]) == 8
    assert sum(trends["volume"]["series"]["optique-photonique"]) > 0
    cells = [cell for row in trends["matrix"].values() for cell in row.values()]
    assert sum(cell["count"] for cell in cells) > 0
    assert any(cell["top_actors"] for cell in cells)
    assert {"rising_terms", "rising_actors", "new_actors"} <= set(trends)
    assert trends["history"]["period"] > 0 and trends["history"]["enough"] is False
    assert trends["new_actors"] and all(a["count"] >= 1 for a in trends["new_actors"])
    for term in trends["rising_terms"]:
        assert term["count"] >= 2 and term["score"] >= 3.84


def test_trends_of_one_theme_and_an_unknown_theme(client):
    one = client.get("/api/trends", params={"weeks": 4, "theme": "optique-photonique"})
    assert one.status_code == 200 and one.json()["theme"] == "optique-photonique"
    assert client.get("/api/trends", params={"theme": "inconnu"}).status_code == 400


def test_the_api_needs_a_login(anonymous):
    assert anonymous.get("/api/search").status_code == 401
    assert anonymous.get("/api/openapi.json").status_code == 200


def test_out_of_range_ids_are_a_client_error(client):
    token = csrf_of(client)
    response = client.delete(f"/api/saved-searches/{2**70}", headers={"x-csrftoken": token})
    assert response.status_code == 422
