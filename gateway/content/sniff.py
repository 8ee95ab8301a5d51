"""Which format a file is in, decided from its bytes.

The name is never trusted to say what a file is (a spreadsheet renamed
`notes.txt` is still a spreadsheet); handlers may use it only to break a tie
the bytes leave open, such as CSV versus TSV versus plain text.
"""

from __future__ import annotations

import logging

from gateway.content.formats import HANDLERS
from gateway.content.formats.base import FormatHandler

log = logging.getLogger(__name__)


def identify(data: bytes, name: str) -> FormatHandler | None:
    """The first handler in registry order that recognises `data`, or None."""
    for handler in HANDLERS:
        try:
            if handler.sniff(data, name):
                return handler
        except Exception as exc:  # noqa: BLE001 - one broken sniffer must not stop the others
            # A sniffer must never stop identification: the next handler may
            # still recognise the file, and the read reports any real damage.
            log.warning("format sniffer %s failed: %s", handler.kind, type(exc).__name__)
    return None


def handler_for(kind: str) -> FormatHandler | None:
    """The handler whose `kind` is `kind` (the one that read a part)."""
    return next((h for h in HANDLERS if h.kind == kind), None)
