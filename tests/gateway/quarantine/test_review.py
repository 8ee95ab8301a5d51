"""The reviewer's rules, end to end on a real Redis, a real SMTP next hop and a real HTTP server."""

from __future__ import annotations

import base64
import email
import email.policy
import json
import threading
from typing import Any

import pytest

from gateway.quarantine.errors import PayloadGone
from gateway.quarantine.review import Refused, Review
from gateway.quarantine.store import QuarantineStore
from gateway.quarantine.users import Account, UserStore

from .qfixtures import CSV_BODY, MARKER, NINO, PASSWORD, Received, free_port, new_http_item, new_mail_item


@pytest.fixture
def people(users: UserStore) -> dict[str, Account]:
    return {
        "alice": users.add("alice", "reviewer", PASSWORD),
        "bob": users.add("bob", "senior-reviewer", PASSWORD),
        "carol": users.add("carol", "senior-reviewer", PASSWORD, "pc.jones@force.police.uk"),
        "dave": users.add("dave", "reviewer", PASSWORD),
        "erin": users.add("erin", "auditor", PASSWORD),
        "frank": users.add("frank", "senior-reviewer", PASSWORD),
    }


@pytest.fixture
def review(store: QuarantineStore, users: UserStore, smtp_sink: tuple[str, Received]) -> Review:
    return Review(store, users, smtp_sink[0])


def events(store: QuarantineStore, ref: str) -> list[tuple[str, str]]:
    return [(r.event, r.actor) for r in store.audit.records(ref=ref)]


def test_release_of_mail_delivers_it_once_to_the_next_hop(
    review: Review, store: QuarantineStore, people: dict[str, Account], smtp_sink: tuple[str, Received]
) -> None:
    ref = store.put(new_mail_item(recipients=("analyst@cps.gov.uk", "clerk@cps.gov.uk")))
    result = review.release(ref, people["alice"], reason="covered by the CPS protocol")
    assert result.outcome == "released" and result.state == "released"
    received = smtp_sink[1].messages
    assert len(received) == 1
    assert received[0]["from"] == "pc.jones@force.police.uk"
    assert received[0]["to"] == ["analyst@cps.gov.uk", "clerk@cps.gov.uk"]
    assert received[0]["data"].startswith(f"X-DLP-Reference: {ref}\r\n".encode())
    assert MARKER.encode() in received[0]["data"]
    again = review.release(ref, people["bob"], reason="again")
    assert again.outcome == "already-released"
    assert len(received) == 1  # idempotent: nothing delivered twice
    item = store.get(ref)
    assert item.decision is not None and item.decision["actor"] == "alice"
    assert item.outcome is not None and "2 of 2" in item.outcome["summary"]
    assert events(store, ref) == [("release", "alice")]
    details = store.audit.records(ref=ref)[0].details
    assert details["reason"] == "covered by the CPS protocol"
    assert details["recipients"] == ["analyst@cps.gov.uk", "clerk@cps.gov.uk"]


def test_release_of_the_redacted_copy(
    review: Review, store: QuarantineStore, people: dict[str, Account], smtp_sink: tuple[str, Received]
) -> None:
    ref = store.put(new_mail_item())
    review.release(ref, people["alice"], redacted=True, reason="redacted copy is fine")
    data = smtp_sink[1].messages[0]["data"]
    assert b"[UK_NINO]" in data and NINO.encode() not in data


