"""The quarantine: held and blocked transfers, the reviewers who decide on them, and the audit log.

store.py (Redis, sealed payloads) · crypto.py (keyring, AES-GCM) · items.py (the item model) ·
audit.py (hash-chained disclosure log) · users.py (console accounts) · review.py (the rules) ·
release.py (delivery, replay, notices) · retention.py (expiry) · console/ (the web console).
"""
