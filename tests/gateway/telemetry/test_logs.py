import logging

from gateway.telemetry.logs import quiet_libraries


def test_libraries_that_log_content_or_addresses_are_held_at_error() -> None:
    quiet_libraries()
    for name in ("mail.log", "presidio-analyzer", "tldextract"):
        assert logging.getLogger(name).getEffectiveLevel() >= logging.ERROR
