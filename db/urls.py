"""Connection strings: parsing, masking and friendly validation.

Passwords must never reach a log line or an error message, so every message that names a
store goes through :func:`mask_url`.
"""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from db.errors import StoreError

SUPPORTED = ("sqlite", "postgresql")


def parse_url(url: str | URL) -> URL:
    """Parse a SQLAlchemy URL, accepting the short ``postgresql://`` form for psycopg 3."""
    if isinstance(url, URL):
        parsed = url
    else:
        text = url.strip()
        if not text:
            raise StoreError("The store address is empty; give a URL such as sqlite:///ripple.db.")
        try:
            parsed = make_url(text)
        except ArgumentError:
            raise StoreError(
                f"“{mask_text(text)}” is not a store address; use sqlite:///PATH or "
                "postgresql+psycopg://USER@HOST/DB."
            ) from None
        except ValueError:  # a port that is not a number, or an IPv6 host without its "]"
            raise StoreError(
                f"The host or port in “{mask_text(text)}” is not valid; write HOST:PORT with a port "
                "number (5432), and an IPv6 address in brackets ([::1]:5432)."
            ) from None
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise StoreError(
            f"The port {parsed.port} in “{mask_url(parsed)}” is not a port; use a number from 1 to 65535."
        )
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED:
        raise StoreError(
            f"Ripple cannot use a “{backend}” store; use sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST/DB."
        )
    if backend == "postgresql" and parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if backend == "postgresql" and parsed.get_driver_name() != "psycopg":
        raise StoreError(
            f"Ripple talks to PostgreSQL through psycopg 3; write the address as "
            f"postgresql+psycopg://… instead of {parsed.drivername}://…."
        )
    return parsed


#: Query options libpq reads secrets from (``?password=…`` works as well as ``user:pw@``).
SECRET_QUERY_KEYS = frozenset({"password", "sslpassword"})


def mask_url(url: str | URL) -> str:
    """The URL as it may be shown to a person or written to a log: no password."""
    try:
        parsed = url if isinstance(url, URL) else make_url(str(url))
    except (ArgumentError, ValueError):
        return mask_text(str(url))
    secret = {k: "MASKED" for k in parsed.query if k.lower() in SECRET_QUERY_KEYS}
    if secret:
        parsed = parsed.update_query_dict(secret)
    return parsed.render_as_string(hide_password=True).replace("=MASKED", "=***")


def mask_text(text: str) -> str:
    """Mask ``user:password@`` and ``password=…`` in free text that could not be parsed as a URL."""
    import re

    text = re.sub(r"(//[^/:@\s]*:)[^@\s]*@", r"\1***@", text)
    return re.sub(r"(password=)[^&\s]*", r"\1***", text, flags=re.IGNORECASE)  # sslpassword= too
