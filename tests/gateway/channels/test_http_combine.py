"""One outcome for a whole request: the most severe item wins, reasons are scrubbed, redactions go back in."""

from __future__ import annotations

import base64
import json

from gateway.channels import bodies
from gateway.channels.http_combine import combine
from gateway.channels.http_job import Outcome
from gateway.policy.verdict import Action
from tests.gateway.channels.http_fakes import AGREEMENT, PARTNER, FakeInspector, form, request_job

NINO = "AB123456C"


def combined(body: bytes, *headers: tuple[str, str], dest: str = "files.example.net",
             inspector: FakeInspector | None = None) -> Outcome:
    """Split the body and inspect each item for one destination, as the worker does, then combine."""
    job = request_job(body, *headers, dest=(dest,))
    parsed = bodies.parse(list(job.headers), job.body, job.path, job.max_decoded)
    inspector = inspector or FakeInspector()
    return combine(job, parsed, [inspector.inspect(item.data, item.name, dest) for item in parsed.items])


def test_redaction_replaces_only_the_parts_with_excess_data():
    ctype, body = form(("comment", None, f"ref {NINO}".encode()),
                       ("f", "staff.csv", f"a,{NINO}\nb,AB654321D\n".encode()),
                       ("other", "clean.txt", b"clean"))
    out = combined(body, ctype, dest=PARTNER)
    assert out.action == Action.REDACT and out.agreement == AGREEMENT
    assert out.body is not None and NINO.encode() not in out.body
    assert out.body == body.replace(NINO.encode(), b"[REDACTED:UK_NINO]").replace(b"AB654321D", b"[REDACTED:UK_NINO]")
    assert out.headers["X-DLP-Redacted"] == f"3 field(s) removed under agreement {AGREEMENT}"
    assert out.removed == 3 and out.redacted_categories == {"UK_NINO": 3}
    assert out.verdict["action"] == "redact" and len(out.verdict["items"]) == 4
    assert out.payload is None


def test_most_severe_item_wins_and_reasons_name_items():
    ctype, body = form(("a", "staff.csv", NINO.encode()), ("b", "memo.txt", b"SECRET plans"))
    out = combined(body, ctype)
    assert out.action == Action.BLOCK
    assert out.reasons[0].startswith("memo.txt: A SECRET marking")
    assert any(r.startswith("staff.csv: NI numbers") for r in out.reasons)
    assert out.entities == {"UK_NINO": 1, "PROTECTIVE_MARKING": 1}
    assert {f["text"] for f in out.findings} == {NINO, "SECRET"}
    assert "text" not in json.dumps(out.verdict["findings"])
    payload = json.loads(out.payload)
    assert base64.b64decode(payload["body_b64"]) == body
    assert [k.lower() for k, _ in payload["headers"]] == ["host", "content-type"]  # proxy credentials dropped


def test_reasons_never_quote_a_matched_value():
    out = combined(f"LEAKY {NINO}".encode(), ("Content-Type", "text/plain"))
    assert out.action == Action.QUARANTINE
    assert NINO not in " ".join(out.reasons) and "[value withheld]" in out.reasons[0]
    assert NINO not in json.dumps(out.verdict)


def test_special_category_is_flagged():
    out = combined(b"SICK note", ("Content-Type", "text/plain"))
    assert out.action == Action.QUARANTINE and out.special is True


def test_redaction_that_cannot_be_reassembled_is_held():
    class BadJson(FakeInspector):
        def inspect(self, data, name, destination):
            result = super().inspect(data, name, destination)
            if result.redacted is not None and name == "body.json":
                result.redacted = b"{not json"
            return result

    body = json.dumps({"subject": f"NI {NINO}"}).encode()
    out = combined(body, ("Content-Type", "application/json"), dest=PARTNER, inspector=BadJson())
    assert out.action == Action.QUARANTINE and out.codes[0] == "not-redactable"
    assert out.body is None and out.payload is not None
