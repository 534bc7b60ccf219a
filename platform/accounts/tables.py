"""Authorities, user accounts, expertise and personal access tokens."""

from typing import TYPE_CHECKING

from piccolo.columns import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

if TYPE_CHECKING:
    from fachaustausch.toolbox.tables import Instrument


class Authority(Table):
    id: Serial
    slug = Varchar(length=80, unique=True)
    name = Varchar(length=200)
    kind = Varchar(length=20, index=True)  # model_site | partner | member | federal
    land = Varchar(length=60, default="")
    # E-mail domains its staff use, e.g. ["weimar.de"]; a JSON list works on both engines.
    email_domains = JSON(default="[]")


class User(Table, tablename="app_user"):
    id: Serial
    # Stored lower-cased: the unique index then makes e-mails unique case-insensitively.
    email = Varchar(length=254, unique=True)
    display_name = Varchar(length=100)
    # The name in profile addresses and @mentions, derived once from the display name
    # (accounts/handles.py) and kept when the name changes, so links stay valid. Empty
    # (NULL) only for a deleted account, which the unique index allows many times.
    handle = Varchar(length=40, null=True, default=None, unique=True)
    authority = ForeignKey(references=Authority, on_delete=OnDelete.restrict, index=True)
    role = Varchar(length=20, default="member")  # member | expert | moderator | admin
    status = Varchar(length=20, default="pending", index=True)  # pending | active | suspended
    password_hash = Varchar(length=200)
    created_at = Timestamptz(default=TimestamptzNow())
    approved_at = Timestamptz(null=True, default=None)
    # Counts password changes and resets: a session signed in under an older count has
    # ended (security.py), which ends every other session of the person at once.
    session_version = Integer(default=0)
    # Whether other signed-in people see the e-mail address on the profile (off by default).
    show_email = Boolean(default=False)


class UserInstrument(Table):
    """An instrument an expert covers; open questions of it are routed to them."""

    id: Serial
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    instrument: ForeignKey["Instrument"] = ForeignKey(
        references=LazyTableReference("Instrument", module_path="fachaustausch.toolbox.tables"),
        on_delete=OnDelete.cascade,
    )


class AccessToken(Table):
    id: Serial
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=100)
    # SHA-256 of the secret: the secret itself is shown once and never stored.
    token_hash = Varchar(length=64, unique=True)
    prefix = Varchar(length=16)
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class ConfirmationLink(Table):
    """A single-use link sent by e-mail: to set a new password (`password_reset`) or to
    confirm a new e-mail address (`email_change`). Only the SHA-256 of its secret is kept;
    it expires an hour after it was sent and counts as used once used (the rows of the last
    hour also limit how many mails one address gets)."""

    id: Serial
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    purpose = Varchar(length=20)
    token_hash = Varchar(length=64, unique=True)
    new_email = Varchar(length=254, default="")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class AccountSession(Table):
    """A signed-in browser session, so its owner can see and end it. The session data in
    the session store holds a random key; only its SHA-256 is kept here, and a session
    whose row is gone, or whose version is behind the account's, has ended
    (http/security.py). No address is stored: the browser is kept as a short description."""

    id: Serial
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    key_hash = Varchar(length=64, unique=True)
    # The account's session_version when it began: a later sign-out everywhere, password
    # change or deletion counts the account's up, which ends it.
    session_version = Integer(default=0)
    browser = Varchar(length=80, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    # Kept to the quarter hour (accounts/queries.py), like an access token's last use.
    last_seen_at = Timestamptz(default=TimestamptzNow())
