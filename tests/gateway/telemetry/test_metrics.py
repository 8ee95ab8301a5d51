import pytest
from prometheus_client import generate_latest

from gateway.telemetry import metrics


@pytest.mark.parametrize(
    ("address", "domain"),
    [
        ("sftp.g4s.com", "g4s.com"),
        ("analyst@cps.gov.uk", "cps.gov.uk"),
        ("upload.pnd.police.uk", "pnd.police.uk"),
        ("Mail.Example.CO.UK.", "example.co.uk"),
        ("localhost", "localhost"),
    ],
)
def test_registrable_domain_never_keeps_the_full_address(address: str, domain: str) -> None:
    assert metrics.registrable_domain(address) == domain


def test_contract_metric_names_are_exposed() -> None:
    metrics.initialise()
    text = generate_latest(metrics.REGISTRY).decode()
    for name in ("dlp_transfers_total", "dlp_blocked_disclosures_total", "dlp_redacted_fields_total",
                 "dlp_inspection_seconds", "dlp_inspected_bytes_total", "dlp_inspection_errors_total",
                 "dlp_subjects_protected_total"):
        assert f"# TYPE {name.removesuffix('_total')}" in text
    # initialise() creates every channel/action series, so rates work before the first transfer.
    assert 'dlp_transfers_total{action="quarantine",channel="smtp"} ' in text


def test_agreement_label() -> None:
    assert metrics.agreement_label(None) == "none"
    assert metrics.agreement_label("cps-case-files") == "cps-case-files"
