from __future__ import annotations

import pytest

from gateway.quarantine.users import AccountError, UserStore

from .qfixtures import PASSWORD


def test_add_and_authenticate(users: UserStore) -> None:
    users.add("Alice", "reviewer", PASSWORD, "Alice@Force.Police.UK")
    account = users.authenticate("alice", PASSWORD)
    assert account is not None
    assert (account.name, account.role, account.email) == ("alice", "reviewer", "alice@force.police.uk")
    assert account.can_decide and not account.is_senior
    stored = users.redis.hget(users._key("alice"), "password")
    assert stored.startswith(b"$argon2id$") and PASSWORD.encode() not in stored


def test_wrong_password_unknown_and_disabled_accounts_fail(users: UserStore) -> None:
    users.add("bob", "senior-reviewer", PASSWORD)
    assert users.authenticate("bob", PASSWORD + "x") is None
    assert users.authenticate("nobody", PASSWORD) is None
    assert users.authenticate("bad name!", PASSWORD) is None
    users.set_disabled("bob", True)
    assert users.authenticate("bob", PASSWORD) is None
    users.set_disabled("bob", False)
    assert users.authenticate("bob", PASSWORD) is not None


@pytest.mark.parametrize(
    ("name", "role", "password", "message"),
    [
        ("carol", "admin", PASSWORD, "unknown role"),
        ("carol", "auditor", "short", "at least 12"),
        ("carol", "auditor", " padded password ", "white space"),
        ("-carol", "auditor", PASSWORD, "account name"),
    ],
)
def test_invalid_accounts_are_refused(users: UserStore, name: str, role: str, password: str, message: str) -> None:
    with pytest.raises(AccountError, match=message):
        users.add(name, role, password)


def test_duplicates_need_replace(users: UserStore) -> None:
    users.add("dave", "auditor", PASSWORD)
    with pytest.raises(AccountError, match="already exists"):
        users.add("dave", "reviewer", PASSWORD)
    users.add("dave", "reviewer", PASSWORD + "2", replace=True)
    account = users.authenticate("dave", PASSWORD + "2")
    assert account is not None and account.role == "reviewer"
    assert [a.name for a in users.list()] == ["dave"]
    assert users.remove("dave") and not users.remove("dave")
    assert users.get("dave") is None


def test_auditors_cannot_decide(users: UserStore) -> None:
    account = users.add("erin", "auditor", PASSWORD)
    assert not account.can_decide and not account.is_senior
