"""The console over HTTP (aiohttp's test client on a real Redis): sign-in, sessions, CSRF,
rate limits, the SSO header, roles and security headers. Browser flows are in test_browser.py."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from gateway.quarantine.console.app import create_app
from gateway.quarantine.review import Review
from gateway.quarantine.store import QuarantineStore
from gateway.quarantine.users import UserStore
from gateway.settings import Settings

from ..qfixtures import NINO, PASSWORD, new_http_item, new_mail_item

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def people(users: UserStore) -> UserStore:
    users.add("alice", "reviewer", PASSWORD)
    users.add("bob", "senior-reviewer", PASSWORD)
    users.add("erin", "auditor", PASSWORD)
    return users


async def make_client(store: QuarantineStore, users: UserStore, **settings: object) -> TestClient:
    config = replace(Settings(), **settings)  # type: ignore[arg-type]
    review = Review(store, users, "127.0.0.1:1")
    app = create_app(config, store, users=users, review=review)
    client = TestClient(TestServer(app))
    await client.start_server()
    return client


@pytest.fixture
async def client(store: QuarantineStore, people: UserStore) -> AsyncIterator[TestClient]:
    c = await make_client(store, people)
    yield c
    await c.close()


async def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> int:
    return (await sign_in_response(client, name, password)).status


async def sign_in_response(client: TestClient, name: str, password: str = PASSWORD) -> ClientResponse:
    page = await client.get("/login")
    token = CSRF.search(await page.text())
    assert token
    return await client.post(
        "/login", data={"name": name, "password": password, "csrf": token.group(1), "next": "/items"},
        allow_redirects=False,
    )  # fmt: skip


async def csrf_of(client: TestClient, path: str = "/items") -> str:
    page = await client.get(path)
    match = CSRF.search(await page.text())
    assert match
    return match.group(1)


async def test_pages_need_a_session(client: TestClient) -> None:
    response = await client.get("/items", allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/login?next=/items"
    response = await client.post("/items/Q-20260101-AAAAAAAA/release", data={"reason": "x"})
    assert response.status == 403 and "Sign in first" in await response.text()


async def test_sign_in_sets_a_strict_http_only_cookie_and_a_fresh_token(client: TestClient) -> None:
    response = await sign_in_response(client, "alice")
    assert response.status == 303 and response.headers["Location"] == "/items"
    set_cookie = next(c for c in response.headers.getall("Set-Cookie") if c.startswith("dlp_session="))
    assert "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie and "Path=/" in set_cookie
    assert "Secure" not in set_cookie  # plain HTTP on loopback in tests; see test_secure_cookies_over_https
    first = client.session.cookie_jar.filter_cookies(client.make_url("/"))["dlp_session"].value
    response = await client.get("/items")
    assert response.status == 200 and "alice" in await response.text()
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    token = await csrf_of(client)
    assert (await client.post("/logout", data={"csrf": token}, allow_redirects=False)).status == 303
    assert (await client.get("/items", allow_redirects=False)).status == 303
    await sign_in(client, "alice")
    assert client.session.cookie_jar.filter_cookies(client.make_url("/"))["dlp_session"].value != first


async def test_secure_cookies_over_https(
    store: QuarantineStore, people: UserStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DLP_CONSOLE_COOKIE_SECURE", "true")
    client = await make_client(store, people)
    try:
        page = await client.get("/login")
        token = CSRF.search(await page.text())
        assert token
        assert "Secure" in page.headers["Set-Cookie"]
        # The test client speaks plain HTTP, so it would never send a Secure cookie back: do it by hand.
        response = await client.post("/login", data={"name": "alice", "password": PASSWORD, "csrf": token.group(1)},
                                     headers={"Cookie": f"dlp_login={token.group(1)}"},
                                     allow_redirects=False)  # fmt: skip
        assert response.status == 303
        set_cookie = response.headers.getall("Set-Cookie")
        session = next(c for c in set_cookie if c.startswith("__Host-dlp_session="))
        assert "Secure" in session and "HttpOnly" in session and "SameSite=Strict" in session
        assert "Strict-Transport-Security" in response.headers
    finally:
        await client.close()


async def test_sign_in_form_needs_its_csrf_token(client: TestClient) -> None:
    response = await client.post("/login", data={"name": "alice", "password": PASSWORD})
    assert response.status == 403 and "CSRF" in await response.text()


async def test_wrong_passwords_are_rate_limited_per_account(client: TestClient, store: QuarantineStore) -> None:
    for _ in range(5):
        assert await sign_in(client, "alice", "wrong password!") == 401
    assert await sign_in(client, "alice") == 429  # even the right password waits now
    assert await sign_in(client, "bob") == 303  # other accounts are unaffected
    records = store.audit.records()
    assert [r.event for r in records] == ["sign-in"] and records[0].actor == "bob"


async def test_rate_limited_per_client_address(store: QuarantineStore, people: UserStore,
                                               monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("DLP_CONSOLE_LOGIN_MAX_FAILURES_PER_CLIENT", "3")
    client = await make_client(store, people)
    try:
        for name in ("x1", "x2", "x3"):
            assert await sign_in(client, name, "wrong password!") == 401
        assert await sign_in(client, "alice") == 429
    finally:
        await client.close()


async def test_every_post_needs_the_session_csrf_token(client: TestClient, store: QuarantineStore) -> None:
    ref = store.put(new_mail_item())
    await sign_in(client, "alice")
    response = await client.post(f"/items/{ref}/reject", data={"reason": "no"})
    assert response.status == 403 and "CSRF" in await response.text()
    response = await client.post(f"/items/{ref}/reject", data={"reason": "no", "csrf": "forged"})
    assert response.status == 403
    assert store.get(ref).state == "held"
    token = await csrf_of(client)
    response = await client.post(f"/items/{ref}/reject", data={"reason": "no", "csrf": token}, allow_redirects=False)
    assert response.status == 303 and store.get(ref).state == "rejected"


async def test_auditor_reads_but_cannot_act(client: TestClient, store: QuarantineStore) -> None:
    ref = store.put(new_mail_item())
    await sign_in(client, "erin")
    page = await client.get(f"/items/{ref}")
    html = await page.text()
    assert page.status == 200 and "release-form" not in html and "reveal-form" not in html
    token = await csrf_of(client)
    for action in ("release", "reject", "reveal"):
        response = await client.post(f"/items/{ref}/{action}", data={"reason": "because", "csrf": token})
        assert response.status == 403, action
        assert "auditor role may not" in await response.text()
    assert store.get(ref).state == "held"
    assert (await client.get("/audit")).status == 200


async def test_item_page_masks_values_and_reveal_shows_them_once(client: TestClient, store: QuarantineStore) -> None:
    ref = store.put(new_http_item())
    await sign_in(client, "alice")
    html = await (await client.get(f"/items/{ref}")).text()
    assert NINO not in html and "Jane Marple" not in html
    assert "NI Number" in html and "not allowed" in html and "#a1b2c3d4" in html
    token = await csrf_of(client)
    response = await client.post(f"/items/{ref}/reveal", data={"reason": "", "csrf": token})
    assert response.status == 403 and NINO not in await response.text()
    response = await client.post(f"/items/{ref}/reveal", data={"reason": "check the NI numbers", "csrf": token})
    assert response.status == 200 and NINO in await response.text()
    assert NINO not in await (await client.get(f"/items/{ref}")).text()
    assert [(r.event, r.details["reason"]) for r in store.audit.records(ref=ref)] == [
        ("reveal", "check the NI numbers")]  # fmt: skip


async def test_sso_header_only_when_configured(store: QuarantineStore, people: UserStore) -> None:
    plain = await make_client(store, people)
    try:
        response = await plain.get("/items", headers={"X-Remote-User": "bob"}, allow_redirects=False)
        assert response.status == 303  # not configured: the header means nothing
    finally:
        await plain.close()
    sso = await make_client(store, people, console_sso_header="X-Remote-User")
    try:
        response = await sso.get("/items", headers={"X-Remote-User": "bob"})
        assert response.status == 200 and "bob" in await response.text()
        response = await sso.get("/items", headers={"X-Remote-User": "mallory"}, allow_redirects=False)
        assert response.status == 303  # unknown to the local accounts: no entry
        assert [r.details["via"] for r in store.audit.records()] == ["sso"]
    finally:
        await sso.close()


async def test_unknown_items_and_open_redirects(client: TestClient) -> None:
    await sign_in(client, "alice")
    assert (await client.get("/items/Q-20260101-AAAAAAAA")).status == 404
    assert (await client.get("/items/nonsense")).status == 404
    page = await client.get("/login?next=//evil.example/")
    assert page.status in (200, 303)
    if page.status == 303:
        assert not page.headers["Location"].startswith("//")


async def test_audit_csv_export_and_verify(client: TestClient, store: QuarantineStore) -> None:
    store.audit.append("verdict", "gateway", None, {"action": "quarantine"})
    await sign_in(client, "erin")
    response = await client.get("/audit.csv")
    assert response.status == 200 and response.headers["Content-Type"].startswith("text/csv")
    text = await response.text()
    assert text.startswith("seq,time,event,actor,ref,details,prev,hash") and "verdict" in text
    page = await (await client.get("/audit?verify=1")).text()
    assert "hash chain is intact" in page
    assert "audit-export" in [r.event for r in store.audit.records()]


async def test_item_pages_for_blocked_and_minimal_items(client: TestClient, store: QuarantineStore) -> None:
    blocked = store.put(new_mail_item(state="blocked"))
    minimal = new_http_item()
    minimal.verdict = {"reasons": ["The upload could not be inspected, so it is held for review."]}
    minimal.findings_revealed = []
    bare = store.put(minimal)
    await sign_in(client, "bob")
    html = await (await client.get(f"/items/{blocked}")).text()
    assert "blocked" in html and "release-form" not in html and "reject-form" not in html
    token = await csrf_of(client)
    response = await client.post(f"/items/{blocked}/release", data={"reason": "please", "csrf": token})
    assert response.status == 403 and "evidence" in await response.text()
    page = await client.get(f"/items/{bare}")
    assert page.status == 200 and "No individual findings" in await page.text()
    listing = await (await client.get("/items?state=&channel=http&age=1h")).text()
    assert bare in listing and blocked not in listing
