"""Reviewing a digest draft in the web app: list, edit (remove, reorder, move, comment), approve."""
import re
from html.parser import HTMLParser

import pytest
from starlette.testclient import TestClient

from tests.veille.web.conftest import login, with_review

PROFILE = "zoom-spatial-defense"


@pytest.fixture
def config(config):
    return with_review(config, PROFILE)


@pytest.fixture
def index(config):
    from index import open_index

    with open_index(config) as index:
        yield index


@pytest.fixture
def draft(config):
    from reports.review import latest_draft

    path = latest_draft(config.data_dir / "digests", PROFILE)
    assert path is not None
    return path


def key_of(path):
    return path.name[: -len(".draft.yaml")]


class ReviewForm(HTMLParser):
    """What a browser submits from the review form: hidden and text inputs, ticked boxes, chosen options."""

    def __init__(self, html):
        super().__init__()
        self.fields, self.disabled, self._inside, self._select = {}, False, False, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("class") == "review":
            self._inside = True
        if not self._inside:
            return
        if tag == "fieldset" and "disabled" in attributes:
            self.disabled = True
        elif tag == "input" and (attributes.get("type") != "checkbox" or "checked" in attributes):
            self.fields[attributes["name"]] = attributes.get("value") or ""
        elif tag == "select":
            self._select = attributes["name"]
        elif tag == "option" and "selected" in attributes:
            self.fields[self._select] = attributes["value"]

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False

    def rows(self):
        """Row number -> its fields; `keep` present only when ticked."""
        rows = {}
        for name, value in self.fields.items():
            match = re.fullmatch(r"r(\d+)\.(\w+)", name)
            if match:
                rows.setdefault(int(match[1]), {})[match[2]] = value
        return rows

    def kept(self, section):
        """The ticked rows of a section, in their order."""
        return sorted((n for n, row in self.rows().items() if row["section"] == section and "keep" in row),
                      key=lambda n: int(self.rows()[n]["order"]))

    def data(self, rows=None, **extra):
        plain = {name: value for name, value in self.fields.items() if not re.match(r"r\d+\.", name)}
        rows = self.rows() if rows is None else rows
        return {**plain, **{f"r{n}.{k}": v for n, row in rows.items() for k, v in row.items()}, **extra}


def open_form(client, path) -> ReviewForm:
    response = client.get(f"/relecture/{key_of(path)}")
    assert response.status_code == 200
    return ReviewForm(response.text)


def post(client, path, data):
    return client.post(f"/relecture/{key_of(path)}", data=data, follow_redirects=False)


def layout(digest):
    return [(s.id, [(i.article_id, i.comment) for i in s.items]) for s in digest.sections() if s.items]


def test_drafts_are_listed_with_their_state_and_linked_from_the_archive(client, draft):
    page = client.get("/relecture").text
    assert "Zoom-Marché Spatial et Défense" in page and f'href="/relecture/{key_of(draft)}"' in page
    assert 'class="state state-draft">brouillon<' in page and f'href="/syntheses/{key_of(draft)}.html"' in page
    assert 'href="/relecture"' in client.get("/syntheses/").text
    assert re.search(r'<nav>.*href="/relecture".*</nav>', client.get("/recherche").text, re.S)
    client.get("/langue/en")
    assert "Digest review" in client.get("/relecture").text


def test_an_edit_writes_the_draft_that_is_sent(client, config, index, draft):
    from reports.delivery import reviewed_digest

    form = open_form(client, draft)
    rows = form.rows()
    sections = list(dict.fromkeys(row["section"] for row in rows.values()))
    highlights, other = sections[0], next(s for s in sections[1:] if form.kept(s))
    first, second, third, fourth = form.kept(highlights)[:4]
    del rows[second]["keep"]                                     # removed
    rows[third].update(order="1", comment="À lire en priorité")  # first now, with a comment
    rows[first]["order"] = "2"
    rows[fourth].update(section=other, order="1")                # moved to the top of another section
    response = post(client, draft, form.data(rows, action="save"))
    assert response.status_code == 303

    ids = {n: rows[n]["id"] for n in rows}
    reviewed = dict(layout(reviewed_digest(config, index, draft)))
    kept_after = [ids[n] for n in form.kept(highlights)[4:]]
    assert reviewed[highlights] == [(ids[third], "À lire en priorité"), (ids[first], "")] + [
        (article, "") for article in kept_after]
    assert reviewed[other][0] == (ids[fourth], "")
    assert ids[second] not in [article for article, _ in reviewed[highlights]]
    text = draft.read_text(encoding="utf-8")
    assert text.startswith("# Brouillon de synthèse") and "veille digest approve zoom-spatial-defense" in text

    page = client.get(f"/relecture/{key_of(draft)}").text      # the page shows what was saved
    again = ReviewForm(page)
    assert "Brouillon enregistré." in page
    assert [again.rows()[n]["id"] for n in again.kept(highlights)[:2]] == [ids[third], ids[first]]
    preview = client.get(f"/syntheses/{key_of(draft)}.html").text
    assert "À lire en priorité" in preview and "en attente d'approbation" in preview


def test_up_and_down_buttons_work_without_javascript(client, config, index, draft):
    from reports.delivery import reviewed_digest

    form = open_form(client, draft)
    highlights = form.rows()[0]["section"]
    first, second = form.kept(highlights)[:2]
    response = post(client, draft, form.data(move=f"down:{first}"))
    assert response.status_code == 303 and response.headers["location"].endswith(f"#section-{highlights}")
    reviewed = dict(layout(reviewed_digest(config, index, draft)))
    rows = form.rows()
    assert [article for article, _ in reviewed[highlights][:2]] == [rows[second]["id"], rows[first]["id"]]


