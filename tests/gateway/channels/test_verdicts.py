from gateway.channels.smtp_judge import failed_copies
from gateway.channels.verdicts import failed_verdict
from gateway.policy.verdict import Action

CONTRACT_KEYS = {"action", "agreement", "destination", "reasons", "findings", "fields", "excess_fields",
                 "missing_fields", "subjects"}


def test_a_failed_inspection_has_the_contract_shape_and_says_why() -> None:
    verdict = failed_verdict(Action.QUARANTINE, "sftp.example.com", "Inspection did not finish.", "timeout")
    assert verdict.keys() >= CONTRACT_KEYS
    assert verdict["action"] == "quarantine" and verdict["error"] == "timeout"
    assert verdict["reasons"] == ["Inspection did not finish."] and verdict["findings"] == []
    assert verdict["content_kind"] == "unknown"


def test_failed_mail_copies_are_held_one_per_recipient() -> None:
    copies = failed_copies(["a@x.example", "b@y.example"], "worker_crash")
    assert [c.recipient for c in copies] == ["a@x.example", "b@y.example"]
    assert all(c.action is Action.QUARANTINE and c.error == "worker_crash" for c in copies)
    assert copies[1].verdict["destination"] == "b@y.example"
    assert copies[0].verdict["content_kind"] == "unknown"
    assert "stopped unexpectedly" in copies[0].reasons[0]
