"""E-mail addresses and the generic-mailbox allow-list."""

from __future__ import annotations

from detectors.allowlist import Allowlist
from detectors.generic.email import EmailAddressDetector


def test_police_flag() -> None:
    (r,) = EmailAddressDetector().analyze("a.b@wessex.police.uk", None)
    assert r.recognition_metadata["police"] is True


def test_allowlist_applies_only_to_listed_mailboxes() -> None:
    r = EmailAddressDetector(allowlist=Allowlist({"EMAIL_ADDRESS": ["foi@*.police.uk"]}))
    text = "foi@wessex.police.uk cc jane.smith@wessex.police.uk"
    assert [text[x.start : x.end] for x in r.analyze(text, None)] == ["jane.smith@wessex.police.uk"]
