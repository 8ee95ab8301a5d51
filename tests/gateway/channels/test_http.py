"""The addon driven with mitmproxy's own test helpers, a fake inspector and an in-memory store."""

from __future__ import annotations

import base64
import gzip
import json
from types import SimpleNamespace

import pytest
from mitmproxy import exceptions, flow, http, tls
from mitmproxy.addons import proxyserver
from mitmproxy.proxy import context
from mitmproxy.test import taddons, tflow

from gateway.channels.http import DlpHttp
from gateway.quarantine.store import grant_key
from gateway.settings import Settings
from gateway.telemetry import metrics
from tests.gateway.channels.http_fakes import AGREEMENT, PARTNER, REF, FakeStore, InlinePool

NINO = "AB123456C"
CSV = f"name,ni\nJo,{NINO}\n".encode()


def sample(name: str, labels: dict[str, str] | None = None) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels or {}) or 0.0


def upload(body: bytes, *headers: tuple[str, str], url: str = "http://files.example.net/upload",
           user: str | None = "alice") -> http.HTTPFlow:
    request = http.Request.make("POST", url, body, dict(headers))
    f = tflow.tflow(req=request)
    if user:
        f.metadata["proxyauth"] = (user, "hunter2")
    return f


def form(filename: str, data: bytes) -> tuple[tuple[str, str], bytes]:
    body = (b'--bnd\r\nContent-Disposition: form-data; name="note"\r\n\r\nsee attached\r\n'
            b'--bnd\r\nContent-Disposition: form-data; name="file"; filename="' + filename.encode() + b'"\r\n'
            b"Content-Type: text/csv\r\n\r\n" + data + b"\r\n--bnd--\r\n")
    return ("Content-Type", "multipart/form-data; boundary=bnd"), body


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def addon(store: FakeStore):
    pool = InlinePool(store, grant_key)
    settings = Settings(max_body_bytes=1_000_000, passthrough_hosts=("*.pinned.example",))
    a = DlpHttp(pool=pool, store=store, settings=settings)
    with taddons.context(proxyserver.Proxyserver(), a) as tctx:
        tctx.configure(a)
        a.tctx = tctx  # type: ignore[attr-defined]
        yield a
    a.done()


# ------------------------------------------------------------------ options


def test_streaming_option_is_refused(addon):
    with pytest.raises(exceptions.OptionsError, match="stream_large_bodies"):
        addon.tctx.configure(addon, stream_large_bodies="1m")


def test_body_size_limit_follows_the_inspection_limit(addon):
    assert addon.tctx.options.body_size_limit == "1000000"
    addon.tctx.configure(addon, dlp_max_body=5000)
    assert addon.max_body == 5000 and addon.tctx.options.body_size_limit == "5000"
    with pytest.raises(exceptions.OptionsError, match="positive"):
        addon.tctx.configure(addon, dlp_max_body=0)


def test_passthrough_hosts_merge_setting_and_option(addon):
    addon.tctx.configure(addon, dlp_passthrough_hosts=["push.example.org"])
    assert addon.passthrough == ("*.pinned.example", "push.example.org")


def test_timeout_and_workers_options_override_settings(addon):
    addon.tctx.configure(addon, dlp_timeout=7.5, dlp_workers=3)
    assert addon.settings.inspection_timeout == 7.5 and addon.settings.workers == 3


# ------------------------------------------------------------------ hooks


def test_requestheaders_turns_streaming_off(addon):
    f = upload(b"x")
    f.request.stream = True
    addon.requestheaders(f)
    assert f.request.stream is False


@pytest.mark.parametrize("length, kept", [(None, False), ("10", True)])
def test_expect_continue_is_dropped_only_for_bodies_of_unknown_length(addon, length, kept):
    f = upload(b"x")
    f.request.headers["expect"] = "100-continue"
    if length is None:
        del f.request.headers["content-length"]
        f.request.headers["transfer-encoding"] = "chunked"
    addon.requestheaders(f)
    assert ("expect" in f.request.headers) is kept


