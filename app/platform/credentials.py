"""The shared store's password: in the system keychain when there is one, else asked for.

Settings keep the store's address without its password (``remote_url``); the password lives
under the keychain entry for ``user@host:port/database``, or for this session only in
memory. Nothing here writes a password to a file or a log line.
"""

from __future__ import annotations

import logging

from sqlalchemy.engine import URL

from app.errors import RippleError
from db.urls import mask_url, parse_url

log = logging.getLogger("ripple.credentials")

SERVICE = "Ripple shared store"
#: The keychain entry for the passphrase of an encrypted client key (``sslpassword``).
SSL_SERVICE = "Ripple shared store (client key passphrase)"


def account_for(url: str | URL) -> str:
    """The keychain account name for a store: who, where, which database (never a secret)."""
    u = parse_url(url)
    port = f":{u.port}" if u.port else ""
    return f"{u.username or ''}@{u.host or 'localhost'}{port}/{u.database or ''}"


def split_password(url: str) -> tuple[str, str | None]:
    """The address as settings may keep it (no password), and the password it carried
    (as ``user:password@`` or as a ``?password=`` option). An ``sslpassword`` is split off
    by :func:`split_ssl_password`."""
    u = parse_url(url)
    query_secret = {k: v for k, v in u.query.items() if k.lower() == "password"}
    if u.password is None and not query_secret:
        return url.strip(), None
    password = u.password
    if password is None:
        given = next(iter(query_secret.values()))
        password = given[-1] if isinstance(given, tuple) else given
    clean = u._replace(password=None).difference_update_query(list(query_secret))
    return clean.render_as_string(hide_password=False), str(password) if password is not None else None


def split_ssl_password(url: str) -> tuple[str, str | None]:
    """The address without its ``sslpassword`` option (the passphrase of an encrypted client
    key), and that passphrase: a secret like the password, so settings and the store never keep
    it; the keychain does (:data:`SSL_SERVICE`), or this session's memory."""
    u = parse_url(url)
    keys = [k for k in u.query if k.lower() == "sslpassword"]
    if not keys:
        return url.strip(), None
    given = u.query[keys[0]]
    value = given[-1] if isinstance(given, tuple) else given
    return u.difference_update_query(keys).render_as_string(hide_password=False), str(value)


def with_password(url: str, password: str | None, ssl_password: str | None = None) -> URL:
    """The URL object to connect with (kept as an object so the password is never rendered
    into a string that could end up in a message)."""
    u = parse_url(url)
    if ssl_password:
        u = u.update_query_dict({"sslpassword": ssl_password})
    return u.set(password=password) if password else u


def needs_password(url: str) -> bool:
    u = parse_url(url)
    return u.get_backend_name() == "postgresql" and u.password is None


def keyring_available() -> bool:
    """Whether a real system keychain is there (not keyring's "fail" or "null" backends)."""
    try:
        import keyring
        from keyring.backends import fail, null

        backend = keyring.get_keyring()
    except Exception:  # no keyring package or a broken backend: treat as absent
        return False
    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    return getattr(backend, "backends", None) != []


def load_password(url: str, service: str = SERVICE) -> str | None:
    if (service == SERVICE and not needs_password(url)) or not keyring_available():
        return None
    import keyring

    try:
        return keyring.get_password(service, account_for(url))
    except Exception as exc:  # a locked or broken keychain: ask instead
        log.warning("keychain read failed for %s: %s", mask_url(url), type(exc).__name__)
        return None


def save_password(url: str, password: str, service: str = SERVICE) -> None:
    if not keyring_available():
        raise RippleError(
            "This computer has no system keychain, so Ripple cannot remember the password; "
            "it will ask for it once per session."
        )
    import keyring

    try:
        keyring.set_password(service, account_for(url), password)
    except Exception as exc:
        raise RippleError(
            f"The system keychain refused to store the password ({type(exc).__name__})."
        ) from None


def forget_password(url: str) -> None:
    if not keyring_available():
        return
    import keyring

    for service in (SERVICE, SSL_SERVICE):
        try:
            keyring.delete_password(service, account_for(url))
        except Exception:  # nothing stored, or the keychain is locked: nothing to forget
            pass
