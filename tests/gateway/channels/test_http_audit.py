"""Audit records of HTTP decisions: who and where, never content; a failed write never changes anything."""

from __future__ import annotations

import json
import logging

from mitmproxy.test import tflow

from gateway.channels.http_audit import AuditWriter, audit_details
from gateway.channels.http_flow import Transfer
from gateway.channels.http_job import Outcome
from gateway.policy.verdict import Action
from tests.gateway.channels.http_fakes import FakeAudit, FakeStore, request_job


def transfer() -> Transfer:
    return Transfer(tflow.tflow(), request_job(b"Jo Bloggs AB123456C"), "10.0.0.7", "alice", None)


def held() -> Outcome:
    return Outcome(Action.QUARANTINE, "partner-dsa", ["NI numbers sent where no agreement applies."],
                   ["no-agreement"], findings=[{"text": "AB123456C"}], items=1, content_kind="text")


def test_details_name_sender_and_routing_but_no_content():
    details = audit_details(transfer(), held())
    assert (details["action"], details["agreement"], details["destination"], details["method"]) == (
        "quarantine", "partner-dsa", "files.example.net", "POST")
    assert (details["client"], details["user"], details["bytes"]) == ("10.0.0.7", "alice", 19)
    assert "AB123456C" not in json.dumps(details) and "Jo Bloggs" not in json.dumps(details)


async def test_records_are_written_in_order():
    store, writer = FakeStore(), AuditWriter()
    writer.write_later(store, "verdict", transfer(), Outcome(Action.ALLOW))
    await writer.write(store, "refused", "Q-1", transfer(), held())
    writer.flush()
    writer.close()
    assert [(event, actor, ref) for event, actor, ref, _ in store.audit.records] == [
        ("http-verdict", "gateway", None), ("http-refused", "gateway", "Q-1")]


async def test_a_failed_write_is_logged_not_raised(caplog):
    class Broken(FakeAudit):
        def append(self, *args):
            raise ConnectionError("redis down")

    store, writer = FakeStore(audit=Broken()), AuditWriter()
    with caplog.at_level(logging.ERROR, logger="gateway.channels.http"):
        await writer.write(store, "verdict", "Q-1", transfer(), held())
        writer.write_later(store, "verdict", transfer(), held())
        writer.flush()
    writer.close()
    expected = "audit record not written (ConnectionError) for an http quarantine"
    assert [r.getMessage() for r in caplog.records] == [expected] * 2


async def test_no_audit_log_means_nothing_to_write():
    writer = AuditWriter()
    await writer.write(None, "verdict", None, transfer(), held())
    writer.flush()
    writer.close()
