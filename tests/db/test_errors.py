"""One sentence for every driver error, without the password (db.errors.explain)."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from db.errors import RemoteRefused, StoreError, explain

URL = "postgresql+psycopg://trainer:hunter2@db.example/ripple"


def _driver(kind: type[Exception], message: str) -> Exception:
    """What SQLAlchemy raises: the driver's own exception wrapped, its text in ``orig``."""
    return kind("SELECT 1", None, Exception(message))


def test_refused_password_is_one_sentence_without_the_password() -> None:
    # This server trusts local connections, so the refusal is the driver's real message.
    exc = Exception('connection failed: FATAL:  password authentication failed for user "trainer"')
    err = explain(URL, exc)
    assert "refused the user name or password" in str(err)
    assert "hunter2" not in str(err)


@pytest.mark.parametrize(
    ("exc", "kind", "expected"),
    [
        (_driver(OperationalError, "fe_sendauth: no password supplied"), RemoteRefused, "asks for a password"),
        (_driver(OperationalError, 'FATAL:  password authentication failed for user "t"'), RemoteRefused,
         "refused the user name or password"),
        (_driver(ProgrammingError, "permission denied for table workshops"), StoreError,
         "lacks a permission on the shared store (permission denied for table workshops)"),
        (_driver(IntegrityError, "duplicate key value\nDETAIL: Key (id)=(x)"), StoreError,
         "refused a change (duplicate key value); nothing of that batch was kept"),
        (_driver(OperationalError, "canceling statement due to lock timeout"), StoreError,
         "Another laptop has been syncing"),
        (_driver(OperationalError, 'FATAL:  database "ripple" does not exist'), StoreError,
         "does not exist; ask the admin"),
        (_driver(OperationalError, 'FATAL:  role "trainer" does not exist'), StoreError, "has no such user"),
        (_driver(OperationalError, "unable to open database file"), StoreError, "cannot open the store file"),
        (_driver(OperationalError, "file is not a database"), StoreError, "is not a Ripple store"),
        (_driver(OperationalError, "connection refused\n\tIs the server running?"), StoreError,
         "could not reach the store"),
        (_driver(OperationalError, "something else entirely\nmore"), StoreError,
         "could not be opened: something else entirely."),
    ],
)
def test_each_driver_message_has_its_sentence(exc: Exception, kind: type[StoreError], expected: str) -> None:
    err = explain(URL, exc)
    assert type(err) is kind
    assert expected in str(err)
    assert "hunter2" not in str(err) and "trainer:***@" in str(err)


def test_a_connection_lost_mid_sync_is_not_called_unreachable() -> None:
    lost = _driver(OperationalError, "server closed the connection unexpectedly")
    assert "was lost during the sync" in str(explain(URL, lost, during_sync=True))
    assert "was lost" not in str(explain(URL, lost))
    refused = _driver(OperationalError, "connection refused")
    assert "could not reach" in str(explain(URL, refused, during_sync=True))
