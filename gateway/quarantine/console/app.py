"""The reviewer console: server-rendered pages (aiohttp + jinja2), no JavaScript at all.

Entry points:
- `create_app(settings, store, ...)` builds the aiohttp application (tests
  use it directly with a store of their own);
- `await start_console(settings, store)` binds it to `console_host:console_port`
  and returns the `web.AppRunner`; `await runner.cleanup()` stops it.

The rules (roles, two-person release, no self-release) live in `review.py`
and are shared with the CLI; this module is the web adapter: sessions, CSRF,
rate limits, rendering. Every blocking call (Redis, argon2, SMTP, replay)
runs in a worker thread so one slow delivery never stalls other reviewers.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from aiohttp import web

from gateway.quarantine import options
from gateway.quarantine.console.auth import Session, SessionStore, SignInLimiter, same
from gateway.quarantine.errors import ItemNotFound, PayloadGone, StoreUnavailable
from gateway.quarantine.items import CHANNELS, STATES, Item, iso, location_text, masked
from gateway.quarantine.review import ActionResult, Refused, Review
from gateway.quarantine.store import QuarantineStore
from gateway.quarantine.users import Account, UserStore
from gateway.settings import Settings

log = logging.getLogger("gateway.console")
HERE = Path(__file__).resolve().parent
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

LOGIN_COOKIE = "dlp_login"
LOGIN_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
PUBLIC_PATHS = ("/login", "/static/", "/favicon.ico")
AGE_FILTERS: dict[str, tuple[str, float, bool]] = {
    # value: (label, seconds, older_than)
    "1h": ("held in the last hour", 3600, False),
    "24h": ("held in the last 24 hours", 86400, False),
    "7d": ("held in the last 7 days", 7 * 86400, False),
    "gt24h": ("waiting over 24 hours", 86400, True),
    "gt7d": ("waiting over 7 days", 7 * 86400, True),
}
MAX_FINDINGS_SHOWN = 500
AUDIT_PAGE = 100


@dataclass
class Console:
    settings: Settings
    store: QuarantineStore
    users: UserStore
    review: Review
    sessions: SessionStore
    limiter: SignInLimiter
    templates: jinja2.Environment
    cookie_name: str
    cookie_secure: bool
    sso_header: str | None


CONSOLE = web.AppKey("console", Console)
SESSION = web.RequestKey("session", Session)
ACCOUNT = web.RequestKey("account", Account)
NEW_TOKEN = web.RequestKey("new_session_token", str)


async def blocking[T](fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    return await asyncio.to_thread(fn, *args, **kwargs)


def _ago(ts: float | None) -> str:
    if not ts:
        return ""
    seconds = max(0, int(time.time() - ts))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return "just now"


def _templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["iso"] = iso
    env.filters["ago"] = _ago
    return env


def render(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    console = request.app[CONSOLE]
    session: Session | None = request.get(SESSION)
    account: Account | None = request.get(ACCOUNT)
    html = console.templates.get_template(template).render(
        account=account, csrf=session.csrf if session else "", path=request.path, **context
    )
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


def error_page(request: web.Request, status: int, title: str, message: str) -> web.Response:
    return render(request, "error.html", status=status, title=title, message=message)


# --- middlewares --------------------------------------------------------------------------
@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        response = exc
    headers = response.headers
    headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "no-referrer"
    headers.setdefault("Cache-Control", "no-store")
    if request.app[CONSOLE].cookie_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    if isinstance(response, web.HTTPException):
        raise response
    return response


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except StoreUnavailable as exc:
        log.error("console: quarantine store unavailable: %s", exc)
        response = error_page(
            request, 503, "Quarantine store unavailable", "The quarantine store cannot be reached. Try again shortly."
        )
        response.headers["Retry-After"] = "30"
        return response
    except ItemNotFound:
        return error_page(request, 404, "Not found", "There is no quarantine item with that reference.")


@web.middleware
async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every page but sign-in needs a session; every POST needs that session's CSRF token."""
    if request.path.startswith(PUBLIC_PATHS):
        return await handler(request)
    console = request.app[CONSOLE]
    session = await blocking(console.sessions.get, request.cookies.get(console.cookie_name))
    account = await blocking(console.users.get, session.user) if session else None
    sso_user = request.headers.get(console.sso_header) if console.sso_header else None
    if sso_user is not None and (account is None or account.name != sso_user.strip().lower()):
        # The fronting proxy vouches for this person: (re)start a session for that local account.
        account = await blocking(console.users.get, sso_user)
        if account is not None and not account.disabled:
            token, session = await blocking(console.sessions.create, account.name, "sso")
            request[NEW_TOKEN] = token
            await blocking(console.store.audit.append, "sign-in", account.name, None, {"via": "sso"})
        else:
            account, session = None, None
    if session is None or account is None or account.disabled:
        if request.method in ("GET", "HEAD"):
            raise web.HTTPSeeOther("/login?" + urlencode({"next": request.path_qs}))
        return error_page(request, 403, "Sign in first", "This action needs a signed-in reviewer.")
    request[SESSION] = session
    request[ACCOUNT] = account
    if request.method == "POST":
        form = await request.post()
        if not same(str(form.get("csrf", "")), session.csrf):
            log.warning("console: POST %s refused: missing or wrong CSRF token", request.path)
            return error_page(
                request, 403, "Form expired", "The form's security token is missing or wrong (CSRF). Reload the page."
            )
    response = await handler(request)
    if NEW_TOKEN in request:
        _set_session_cookie(console, response, request[NEW_TOKEN])
    return response