async def test_request_without_body_is_neither_inspected_nor_counted(addon):
    before = sample("dlp_transfers_total", {"channel": "http", "action": "allow"})
    f = tflow.tflow(req=http.Request.make("GET", "http://files.example.net/"))
    await addon.request(f)
    assert f.response is None and addon.pool.jobs == []
    assert sample("dlp_transfers_total", {"channel": "http", "action": "allow"}) == before


async def test_allowed_upload_is_forwarded_untouched_and_audited(addon, store):
    before = sample("dlp_transfers_total", {"channel": "http", "action": "allow"})
    bytes_before = sample("dlp_inspected_bytes_total", {"channel": "http"})
    ctype, body = form("notes.csv", b"nothing,personal\n")
    f = upload(body, ctype)
    await addon.request(f)
    assert f.response is None and f.request.raw_content == body
    assert sample("dlp_transfers_total", {"channel": "http", "action": "allow"}) == before + 1
    assert sample("dlp_inspected_bytes_total", {"channel": "http"}) > bytes_before
    addon.flush_audit()  # forwarded transfers are audited in the background
    event, _actor, ref, details = store.audit.records[-1]
    assert (event, ref, details["action"], details["client"], details["user"]) == (
        "http-verdict", None, "allow", "127.0.0.1", "alice")
    assert "hunter2" not in json.dumps(details)


async def test_redacted_upload_is_forwarded_with_the_redacted_part(addon, store):
    before = sample("dlp_redacted_fields_total", {"agreement": AGREEMENT, "category": "UK_NINO"})
    ctype, body = form("staff.csv", CSV)
    f = upload(body, ctype, url=f"https://{PARTNER}/upload")
    await addon.request(f)
    assert f.response is None
    assert f.request.raw_content == body.replace(NINO.encode(), b"[REDACTED:UK_NINO]")
    assert f.request.headers["content-length"] == str(len(f.request.raw_content))
    assert f.request.headers["X-DLP-Redacted"] == f"1 field(s) removed under agreement {AGREEMENT}"
    assert sample("dlp_redacted_fields_total", {"agreement": AGREEMENT, "category": "UK_NINO"}) == before + 1
    assert store.items == []


async def test_redacted_gzip_body_stays_gzip(addon):
    f = upload(b"", ("Content-Encoding", "gzip"), ("Content-Type", "text/plain"), url=f"http://{PARTNER}/notes.txt")
    f.request.raw_content = gzip.compress(f"ref {NINO}".encode())
    await addon.request(f)
    assert f.request.headers["content-encoding"] == "gzip"
    assert gzip.decompress(f.request.raw_content) == b"ref [REDACTED:UK_NINO]"
    assert f.request.headers["content-length"] == str(len(f.request.raw_content))


async def test_held_upload_gets_403_with_reference_and_is_stored_whole(addon, store):
    nino_labels = {"channel": "http", "agreement": "none", "entity_type": "UK_NINO"}
    disclosures = sample("dlp_blocked_disclosures_total", nino_labels)
    ctype, body = form("staff.csv", CSV)
    f = upload(body, ctype, ("Accept", "application/json"))
    await addon.request(f)
    assert f.response.status_code == 403
    assert f.response.headers["X-DLP-Reference"] == REF
    page = json.loads(f.response.content)
    assert page["reference"] == REF and page["error"] == "held"
    assert NINO not in f.response.text
    item = store.items[-1]
    assert (item.state, item.channel, item.sender, item.client, item.destination) == (
        "held", "http", "alice", "127.0.0.1", "files.example.net")
    payload = json.loads(item.payload)
    assert base64.b64decode(payload["body_b64"]) == body and payload["method"] == "POST"
    assert item.findings_revealed[0]["text"] == NINO
    assert NINO not in json.dumps(item.verdict) and item.grant_key
    assert sample("dlp_blocked_disclosures_total", nino_labels) == disclosures + 1
    assert store.audit.records[-1][2] == REF