def test_concurrent_releases_deliver_once(
    review: Review, store: QuarantineStore, people: dict[str, Account], smtp_sink: tuple[str, Received]
) -> None:
    ref = store.put(new_mail_item())
    results: list[str] = []

    def go(who: str) -> None:
        try:
            results.append(review.release(ref, people[who], reason="race").outcome)
        except Refused as exc:
            results.append(f"refused: {exc}")

    threads = [threading.Thread(target=go, args=(w,)) for w in ("alice", "bob", "dave")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("released") == 1
    assert len(smtp_sink[1].messages) == 1


def test_failed_delivery_keeps_the_item_held(
    store: QuarantineStore, users: UserStore, people: dict[str, Account]
) -> None:
    review = Review(store, users, f"127.0.0.1:{free_port()}")  # nothing listens there
    ref = store.put(new_mail_item())
    result = review.release(ref, people["alice"], reason="try")
    assert result.outcome == "delivery-failed" and not result.ok
    item = store.get(ref)
    assert item.state == "held"
    assert item.history[-1]["event"] == "delivery-failed"
    assert events(store, ref) == [("release-failed", "alice")]
    assert store.claim(ref, "bob", "release", "held")[0] == "ok"  # the claim was let go


def test_auditors_read_only(review: Review, store: QuarantineStore, people: dict[str, Account]) -> None:
    ref = store.put(new_mail_item())
    with pytest.raises(Refused, match="auditor role may not release"):
        review.release(ref, people["erin"])
    with pytest.raises(Refused, match="auditor role may not reject"):
        review.reject(ref, people["erin"], reason="no")
    with pytest.raises(Refused, match="auditor role may not reveal"):
        review.reveal(ref, people["erin"], "curious about it")
    assert store.get(ref).state == "held"


def test_nobody_releases_their_own_transfer(review: Review, store: QuarantineStore, people: dict[str, Account]) -> None:
    mail = store.put(new_mail_item(sender="PC.Jones@force.police.uk"))
    with pytest.raises(Refused, match="they sent themselves"):
        review.release(mail, people["carol"])  # carol's e-mail address is the sender
    upload = store.put(new_http_item(sender="alice"))
    with pytest.raises(Refused, match="they sent themselves"):
        review.release(upload, people["alice"])  # proxy user name is the account name
    assert review.reject(upload, people["alice"], reason="withdrawn").outcome == "rejected"


def test_blocked_items_can_never_be_released(
    review: Review, store: QuarantineStore, people: dict[str, Account]
) -> None:
    ref = store.put(new_mail_item(state="blocked"))
    with pytest.raises(Refused, match="evidence"):
        review.release(ref, people["bob"], reason="please")
    with pytest.raises(Refused, match="evidence"):
        review.reject(ref, people["bob"], reason="x")
    assert store.get(ref).state == "blocked"


def test_special_items_need_two_people_the_second_senior(
    review: Review, store: QuarantineStore, people: dict[str, Account], smtp_sink: tuple[str, Received]
) -> None:
    ref = store.put(new_mail_item(special=True))
    first = review.release(ref, people["alice"], reason="health data is needed for the referral")
    assert first.outcome == "approval-recorded" and first.state == "held"
    assert smtp_sink[1].messages == []
    with pytest.raises(Refused, match="already approved"):
        review.release(ref, people["alice"], reason="me again")
    with pytest.raises(Refused, match="second must come from a senior reviewer"):
        review.release(ref, people["dave"], reason="me too")
    second = review.release(ref, people["bob"], reason="agreed")
    assert second.outcome == "released"
    assert len(smtp_sink[1].messages) == 1
    item = store.get(ref)
    assert [a.actor for a in item.approvals] == ["alice", "bob"]
    assert events(store, ref) == [("approve", "alice"), ("release", "bob")]
    assert store.audit.records(ref=ref)[1].details["approved_by"] == ["alice", "bob"]


def test_a_senior_reviewer_alone_cannot_release_a_special_item(
    review: Review, store: QuarantineStore, people: dict[str, Account], smtp_sink: tuple[str, Received]
) -> None:
    ref = store.put(new_mail_item(special=True))
    assert review.release(ref, people["bob"], reason="one").outcome == "approval-recorded"
    with pytest.raises(Refused, match="already approved"):
        review.release(ref, people["bob"], reason="two")
    with pytest.raises(Refused, match="they sent themselves"):
        review.release(ref, people["carol"], reason="my own mail")
    assert review.release(ref, people["frank"], reason="second senior").outcome == "released"
    assert len(smtp_sink[1].messages) == 1


def test_reject_with_notice_to_the_sender(
    review: Review, store: QuarantineStore, people: dict[str, Account], smtp_sink: tuple[str, Received]
) -> None:
    ref = store.put(new_mail_item())
    result = review.reject(ref, people["alice"], reason="no agreement with this recipient", notify_sender=True)
    assert result.outcome == "rejected" and result.detail["notified"] is True
    note = smtp_sink[1].messages[0]
    assert note["from"] == "<>" and note["to"] == ["pc.jones@force.police.uk"]
    message = email.message_from_bytes(note["data"], policy=email.policy.default)
    assert message["Subject"] == f"Message not sent: {ref}"
    text = message.get_content()
    assert "no agreement with this recipient" in text and "analyst@cps.gov.uk" in text
    assert MARKER.encode() not in note["data"] and NINO.encode() not in note["data"]
    assert review.reject(ref, people["bob"], reason="again").outcome == "already-rejected"
    with pytest.raises(Refused, match="rejected and can no longer be released"):
        review.release(ref, people["bob"], reason="changed my mind")
    assert "sender-notified" in [h["event"] for h in store.get(ref).history]


def test_reveal_needs_a_reason_and_is_audited_without_values(
    review: Review, store: QuarantineStore, people: dict[str, Account]
) -> None:
    ref = store.put(new_mail_item())
    with pytest.raises(Refused, match="stated reason"):
        review.reveal(ref, people["alice"], "  ")
    findings = review.reveal(ref, people["alice"], "confirm the NI number is a real one")
    assert NINO in [f["text"] for f in findings]
    record = store.audit.records(ref=ref)[-1]
    assert (record.event, record.actor, record.details["reason"]) == (
        "reveal", "alice", "confirm the NI number is a real one")  # fmt: skip
    assert NINO not in json.dumps(record.details)
    assert store.get(ref).history[-1]["event"] == "revealed"


def test_http_release_grants_identical_retries_and_replay_sends_it(
    review: Review, store: QuarantineStore, people: dict[str, Account], http_sink: tuple[str, list[dict[str, Any]]]
) -> None:
    base, seen = http_sink
    item = new_http_item(f"{base}/upload?x=1")
    ref = store.put(item)
    result = review.release(ref, people["alice"], reason="agreement covers it")
    assert "grant" in result.message
    assert store.take_grant(item.grant_key or "") == ref
    assert 0 < store.redis.ttl(store._k("grant", item.grant_key or "")) <= 600
    replay = review.replay(ref, people["dave"])
    assert replay.outcome == "replayed"
    assert len(seen) == 1
    request = seen[0]
    assert (request["method"], request["path"], request["body"]) == ("POST", "/upload?x=1", CSV_BODY)
    assert request["headers"]["X-Trace"] == "abc"
    assert "Proxy-Authorization" not in request["headers"]
    assert review.replay(ref, people["dave"]).outcome == "already-replayed"
    assert len(seen) == 1
    assert store.get(ref).replay["status"] == 201  # type: ignore[index]
    assert [e for e, _ in events(store, ref)] == ["release", "grant-used", "replay"]


def test_http_redacted_release_gives_no_grant_and_replays_the_redacted_body(
    review: Review, store: QuarantineStore, people: dict[str, Account], http_sink: tuple[str, list[dict[str, Any]]]
) -> None:
    base, seen = http_sink
    item = new_http_item(f"{base}/upload")
    ref = store.put(item)
    review.release(ref, people["alice"], redacted=True, reason="columns trimmed")
    assert store.take_grant(item.grant_key or "") is None  # the original must not pass on a retry
    review.replay(ref, people["alice"])
    assert NINO.encode() not in seen[0]["body"] and b"Jane Marple" in seen[0]["body"]


def test_replay_failures_are_recorded(review: Review, store: QuarantineStore, people: dict[str, Account]) -> None:
    ref = store.put(new_http_item(f"http://127.0.0.1:{free_port()}/x"))
    review.release(ref, people["alice"], reason="ok")
    result = review.replay(ref, people["alice"])
    assert result.outcome == "replay-failed" and not result.ok
    assert store.get(ref).replay["ok"] is False  # type: ignore[index]
    with pytest.raises(Refused, match="only HTTP uploads"):
        review.replay(store.put(new_mail_item()), people["alice"])


def test_no_redacted_copy_and_purged_payloads(
    review: Review, store: QuarantineStore, people: dict[str, Account]
) -> None:
    ref = store.put(new_http_item(redacted=False))
    with pytest.raises(Refused, match="no redacted copy"):
        review.release(ref, people["alice"], redacted=True)
    item = store.get(ref)
    store.expire(ref, now=item.expires + 1)
    with pytest.raises(PayloadGone):
        review.reveal(ref, people["alice"], "look at it")


def test_unknown_account(review: Review) -> None:
    with pytest.raises(Refused, match="no enabled console account"):
        review.account("ghost")


def test_payload_b64_round_trip_for_binary_bodies(store: QuarantineStore) -> None:
    body = bytes(range(256))
    item = new_http_item()
    item.payload = json.dumps({"method": "PUT", "url": "https://x.example/a", "headers": [],
                               "body_b64": base64.b64encode(body).decode()}).encode()  # fmt: skip
    ref = store.put(item)
    from gateway.quarantine.release import parse_http_payload

    assert parse_http_payload(store.payload(ref))["body"] == body
