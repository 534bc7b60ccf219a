"""Who is who: roles, account states, the signed-in principal, and the account rules."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from fachaustausch.core.errors import InvalidInput, PermissionDenied


class Role(StrEnum):
    member = "member"
    expert = "expert"
    moderator = "moderator"
    admin = "admin"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


_RANK = {Role.member: 0, Role.expert: 1, Role.moderator: 2, Role.admin: 3}
ROLE_LABELS = {
    Role.member: "Mitglied",
    Role.expert: "Expertin/Experte (Modellstandort)",
    Role.moderator: "Moderation (BAMF)",
    Role.admin: "Administration",
}


class AccountStatus(StrEnum):
    pending = "pending"
    active = "active"
    suspended = "suspended"
    # The person deleted the account: the row stays as the pseudonym of their posts.
    deleted = "deleted"


class AuthorityKind(StrEnum):
    model_site = "model_site"
    partner = "partner"
    member = "member"
    federal = "federal"

    @property
    def label(self) -> str:
        return AUTHORITY_KIND_LABELS[self]


AUTHORITY_KIND_LABELS = {
    AuthorityKind.model_site: "Modellstandort",
    AuthorityKind.partner: "Partnerbehörde",
    AuthorityKind.member: "interessierte Behörde",
    AuthorityKind.federal: "BAMF",
}


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in, active user a request acts for."""

    id: int
    email: str
    display_name: str
    role: Role
    authority_id: int
    authority_slug: str
    authority_name: str
    authority_kind: AuthorityKind
    token_id: int | None = None  # set when the request authenticated with an access token
    session_id: int | None = None  # the AccountSession row of a signed-in browser
    # The account's count of password changes; a session started under another has ended.
    session_version: int = 0

    def at_least(self, role: Role) -> bool:
        return self.role.rank >= role.rank

    @property
    def is_moderator(self) -> bool:
        return self.at_least(Role.moderator)

    @property
    def is_model_site_expert(self) -> bool:
        return self.role is Role.expert and self.authority_kind is AuthorityKind.model_site


def require_moderator(actor: Principal) -> None:
    if not actor.is_moderator:
        raise PermissionDenied("Nur die Moderation (BAMF) darf diese Aktion ausführen.")


class PersonAction(StrEnum):
    """What the moderation does to a person (moderation/service.py, accounts/service.py)."""

    approve = "approve"
    reject = "reject"
    suspend = "suspend"
    reactivate = "reactivate"
    set_role = "set_role"


_OUTRANKED = {
    PersonAction.approve: "Registrierungen für die Moderation bearbeitet nur die Administration.",
    PersonAction.reject: "Registrierungen für die Moderation bearbeitet nur die Administration.",
    PersonAction.suspend: "Konten der Moderation sperrt nur die Administration.",
    PersonAction.reactivate: "Konten der Moderation entsperrt nur die Administration.",
    PersonAction.set_role: "Rollen der Moderation ändert nur die Administration.",
}
_ONESELF = {
    PersonAction.suspend: "Sie können Ihr eigenes Konto nicht sperren.",
    PersonAction.set_role: "Sie können Ihre eigene Rolle nicht ändern.",
}


def check_action_on_person(
    actor: Principal,
    action: PersonAction,
    target_id: int,
    target_role: Role,
    new_role: Role | None = None,
) -> None:
    """The one rank rule for every moderation action on a person: moderators act on people
    ranked below them; only the administration acts on moderators and administrators, and
    only it makes administrators. Nobody acts on their own account."""
    require_moderator(actor)
    if target_id == actor.id:
        raise InvalidInput.for_field(
            "target_id",
            _ONESELF.get(action, "Über Ihr eigenes Konto entscheidet eine andere Person."),
        )
    if actor.role is Role.admin:
        return
    if target_role.rank >= actor.role.rank:
        raise PermissionDenied(_OUTRANKED[action])
    if new_role is not None and new_role.rank > actor.role.rank:
        raise PermissionDenied("Die Rolle „Administration“ vergibt nur die Administration.")


def check_role_for_authority(role: Role, kind: AuthorityKind) -> str | None:
    """Experts belong to a model authority; moderators to the BAMF. German reason, or None."""
    if role is Role.expert and kind is not AuthorityKind.model_site:
        return "Die Rolle „Expertin/Experte“ ist Mitarbeitenden eines Modellstandorts vorbehalten."
    if role is Role.moderator and kind is not AuthorityKind.federal:
        return "Die Rolle „Moderation“ ist Mitarbeitenden des BAMF vorbehalten."
    return None
