"""Handing mail on to the next hop, and remembering what was already handed on.

The filter sits between the force's mail server and the next hop. A message
can only be acknowledged (250) once every recipient's copy has been relayed or
stored; when that fails part-way, the sending server retries the whole
message, so the `Ledger` records per message and recipient what is already
done, and a retry neither relays a copy twice nor holds it twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import smtplib
from dataclasses import dataclass

import redis

LEDGER_TTL_SECONDS = 7 * 24 * 3600  # longer than any sending server keeps retrying


class RelayError(Exception):
    """The next hop did not take the message; `permanent` for 5xx answers."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class NextHop:
    host: str
    port: int
    timeout: float = 30.0

    @classmethod
    def parse(cls, text: str) -> NextHop:
        host, sep, port = text.rpartition(":")
        if not sep or not host or not port.isdigit():
            raise ValueError(f"next hop {text!r} is not HOST:PORT")
        return cls(host.strip("[]"), int(port))

    def send(self, mail_from: str, recipients: list[str], data: bytes) -> None:
        """Relay one copy to `recipients`; raise RelayError unless every recipient was accepted."""
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as client:
                client.ehlo_or_helo_if_needed()
                if client.has_extn("starttls"):
                    client.starttls()
                    client.ehlo()
                refused = client.sendmail(mail_from, recipients, data)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise RelayError("the next hop refused every recipient", permanent=all(c >= 500 for c in codes)) from None
        except smtplib.SMTPResponseException as exc:
            raise RelayError(f"the next hop answered {exc.smtp_code}", permanent=exc.smtp_code >= 500) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise RelayError(f"the next hop could not be reached ({type(exc).__name__})") from None
        if refused:
            raise RelayError(f"the next hop refused {len(refused)} recipient(s)", permanent=True)


class Ledger:
    """What has been done with each recipient's copy of a message, in the shared Redis.

    Keyed by a digest of the message bytes and the recipient, so a retry of the
    same message is recognised on whichever node of the cluster it arrives.
    When Redis is unreachable the ledger remembers nothing and says so: copies
    that are allowed may still go, but nothing can be held (contract §7).
    """

    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.client = client
        self.prefix = prefix + "smtp:done:"

    def _key(self, digest: str, recipient: str) -> str:
        rcpt = hashlib.sha256(recipient.lower().encode()).hexdigest()[:16]
        return f"{self.prefix}{digest}:{rcpt}"

    def recall(self, digest: str, recipient: str) -> str | None:
        """"relayed", "held:<ref>", "blocked:<ref>", or None when nothing is recorded (or Redis is down)."""
        try:
            value = self.client.get(self._key(digest, recipient))
        except redis.RedisError:
            return None
        return value.decode() if isinstance(value, bytes) else value

    def record(self, digest: str, recipient: str, what: str) -> None:
        # Best effort: losing a record can only mean a duplicate after a later failure, never a loss.
        with contextlib.suppress(redis.RedisError):
            self.client.set(self._key(digest, recipient), what, ex=LEDGER_TTL_SECONDS)


def message_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]
