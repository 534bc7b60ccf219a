"""Signed one-click unsubscribe tokens: one per (user, notification kind).

A token reads `v1.<payload>.<signature>`: the payload is `<user id>:<kind>` in URL-safe
base64, the signature an HMAC-SHA256 over version and payload. The HMAC key is derived from
the app's secret for this purpose alone, so a token can never stand in for another signed
value (CSRF, sessions). Tokens do not expire: an unsubscribe link in a mail from last year
must still work. When the secret is rotated, `read_token` is given the new secret and the old
ones, and reads tokens signed with any of them; `make_token` always signs with the new one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Collection, Sequence

VERSION = "v1"
# The base URL is prefixed by the caller; the route receives GET (a page with a confirm
# button, since mail scanners follow links) and the RFC 8058 one-click POST.
PATH = "/benachrichtigungen/abbestellen/{token}"

_PURPOSE = b"fachaustausch/notifications/unsubscribe/v1"
_SIGNATURE_BYTES = 16
_KIND = re.compile(r"[a-z][a-z0-9_]{0,63}")

INVALID = (
    "Dieser Abmeldelink ist ungültig. Bitte verwenden Sie den vollständigen Link aus der "
    "E-Mail oder ändern Sie Ihre Einstellungen unter „Benachrichtigungen“ in Ihrem Profil."
)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: str, signed: str) -> bytes:
    key = hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()
    return hmac.new(key, signed.encode("ascii"), hashlib.sha256).digest()[:_SIGNATURE_BYTES]


def make_token(secret: str, user_id: int, kind: str) -> str:
    if not secret:
        raise ValueError("an unsubscribe token needs a secret")
    if user_id < 1:
        raise ValueError(f"user id must be positive, not {user_id}")
    if not _KIND.fullmatch(kind):
        raise ValueError(f"notification kind must be snake_case ASCII, not {kind!r}")
    signed = f"{VERSION}.{_b64(f'{user_id}:{kind}'.encode('ascii'))}"
    return f"{signed}.{_b64(_signature(secret, signed))}"


def read_token(
    secret: str | Sequence[str], token: str, *, kinds: Collection[str] | None = None
) -> tuple[int, str]:
    """The (user id, kind) a token was made for. `secret` is the current secret, or the
    current one followed by earlier ones. With `kinds`, a kind outside it is refused too.
    Raises ValueError with a German message for anything not made by `make_token`."""
    secrets = [secret] if isinstance(secret, str) else list(secret)
    version, _, rest = token.partition(".")
    payload, _, signature = rest.partition(".")
    if version != VERSION or not payload or not signature or not token.isascii():
        raise ValueError(INVALID)
    signed = f"{version}.{payload}"
    # Compared as text, so a token spelt another way (padding, other base64) is refused too.
    if not any(hmac.compare_digest(signature, _b64(_signature(s, signed))) for s in secrets if s):
        raise ValueError(INVALID)
    try:
        user_text, _, kind = _unb64(payload).decode("ascii").partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValueError(INVALID) from None
    # Signed by us, so well formed; checked anyway, as a token outlives code changes.
    if not user_text.isdigit() or not _KIND.fullmatch(kind):
        raise ValueError(INVALID)
    if kinds is not None and kind not in kinds:
        raise ValueError(INVALID)
    return int(user_text), kind


def unsubscribe_url(base_url: str, token: str) -> str:
    return base_url.rstrip("/") + PATH.format(token=token)
