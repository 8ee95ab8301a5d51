"""Logging set-up: structured, quiet libraries, and never a matched value.

Presidio and spaCy log at WARNING about things that are normal here (unknown
languages for recognizers, model metadata); tldextract logs a traceback when
it cannot fetch the suffix list offline; aiosmtpd logs every SMTP command with
its addresses. None of that helps an operator, presidio's debug output can
contain analysed text, and addresses are personal data, so those loggers are
held at ERROR.
"""

from __future__ import annotations

import logging

# aiosmtpd's "mail.log" writes every SMTP command line (MAIL FROM and RCPT TO addresses) at INFO.
NOISY_LOGGERS = ("presidio-analyzer", "presidio_analyzer", "spacy", "tldextract", "filelock", "urllib3", "mail.log")


def quiet_libraries() -> None:
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


def configure(level: str = "INFO") -> None:
    """Key=value lines on stderr, one per event; messages carry references, never values."""
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="ts=%(asctime)s level=%(levelname)s logger=%(name)s msg=%(message)s",
    )
    quiet_libraries()
