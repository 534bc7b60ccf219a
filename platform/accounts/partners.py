"""Which partner authority accompanied which model site, as the project lists them (the
seed's model and partner authorities, see docs/domain notes). The slugs are
stable: the seed creates exactly these authorities."""

from __future__ import annotations

# (model site, partner authority)
PARTNERS: tuple[tuple[str, str], ...] = (
    ("bietigheim-bissingen", "heidelberg"),
    ("deggendorf", "erlangen"),
    ("wetteraukreis", "kassel"),
    ("wetteraukreis", "wiesbaden"),
    ("essen", "koeln"),
    ("chemnitz", "dresden"),
)


def partners_of(slug: str) -> list[str]:
    """The slugs of the authorities `slug` has a partner relation with."""
    return sorted({b if a == slug else a for a, b in PARTNERS if slug in (a, b)})