def _set_session_cookie(console: Console, response: web.StreamResponse, token: str) -> None:
    response.set_cookie(
        console.cookie_name, token, httponly=True, samesite="Strict", secure=console.cookie_secure, path="/"
    )


def _client(request: web.Request) -> str:
    return request.remote or "unknown"


def _safe_next(value: str | None) -> str:
    """Only local paths: never let the sign-in form redirect to another site."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/items"


# --- sign-in ------------------------------------------------------------------------------
async def login_page(request: web.Request) -> web.StreamResponse:
    console = request.app[CONSOLE]
    if await blocking(console.sessions.get, request.cookies.get(console.cookie_name)):
        raise web.HTTPSeeOther(_safe_next(request.query.get("next")))
    return _login_form(request, 200, "")


def _login_form(request: web.Request, status: int, message: str, name: str = "") -> web.Response:
    console = request.app[CONSOLE]
    # Keep the browser's token if it has one: a second tab (or a favicon request bounced to this
    # page) must not invalidate the form already on screen.
    token = request.cookies.get(LOGIN_COOKIE, "")
    if not LOGIN_TOKEN.fullmatch(token):
        token = secrets.token_urlsafe(32)
    response = render(
        request,
        "login.html",
        status=status,
        login_token=token,
        message=message,
        name=name,
        next=_safe_next(request.query.get("next")),
        sso=bool(console.sso_header),
    )
    response.set_cookie(
        LOGIN_COOKIE, token, httponly=True, samesite="Strict", secure=console.cookie_secure, path="/login"
    )
    return response


async def login(request: web.Request) -> web.StreamResponse:
    console = request.app[CONSOLE]
    form = await request.post()
    if not same(str(form.get("csrf", "")), request.cookies.get(LOGIN_COOKIE)):
        return _login_form(request, 403, "The sign-in form expired (CSRF check failed). Please try again.")
    name = str(form.get("name", "")).strip()[:64]
    password = str(form.get("password", ""))
    client = _client(request)
    wait = await blocking(console.limiter.blocked_for, name, client)
    if wait:
        log.warning("console: sign-in refused by the rate limit")
        minutes = max(1, (wait + 59) // 60)
        return _login_form(request, 429, f"Too many failed sign-ins. Try again in {minutes} min.", name)
    account = await blocking(console.users.authenticate, name, password)
    if account is None:
        await blocking(console.limiter.failed, name, client)
        return _login_form(request, 401, "Wrong account name or password.", name)
    await blocking(console.limiter.succeeded, name, client)
    token, _session = await blocking(console.sessions.create, account.name, "password")
    await blocking(console.store.audit.append, "sign-in", account.name, None, {"via": "password", "client": client})
    target = _safe_next(str(form.get("next", "")))
    response = web.HTTPSeeOther(target)
    _set_session_cookie(console, response, token)
    response.del_cookie(LOGIN_COOKIE, path="/login")
    raise response


async def logout(request: web.Request) -> web.StreamResponse:
    console = request.app[CONSOLE]
    await blocking(console.sessions.delete, request[SESSION])
    response = web.HTTPSeeOther("/login")
    response.del_cookie(console.cookie_name, path="/")
    raise response


# --- pages --------------------------------------------------------------------------------
async def favicon(request: web.Request) -> web.StreamResponse:
    return web.Response(status=204)


async def index(request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther("/items")


async def items_page(request: web.Request) -> web.StreamResponse:
    console = request.app[CONSOLE]
    q = request.query
    state = q.get("state", "held")
    state = state if state in STATES else ""
    channel = q.get("channel", "")
    channel = channel if channel in CHANNELS else ""
    agreement = q.get("agreement", "")[:100]
    age = q.get("age", "")
    age = age if age in AGE_FILTERS else ""
    now = time.time()
    newer = older = None
    if age:
        _label, seconds, is_older = AGE_FILTERS[age]
        if is_older:
            older = now - seconds
        else:
            newer = now - seconds
    items = await blocking(
        console.store.find,
        state=state or None,
        channel=channel or None,
        agreement=agreement or None,
        newer_than=newer,
        older_than=older,
        limit=201,
    )
    agreements = await blocking(console.store.agreements)
    counts = await blocking(console.store.counts)
    return render(
        request,
        "items.html",
        items=items[:200],
        more=len(items) > 200,
        counts=counts,
        states=STATES,
        channels=CHANNELS,
        agreements=agreements,
        ages=AGE_FILTERS,
        f={"state": state, "channel": channel, "agreement": agreement, "age": age},
    )


def _finding_rows(findings: Iterable[dict[str, Any]], value: Callable[[dict[str, Any]], str]) -> list[dict[str, Any]]:
    """Findings as the item page lists them; `value` decides what the value column shows."""
    return [
        {"entity_type": f.get("entity_type", ""), "where": location_text(f), "value": value(f),
         "score": f.get("score", "")}
        for f in findings
    ]  # fmt: skip


async def _item_context(request: web.Request, ref: str) -> dict[str, Any]:
    console = request.app[CONSOLE]
    item: Item = await blocking(console.store.get, ref)
    verdict = await blocking(console.store.verdict, ref)
    findings = verdict.get("findings") or []
    rows = _finding_rows(findings[:MAX_FINDINGS_SHOWN], masked)
    account: Account = request[ACCOUNT]
    decidable = account.can_decide
    return {
        "item": item,
        "verdict": verdict,
        "findings": rows,
        "findings_total": len(findings),
        "revealed": False,
        "fields": verdict.get("fields") or [],
        "can_act": decidable and item.state == "held",
        "can_reveal": decidable and not item.purged,
        "can_replay": decidable
        and item.channel == "http"
        and item.state == "released"
        and not item.purged
        and not (item.replay or {}).get("ok"),
        "own_item": item.is_sender(account.name, account.email),
        "max_findings": MAX_FINDINGS_SHOWN,
        "flash": [],
        "error": "",
    }


async def item_page(request: web.Request) -> web.StreamResponse:
    console = request.app[CONSOLE]
    ref = request.match_info["ref"]
    context = await _item_context(request, ref)
    session: Session = request[SESSION]
    if session.flash:
        context["flash"], session.flash = session.flash, []
        await blocking(console.sessions.save, session)
    return render(request, "item.html", **context)


async def reveal(request: web.Request) -> web.StreamResponse:
    """Show the matched values once, after the reveal and its reason are audited."""
    console = request.app[CONSOLE]
    ref = request.match_info["ref"]
    form = await request.post()
    account: Account = request[ACCOUNT]
    try:
        findings = await blocking(console.review.reveal, ref, account, str(form.get("reason", "")))
    except (Refused, PayloadGone) as exc:
        return await _refused(request, ref, str(exc))
    context = await _item_context(request, ref)
    context["findings"] = _finding_rows(findings[:MAX_FINDINGS_SHOWN], lambda f: f.get("text", ""))
    context["revealed"] = True
    context["reveal_reason"] = str(form.get("reason", "")).strip()
    return render(request, "item.html", **context)


async def _refused(request: web.Request, ref: str, message: str) -> web.Response:
    log.info("console: action on %s refused: %s", ref, message)
    context = await _item_context(request, ref)
    context["error"] = message
    return render(request, "item.html", status=403, **context)


async def _act(
    request: web.Request,
    ref: str,
    action: Callable[[], ActionResult],
    refusals: tuple[type[Exception], ...] = (Refused, PayloadGone),
) -> web.StreamResponse:
    """Run a reviewer's action off the event loop.

    A refusal shows the item again with the reason (403); an outcome, good or
    bad, is flashed on the item page the browser is sent back to.
    """
    try:
        result = await blocking(action)
    except refusals as exc:
        return await _refused(request, ref, str(exc))
    console = request.app[CONSOLE]
    session: Session = request[SESSION]
    session.flash.append({"kind": "ok" if result.ok else "error", "text": result.message})
    await blocking(console.sessions.save, session)
    raise web.HTTPSeeOther(f"/items/{quote(ref)}")


async def release_action(request: web.Request) -> web.StreamResponse:
    console = request.app[CONSOLE]
    ref = request.match_info["ref"]
    form = await request.post()
    reason = str(form.get("reason", "")).strip()
    if not reason:
        return await _refused(request, ref, "A release needs a reason: it goes on the disclosure log.")
    redacted = form.get("mode") == "redacted"
    release = partial(console.review.release, ref, request[ACCOUNT], redacted=redacted, reason=reason)
    return await _act(request, ref, release)


async def reject_action(request: web.Request) -> web.StreamResponse:
    console = request.app[CONSOLE]
    ref = request.match_info["ref"]
    form = await request.post()
    reason = str(form.get("reason", "")).strip()
    if not reason:
        return await _refused(request, ref, "A rejection needs a reason.")
    notify = form.get("notify") == "1"
    reject = partial(console.review.reject, ref, request[ACCOUNT], reason=reason, notify_sender=notify)
    return await _act(request, ref, reject, refusals=(Refused,))


async def replay_action(request: web.Request) -> web.StreamResponse:
    console = request.app[CONSOLE]
    ref = request.match_info["ref"]
    return await _act(request, ref, partial(console.review.replay, ref, request[ACCOUNT]))


async def audit_page(request: web.Request) -> web.StreamResponse:
    console = request.app[CONSOLE]
    audit = console.store.audit
    ref = request.query.get("ref", "").strip()[:40] or None
    try:
        page = max(1, int(request.query.get("page", "1")))
    except ValueError:
        page = 1
    start = (page - 1) * AUDIT_PAGE
    if ref:
        everything = await blocking(audit.records, ref=ref, newest_first=True)
        records, total = everything[start : start + AUDIT_PAGE], len(everything)
    else:
        records = await blocking(audit.latest, start, AUDIT_PAGE)
        total = await blocking(audit.__len__)
    problems: list[str] | None = None
    if request.query.get("verify") == "1":
        problems = await blocking(audit.verify)
    return render(
        request,
        "audit.html",
        records=records,
        total=total,
        page=page,
        pages=max(1, (total + AUDIT_PAGE - 1) // AUDIT_PAGE),
        ref=ref or "",
        problems=problems,
    )


async def audit_csv(request: web.Request) -> web.StreamResponse:
    """The log as CSV, streamed batch by batch so a long log never sits in memory whole."""
    console = request.app[CONSOLE]
    audit = console.store.audit
    ref = request.query.get("ref", "").strip()[:40] or None
    await blocking(audit.append, "audit-export", request[ACCOUNT].name, ref, {"format": "csv"})
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="dlp-audit-{stamp}.csv"',
        }
    )
    await response.prepare(request)
    await response.write(audit.csv_line().encode("utf-8"))
    if ref:
        records = await blocking(audit.records, ref=ref)
        await response.write("".join(audit.csv_line(r) for r in records).encode("utf-8"))
    else:
        total = await blocking(audit.__len__)
        for start in range(0, total, 1000):
            batch = await blocking(audit.chunk, start, 1000)
            await response.write("".join(audit.csv_line(r) for r in batch).encode("utf-8"))
    await response.write_eof()
    return response


# --- assembly -----------------------------------------------------------------------------
def create_app(
    settings: Settings,
    store: QuarantineStore,
    *,
    users: UserStore | None = None,
    review: Review | None = None,
    sweep_interval: float | None = None,
) -> web.Application:
    """The console application over `store`. `sweep_interval` also runs the retention sweep."""
    users = users or UserStore(store.redis, store.prefix)
    review = review or Review.from_settings(settings, store)
    review.users = users
    secure = bool(options.option(settings, "console_cookie_secure"))
    console = Console(
        settings=settings,
        store=store,
        users=users,
        review=review,
        sessions=SessionStore(store.redis, store.prefix, options.option(settings, "console_session_minutes") * 60),
        limiter=SignInLimiter(
            store.redis,
            store.prefix,
            per_account=options.option(settings, "console_login_max_failures"),
            per_client=options.option(settings, "console_login_max_failures_per_client"),
            window_seconds=options.option(settings, "console_login_window_seconds"),
        ),
        templates=_templates(),
        cookie_name="__Host-dlp_session" if secure else "dlp_session",
        cookie_secure=secure,
        sso_header=settings.console_sso_header or None,
    )
    app = web.Application(middlewares=[security_headers, errors, authenticate], client_max_size=64 * 1024)
    app[CONSOLE] = console
    app.router.add_get("/", index)
    app.router.add_get("/favicon.ico", favicon)
    app.router.add_get("/login", login_page)
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout)
    app.router.add_get("/items", items_page)
    app.router.add_get("/items/{ref}", item_page)
    app.router.add_post("/items/{ref}/reveal", reveal)
    app.router.add_post("/items/{ref}/release", release_action)
    app.router.add_post("/items/{ref}/reject", reject_action)
    app.router.add_post("/items/{ref}/replay", replay_action)
    app.router.add_get("/audit", audit_page)
    app.router.add_get("/audit.csv", audit_csv)
    app.router.add_static("/static/", HERE / "static", show_index=False)
    if sweep_interval:
        app.cleanup_ctx.append(_sweeper(store, sweep_interval))
    return app


def _sweeper(store: QuarantineStore, interval: float) -> Callable[[web.Application], Any]:
    from gateway.quarantine.retention import run_sweeper

    async def context(_app: web.Application) -> Any:
        stop = asyncio.Event()
        task = asyncio.create_task(run_sweeper(store, stop, interval))
        yield
        stop.set()
        await task

    return context


async def start_console(
    settings: Settings,
    store: QuarantineStore | None = None,
    *,
    host: str | None = None,
    port: int | None = None,
    sweep_interval: float | None = None,
) -> web.AppRunner:
    """Serve the console on `console_host:console_port`; returns the runner (`await runner.cleanup()`)."""
    store = store or QuarantineStore.from_settings(settings)
    app = create_app(settings, store, sweep_interval=sweep_interval)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, host or settings.console_host, port or settings.console_port).start()
    warning = await asyncio.to_thread(store.persistence_warning)
    if warning:
        log.warning("%s", warning)
    if settings.console_sso_header:
        log.warning(
            "console trusts the %r header for sign-in: the fronting proxy must strip it from client requests",
            settings.console_sso_header,
        )
    return runner
