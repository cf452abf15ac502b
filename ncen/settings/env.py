"""Reading configuration from the environment.

Every setting that differs between machines comes from an environment variable. A missing
or malformed value stops start-up with one line that names the variable, rather than a
traceback an administrator on a small island would have to decode.
"""

import os
from urllib.parse import parse_qsl, unquote, urlsplit


class ConfigurationError(SystemExit):
    """Raised while settings load; Python prints the message alone and exits non-zero."""

    def __init__(self, message: str):
        super().__init__(f"nCEN configuration error: {message}")


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if default is None:
        raise ConfigurationError(f"{name} is required but not set.")
    return default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {value!r}.") from None
    if number < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(name: str, url: str) -> dict:
    """Turn ``postgres://user:password@host:port/dbname?option=value`` into DATABASES["default"].

    A ``host`` query option (a socket directory) overrides the network location, which is how
    libpq spells a connection over a Unix socket.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise ConfigurationError(f"{name} is malformed ({error}).") from None
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ConfigurationError(
            f"{name} must start with postgres:// or postgresql://, not {parts.scheme or url!r}."
        )
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname or "/" in dbname:
        raise ConfigurationError(f"{name} must name one database, e.g. postgres://host/ncen.")
    options = dict(parse_qsl(parts.query))
    host = options.pop("host", None) or unquote(parts.hostname or "")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": dbname,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(port or ""),
        "OPTIONS": options,
    }


def redis_urls(name: str, url: str) -> tuple[str, str]:
    """Return (url for redis-py, url for Celery's broker) from REDIS_URL.

    redis-py reads Unix sockets as ``unix:///path``; Celery's transport calls the same thing
    ``redis+socket:///path``. The embedded Redis of ``make run`` listens on a socket.
    """
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise ConfigurationError(f"{name} is malformed ({error}).") from None
    if parts.scheme in {"redis", "rediss"}:
        if not parts.hostname:
            raise ConfigurationError(f"{name} must name a host, e.g. redis://127.0.0.1:6379/0.")
        return url, url
    if parts.scheme == "unix" and parts.path:
        return url, "redis+socket://" + parts.path + (f"?{parts.query}" if parts.query else "")
    raise ConfigurationError(
        f"{name} must start with redis://, rediss:// or unix://, not {parts.scheme or url!r}."
    )


def env_private_key(name: str, path: str):
    """The Ed25519 private key in the PEM file at ``path`` (``manage.py exchange_keys``)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    if not path:
        raise ConfigurationError(
            f"{name} is required: the private key file made by `manage.py exchange_keys`."
        )
    try:
        with open(path, "rb") as file:
            key = load_pem_private_key(file.read(), password=None)
    except OSError as error:
        raise ConfigurationError(f"{name}: cannot read {path} ({error.strerror}).") from None
    except (ValueError, TypeError):
        raise ConfigurationError(f"{name}: {path} is not an unencrypted PEM private key.") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigurationError(f"{name}: {path} is not an Ed25519 key.")
    return key