def test_approving_records_the_user_and_an_edit_after_approval_unapproves(client, config, index, draft):
    from reports.delivery import approved_digest, reviewed_digest
    from reports.sendlog import SendLog

    folder = config.data_dir / "digests"
    assert approved_digest(config, index, PROFILE, folder) is None
    response = post(client, draft, open_form(client, draft).data(action="approve"))
    assert response.status_code == 303
    with SendLog.of(config.data_dir) as book:
        assert book.approval_details(key_of(draft))["approved_by"] == "marie"
    approved = approved_digest(config, index, PROFILE, folder)
    assert approved is not None and layout(approved) == layout(reviewed_digest(config, index, draft))
    page = client.get(f"/relecture/{key_of(draft)}").text
    assert "Synthèse approuvée" in page and "state-approved" in page and "approuvé par marie" in page

    post(client, draft, open_form(client, draft).data(action="save"))          # nothing changed: still approved
    assert "Aucune modification." in client.get(f"/relecture/{key_of(draft)}").text
    assert approved_digest(config, index, PROFILE, folder) is not None

    form = open_form(client, draft)
    rows = form.rows()
    del rows[form.kept(rows[0]["section"])[0]]["keep"]
    post(client, draft, form.data(rows, action="save"))
    assert approved_digest(config, index, PROFILE, folder) is None
    page = client.get(f"/relecture/{key_of(draft)}").text
    assert "approuvez-le à nouveau" in page and "modifié depuis l&#39;approbation" in page
    assert "state-changed" in client.get("/relecture").text


def reviewers(config, names):
    web = config.settings.web.model_copy(update={"reviewers": names})
    return config.model_copy(update={"settings": config.settings.model_copy(update={"web": web})})


def test_only_designated_reviewers_may_save_or_approve(client, config, draft):
    from veille.web.app import create_app

    form = open_form(client, draft)
    before = draft.read_bytes()
    with TestClient(create_app(reviewers(config, ["paul"])), base_url="https://testserver") as other:
        login(other)
        page = ReviewForm(other.get(f"/relecture/{key_of(draft)}").text)
        assert page.disabled and 'value="approve"' not in other.get(f"/relecture/{key_of(draft)}").text
        response = post(other, draft, {**form.data(action="approve"), "csrftoken": page.fields["csrftoken"]})
        assert response.status_code == 403 and "Seuls les relecteurs désignés" in response.text
    assert draft.read_bytes() == before
    with TestClient(create_app(reviewers(config, ["marie"])), base_url="https://testserver") as reviewer:
        login(reviewer)
        assert post(reviewer, draft, open_form(reviewer, draft).data(action="approve")).status_code == 303


@pytest.mark.parametrize("field, value, message", [
    ("id", "inexistant", "article inconnu"),
    ("section", "rubrique-inventee", "inconnue"),
    ("order", "premier", "position invalide"),
])
def test_unknown_ids_and_bad_values_are_refused_in_french(client, draft, field, value, message):
    form = open_form(client, draft)
    rows = form.rows()
    rows[form.kept(rows[0]["section"])[0]][field] = value
    before = draft.read_bytes()
    response = post(client, draft, form.data(rows, action="save"))
    assert response.status_code == 400 and message in response.text
    assert draft.read_bytes() == before


def test_unknown_drafts_and_stale_pages(client, draft):
    assert client.get("/relecture/..%2F..%2Fconfig").status_code == 404
    assert client.get("/relecture/zoom-spatial-defense-1999-01-04").status_code == 404
    form = open_form(client, draft)
    assert post(client, draft, form.data(action="publier")).status_code == 400
    assert post(client, draft, form.data(action="save", sha="0" * 64)).status_code == 409
    assert post(client, draft, {k: v for k, v in form.data(action="save").items() if k != "csrftoken"}
                ).status_code == 403


def test_a_hostile_comment_is_cleaned_capped_and_escaped(client, draft):
    form = open_form(client, draft)
    rows = form.rows()
    first = form.kept(rows[0]["section"])[0]
    rows[first]["comment"] = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>\x1b[31m" + "x" * 2000
    assert post(client, draft, form.data(rows, action="save")).status_code == 303
    page = client.get(f"/relecture/{key_of(draft)}").text
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "<img" not in page and not any(name.startswith("on") for name in attribute_names(page))
    comment = ReviewForm(page).rows()[first]["comment"]
    assert comment.startswith("<script>alert('x')</script>\"><img") and len(comment) == 500 and "\x1b" not in comment


def attribute_names(html):
    names = []
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, attrs: names.extend(name for name, _ in attrs)
    parser.feed(html)
    return names


def test_a_sent_digest_is_shown_as_sent_and_no_longer_editable(client, config, draft):
    from reports.sendlog import SendLog

    form = open_form(client, draft)
    with SendLog.of(config.data_dir) as book:
        book.mark(key_of(draft), "veille-spatial@example.org", "sent")
    assert 'class="state state-sent">envoyé<' in client.get("/relecture").text
    assert ReviewForm(client.get(f"/relecture/{key_of(draft)}").text).disabled
    response = post(client, draft, form.data(action="approve"))
    assert response.status_code == 409 and "déjà partie" in response.text