async def test_released_retry_passes_once(addon, store):
    ctype, body = form("staff.csv", CSV)
    first = upload(body, ctype)
    await addon.request(first)
    store.grants[store.items[-1].grant_key] = REF
    retry = upload(body, ctype)
    await addon.request(retry)
    assert retry.response is None and retry.request.raw_content == body
    again = upload(body, ctype)
    await addon.request(again)
    assert again.response.status_code == 403


async def test_blocked_upload_html_page(addon, store):
    f = upload(b"SECRET budget", ("Content-Type", "text/plain"), ("Accept", "text/html"))
    await addon.request(f)
    assert f.response.status_code == 403 and f.response.headers["content-type"].startswith("text/html")
    assert "Upload blocked" in f.response.text and REF in f.response.text
    assert store.items[-1].state == "blocked" and store.items[-1].action == "block"


async def test_store_down_means_503_and_nothing_forwarded(addon, store):
    store.down = True
    before = sample("dlp_inspection_errors_total", {"reason": "store_unavailable"})
    f = upload(NINO.encode(), ("Content-Type", "text/plain"))
    await addon.request(f)
    assert f.response.status_code == 503 and f.response.headers["Retry-After"]
    assert "X-DLP-Reference" not in f.response.headers
    assert sample("dlp_inspection_errors_total", {"reason": "store_unavailable"}) == before + 1


async def test_store_down_does_not_stop_clean_uploads(addon, store):
    store.down = True
    f = upload(b"harmless", ("Content-Type", "text/plain"))
    await addon.request(f)
    assert f.response is None


async def test_fail_closed_outcome_is_held_with_the_whole_request(addon, store):
    class TimingOut:
        timeout = 3

        async def run(self, job, *args, on_failure):
            return on_failure("timeout")

    addon.pool = TimingOut()
    before = sample("dlp_inspection_errors_total", {"reason": "timeout"})
    f = upload(b"big upload", ("Content-Type", "text/plain"))
    await addon.request(f)
    assert f.response.status_code == 403
    assert "did not finish within 3 seconds" in f.response.text
    assert base64.b64decode(json.loads(store.items[-1].payload)["body_b64"]) == b"big upload"
    assert sample("dlp_inspection_errors_total", {"reason": "timeout"}) == before + 1


async def test_decoded_body_over_limit_gets_413(addon, store):
    addon.tctx.configure(addon, dlp_max_body=1000)
    f = upload(b"", ("Content-Encoding", "gzip"))
    f.request.raw_content = gzip.compress(b"\0" * 100_000)
    await addon.request(f)
    assert f.response.status_code == 413 and store.items == []


def test_oversized_upload_refused_by_mitmproxy_is_counted(addon):
    before = sample("dlp_inspection_errors_total", {"reason": "too_large"})
    f = upload(b"x")
    f.error = flow.Error("Request body exceeds mitmproxy's body_size_limit.")
    addon.error(f)
    assert sample("dlp_inspection_errors_total", {"reason": "too_large"}) == before + 1


# ------------------------------------------------------------------ passthrough


@pytest.mark.parametrize(
    "address, sni, passes",
    [
        ("api.pinned.example", "api.pinned.example", True),
        ("api.pinned.example", None, True),
        ("10.0.0.5", "api.pinned.example", True),  # transparent mode: only the SNI is a name
        ("api.pinned.example", "evil.example", False),  # SNI and CONNECT target disagree
        ("other.example", "other.example", False),
        ("10.0.0.5", None, False),
    ],
)
def test_tls_passthrough_for_pinned_hosts_is_counted(addon, address, sni, passes):
    before = sample("dlp_passthrough_flows_total")
    ctx = context.Context(tflow.tclient_conn(), addon.tctx.options)
    ctx.server.address = (address, 443)
    data = tls.ClientHelloData(ctx, SimpleNamespace(sni=sni))  # type: ignore[arg-type]
    addon.tls_clienthello(data)
    assert data.ignore_connection is passes
    assert sample("dlp_passthrough_flows_total") == before + (1 if passes else 0)

