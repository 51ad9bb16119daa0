"""The review app's guards over HTTP (Starlette's test client): token, cookie, CSRF, origin, Host, paths."""

from __future__ import annotations

import pytest

from kg.review import Review
from kg.review.app import create_app

# Starlette's test client warns that it will move from httpx to httpx2
pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")


@pytest.fixture
def client(reviewed):
    from starlette.testclient import TestClient

    root, slug = reviewed
    app = create_app(Review(root))
    with TestClient(app, base_url="http://127.0.0.1:8765", follow_redirects=False) as http:
        yield http, app.state.token, root, slug


def _login(http, token):
    answer = http.get(f"/?token={token}")
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    assert "httponly" in answer.headers["set-cookie"].lower() and "samesite=strict" in answer.headers["set-cookie"].lower()


def _csrf(http, slug) -> str:
    page = http.get(f"/doc/{slug}").text
    return page.split('"csrf": "', 1)[1].split('"', 1)[0]


def test_pages_need_the_token(client):
    http, token, _, _ = client
    assert http.get("/").status_code == 403
    assert http.get("/?token=wrong").status_code == 403
    assert http.get("/api/catalog").status_code == 403
    _login(http, token)
    listing = http.get("/")
    assert listing.status_code == 200 and "first round of indirect nuclear talks" in listing.text
    assert "nonce-" in listing.headers["content-security-policy"]


def test_a_foreign_host_is_refused(client):
    http, token, _, _ = client
    assert http.get(f"/?token={token}", headers={"Host": "attacker.example"}).status_code == 400


def test_writes_need_cookie_csrf_token_and_own_origin(client):
    http, token, root, slug = client
    facts_path = root / "corpus" / f"{slug}.facts.yaml"
    before = facts_path.read_bytes()
    _login(http, token)
    csrf = _csrf(http, slug)
    fact = http.get(f"/api/doc/{slug}").json()["items"][0]
    decision = {"slug": slug, "id": fact["id"], "index": fact["index"], "action": "accept"}
    good = {"X-CSRF-Token": csrf, "Origin": "http://127.0.0.1:8765"}
    refused = [
        http.post("/api/decide", json=decision),  # no CSRF token
        http.post("/api/decide", json=decision, headers={**good, "X-CSRF-Token": token}),  # the session token is not it
        http.post("/api/decide", json=decision, headers={**good, "Origin": "http://attacker.example"}),
        http.post("/api/decide", json=decision, headers={**good, "Sec-Fetch-Site": "cross-site"}),
        http.post("/api/decide", data={"slug": slug}, headers=good),  # a form, not JSON
        http.post("/api/rebuild", json={}, headers={"Origin": "http://127.0.0.1:8765"}),
    ]
    http.cookies.clear()
    refused.append(http.post("/api/decide", json=decision, headers=good))  # no cookie
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert all("refused" in r.json()["error"] or "not authorised" in r.json()["error"] for r in refused)
    assert facts_path.read_bytes() == before, "a refused request writes nothing"
    _login(http, token)
    accepted = http.post("/api/decide", json=decision, headers=good)
    assert accepted.status_code == 200, accepted.text
    assert facts_path.read_bytes() != before


def test_no_path_outside_the_project(client):
    http, token, root, slug = client
    _login(http, token)
    csrf = _csrf(http, slug)
    for name in ("..", "../../etc/passwd", "%2e%2e", "UPPER", "a/b"):
        answer = http.get(f"/api/doc/{name}")
        assert answer.status_code in (404, 409), name
    answer = http.post("/api/undo", json={"slug": "../ontology"}, headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 409 and "not the slug" in answer.json()["error"]
    (root / "exports" / "views").mkdir(parents=True)
    (root / "exports" / "views" / "index.html").write_text("<p>views</p>")
    assert http.get("/views/index.html").text == "<p>views</p>"
    assert http.get("/views/../../corpus/" + slug + ".facts.yaml").status_code == 404
    assert http.get("/views/%2e%2e/%2e%2e/ontology/impasse.ttl").status_code == 404


def test_a_stale_decision_is_refused_not_applied_blind(client):
    http, token, root, slug = client
    _login(http, token)
    csrf = _csrf(http, slug)
    fact = http.get(f"/api/doc/{slug}").json()["items"][0]
    decision = {"slug": slug, "id": fact["id"], "index": fact["index"], "action": "accept"}
    assert http.post("/api/decide", json=decision, headers={"X-CSRF-Token": csrf}).status_code == 200
    again = http.post("/api/decide", json=decision, headers={"X-CSRF-Token": csrf})
    assert again.status_code == 409 and "changed or removed since" in again.json()["error"]


def test_an_edit_the_loader_refuses_is_rolled_back_with_its_message(client):
    http, token, root, slug = client
    facts_path = root / "corpus" / f"{slug}.facts.yaml"
    before = facts_path.read_bytes()
    _login(http, token)
    csrf = _csrf(http, slug)
    fact = next(i for i in http.get(f"/api/doc/{slug}").json()["items"] if i["type"] == "fact"
                and i["fact"]["kind"] == "position")
    answer = http.post("/api/decide", headers={"X-CSRF-Token": csrf}, json={
        "slug": slug, "id": fact["id"], "index": fact["index"], "action": "edit", "changes": {"holder": "nobody-known"}})
    assert answer.status_code == 400
    assert f"{slug}.facts.yaml:" in answer.json()["error"] and "unknown actor 'nobody-known'" in answer.json()["error"]
    assert facts_path.read_bytes() == before


def test_kg_review_prints_a_loopback_url_with_its_token(reviewed):
    """The command as a user runs it: the URL it prints opens the list of documents; without its token, nothing."""
    import os
    import re
    import subprocess
    import sys

    import httpx

    root, _ = reviewed
    process = subprocess.Popen([sys.executable, "-m", "kg", "review", "-C", str(root), "--port", "0"],
                               stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        line = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/\?token=[\w-]{40,}", line)
        assert url, line
        with httpx.Client(follow_redirects=True) as http:
            assert http.get(url.group(0).split("?")[0]).status_code == 403
            page = http.get(url.group(0))
            assert page.status_code == 200 and "first round of indirect nuclear talks" in page.text
    finally:
        process.terminate()
        process.wait(10)
