"""The console in a real headless Chromium (Debian's package, driven by Playwright).

One console (started with `start_console`, the entry point `dlp-gateway run`
uses) serves the whole module on a free port, over a real Redis under a key
prefix of its own and a real SMTP server standing in for the next hop. Each
test opens fresh browser contexts, so cookies never leak between tests.

Set DLP_CONSOLE_SCREENSHOT=docs/images/console-item.png to refresh the
screenshot in the documentation.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from aiohttp import web

from gateway.quarantine.console.app import start_console
from gateway.quarantine.store import QuarantineStore, connect
from gateway.quarantine.users import UserStore
from gateway.settings import Settings

from ..qfixtures import FAST_HASHER, NINO, PASSWORD, REDIS_URL, Received, free_port, make_keyring, new_mail_item

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class Console:
    """The console in a thread with its own event loop, as `dlp-gateway run` would serve it."""

    def __init__(self, settings: Settings, store: QuarantineStore) -> None:
        self.settings = settings
        self.store = store
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.runner: web.AppRunner | None = None
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.runner = self.loop.run_until_complete(start_console(self.settings, self.store))
        self.ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(self.runner.cleanup())
        self.loop.close()

    def start(self) -> None:
        self.thread.start()
        assert self.ready.wait(30), "console did not start"

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(30)


@pytest.fixture(scope="module")
def world() -> Iterator[dict[str, Any]]:
    from aiosmtpd.controller import Controller

    prefix = f"dlptest:{uuid.uuid4().hex[:12]}:"
    store = QuarantineStore(connect(REDIS_URL), make_keyring(), prefix=prefix)
    users = UserStore(store.redis, prefix, hasher=FAST_HASHER)
    users.add("alice", "reviewer", PASSWORD)
    users.add("bob", "senior-reviewer", PASSWORD)
    users.add("erin", "auditor", PASSWORD)

    received = Received()

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.messages.append(
                {"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "data": bytes(envelope.original_content)}
            )
            return "250 OK"

    smtp_port = free_port()
    smtp = Controller(Handler(), hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    port = free_port()
    settings = Settings(console_host="127.0.0.1", console_port=port, smtp_next_hop=f"127.0.0.1:{smtp_port}")
    console = Console(settings, store)
    console.start()
    try:
        yield {"base": f"http://127.0.0.1:{port}", "store": store, "received": received}
    finally:
        console.stop()
        smtp.stop()
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=prefix + "*", count=1000))
        if keys:
            client.delete(*keys)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def make() -> Any:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def sign_in(page: Any, base: str, name: str, password: str = PASSWORD, path: str = "/items") -> None:
    page.goto(base + path)
    assert "/login" in page.url
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_sign_in_and_listing(world: dict[str, Any], new_page: Any) -> None:
    base, store = world["base"], world["store"]
    mail = store.put(new_mail_item())
    blocked = store.put(new_mail_item(state="blocked"))
    page = new_page()
    sign_in(page, base, "alice", "not the password")
    assert page.locator(".banner.error").inner_text() == "Wrong account name or password."
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/items")
    assert page.locator(".who span").inner_text().startswith("alice")
    refs = page.locator("table.list a.ref").all_inner_texts()
    assert mail in refs and blocked not in refs  # held items by default
    page.select_option("select[name=state]", "blocked")
    page.select_option("select[name=channel]", "smtp")
    page.select_option("select[name=age]", "24h")
    page.click("form.filters button")
    assert page.locator("table.list a.ref").all_inner_texts()[0] == blocked
    page.select_option("select[name=channel]", "http")
    page.click("form.filters button")
    assert page.locator("p.empty").is_visible()


def test_item_page_and_reveal_with_a_reason(world: dict[str, Any], new_page: Any, tmp_path: Path) -> None:
    base, store = world["base"], world["store"]
    ref = store.put(new_mail_item(special=True))
    page = new_page()
    sign_in(page, base, "alice", path=f"/items/{ref}")
    page.wait_for_url(f"{base}/items/{ref}")
    html = page.content()
    assert NINO not in html and "Jane Marple" not in html
    columns = page.locator("#columns tbody tr").all_inner_texts()
    assert any("NI Number" in row and "not allowed" in row for row in columns)
    assert any("Name" in row and "allowed" in row for row in columns)
    assert "•" in page.locator("#findings td.value").first.inner_text()
    shot = tmp_path / "console-item.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("DLP_CONSOLE_SCREENSHOT"):
        target = Path(os.environ["DLP_CONSOLE_SCREENSHOT"])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, target)
    # the reason is mandatory: the browser will not even submit an empty one
    page.click("#reveal-form button")
    assert page.url == f"{base}/items/{ref}" and NINO not in page.content()
    page.fill("#reveal-form input[name=reason]", "confirm the NI number belongs to the subject")
    page.click("#reveal-form button")
    assert NINO in page.locator("#findings").inner_text()
    assert "This reveal is on the audit log" in page.locator(".banner.warn").inner_text()
    page.goto(f"{base}/items/{ref}")
    assert NINO not in page.content()  # shown once, not kept
    page.goto(f"{base}/audit?ref={ref}")
    row = page.locator("#audit tbody tr").first.inner_text()
    assert "reveal" in row and "alice" in row and "confirm the NI number belongs to the subject" in row
    assert NINO not in page.content()


def test_two_person_release(world: dict[str, Any], new_page: Any) -> None:
    base, store, received = world["base"], world["store"], world["received"]
    before = len(received.messages)
    ref = store.put(new_mail_item(special=True, recipients=("caseworker@probation.gov.uk",)))
    alice = new_page()
    sign_in(alice, base, "alice", path=f"/items/{ref}")
    alice.fill("#release-form input[name=reason]", "referral agreed with probation")
    alice.click("#release-form button[value=original]")
    assert "Approval recorded" in alice.locator(".banner.ok").inner_text()
    assert len(received.messages) == before
    alice.fill("#release-form input[name=reason]", "again")
    alice.click("#release-form button[value=original]")
    assert "already approved" in alice.locator(".banner.error").inner_text()

    bob = new_page()
    sign_in(bob, base, "bob", path=f"/items/{ref}")
    assert "Approved so far by alice" in bob.locator(".actions").inner_text()
    bob.fill("#release-form input[name=reason]", "second approval: lawful basis confirmed")
    bob.click("#release-form button[value=original]")
    assert "Released (original)" in bob.locator(".banner.ok").inner_text()
    assert bob.locator("h1 .state").inner_text() == "released"
    assert len(received.messages) == before + 1
    assert received.messages[-1]["to"] == ["caseworker@probation.gov.uk"]
    assert store.get(ref).state == "released"
    bob.goto(f"{base}/audit?ref={ref}")
    events = bob.locator("#audit tbody tr td:nth-child(3)").all_inner_texts()
    assert events == ["release", "approve"]


def test_rejection_with_notice_to_the_sender(world: dict[str, Any], new_page: Any) -> None:
    base, store, received = world["base"], world["store"], world["received"]
    ref = store.put(new_mail_item(sender="pc.smith@force.police.uk"))
    page = new_page()
    sign_in(page, base, "bob", path=f"/items/{ref}")
    page.fill("#reject-form input[name=reason]", "no sharing agreement with this recipient")
    page.check("#reject-form input[name=notify]")
    page.click("#reject-form button")
    assert page.locator("h1 .state").inner_text() == "rejected"
    assert "Rejected" in page.locator(".banner.ok").inner_text()
    assert store.get(ref).state == "rejected"
    notice = received.messages[-1]
    assert notice["to"] == ["pc.smith@force.police.uk"] and ref.encode() in notice["data"]
    assert page.locator("#release-form").count() == 0


def test_refusals(world: dict[str, Any], new_page: Any) -> None:
    base, store = world["base"], world["store"]
    ref = store.put(new_mail_item())
    own = store.put(new_mail_item(sender="alice"))

    # no session: pages send you to sign in; actions are refused outright
    stranger = new_page()
    stranger.goto(f"{base}/items/{ref}")
    assert stranger.url.startswith(f"{base}/login")
    response = stranger.request.post(f"{base}/items/{ref}/release", form={"reason": "x", "mode": "original"})
    assert response.status == 403 and "Sign in first" in response.text()

    # wrong role: an auditor sees no actions, and a forged form is refused
    erin = new_page()
    sign_in(erin, base, "erin", path=f"/items/{ref}")
    assert erin.locator("#release-form").count() == 0 and erin.locator("#reveal-form").count() == 0
    token = erin.locator("form.who input[name=csrf]").get_attribute("value")
    response = erin.request.post(f"{base}/items/{ref}/release", form={"reason": "x", "mode": "original", "csrf": token})
    assert response.status == 403 and "auditor role may not release" in response.text()

    # missing CSRF token: a signed-in reviewer's request without it is refused
    alice = new_page()
    sign_in(alice, base, "alice", path=f"/items/{ref}")
    response = alice.request.post(f"{base}/items/{ref}/release", form={"reason": "x", "mode": "original"})
    assert response.status == 403 and "CSRF" in response.text()
    assert store.get(ref).state == "held"

    # self-release: nobody releases their own transfer
    alice.goto(f"{base}/items/{own}")
    assert "you sent this" in alice.locator(".facts").inner_text()
    alice.fill("#release-form input[name=reason]", "it is fine, honestly")
    with alice.expect_response(f"{base}/items/{own}/release") as info:
        alice.click("#release-form button[value=original]")
    assert info.value.status == 403
    assert "nobody may release a transfer they sent themselves" in alice.locator(".banner.error").inner_text()
    assert store.get(own).state == "held"
    assert store.get(ref).state == "held"
