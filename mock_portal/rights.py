"""The rights catalogue (the tree on *Administrér rettigheder*) and its rules. Pure Python.

The tree is data so that other services can carry rights too: a node is a folder (``children``)
or a service whose ``rights`` can be granted. Right ids are ``<service>.<right>``. The two Se Sag
rights under Arbejdsmarkedets Erhvervssikring (id, label, info text) come from the step
catalogue's rights table, the one source the flows read too.
"""

from __future__ import annotations

from dataclasses import dataclass

import catalogue


@dataclass(frozen=True)
class PortalRight:
    """A right as the portal stores and shows it: its id, its label in the tree, its info text."""

    id: str
    label: str
    info: str


@dataclass(frozen=True)
class Node:
    """A folder of the tree, or a service holding rights."""

    id: str
    label: str
    children: tuple[Node, ...] = ()
    rights: tuple[PortalRight, ...] = ()
    open: bool = False

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


RIGHTS_TREE: tuple[Node, ...] = (
    Node(
        "offentlige",
        "Offentlige",
        open=True,
        children=(
            Node(
                "lbf",
                "Landsbyggefonden",
                rights=(
                    PortalRight(
                        "lbf.indberetter",
                        "Indberetter",
                        "Må indberette regnskaber og budgetter for boligorganisationen til Landsbyggefonden.",
                    ),
                    PortalRight(
                        "lbf.laeseadgang", "Læseadgang", "Må se boligorganisationens sager hos Landsbyggefonden."
                    ),
                ),
            ),
            Node(
                "aes",
                "Arbejdsmarkedets Erhvervssikring",
                open=True,
                rights=tuple(PortalRight(r.portal_id, r.portal_label, r.who["da"]) for r in catalogue.rights()),
            ),
            Node(
                "sm",
                "Socialministeriet",
                rights=(
                    PortalRight(
                        "sm.tilskudsportal", "Tilskudsportal", "Må søge og administrere tilskud på virksomhedens vegne."
                    ),
                ),
            ),
        ),
    ),
    Node(
        "forsikringer",
        "Forsikringer",
        rights=(
            PortalRight(
                "fors.skadeanmelder",
                "Skadeanmelder",
                "Må anmelde skader til forsikringsselskabet på virksomhedens vegne.",
            ),
            PortalRight(
                "fors.policeadministrator", "Policeadministrator", "Må se og ændre virksomhedens forsikringspolicer."
            ),
        ),
    ),
    Node(
        "finans",
        "Finans",
        rights=(
            PortalRight("finans.betaler", "Betalingsgodkender", "Må godkende betalinger i virksomhedens netbank."),
        ),
    ),
)


AES_RIGHTS = frozenset(r.portal_id for r in catalogue.rights())


def all_rights() -> dict[str, PortalRight]:
    """Every grantable right by id."""
    return {right.id: right for node in RIGHTS_TREE for sub in node.walk() for right in sub.rights}


def service_of(right_id: str) -> Node:
    """The service node that carries ``right_id``."""
    for node in RIGHTS_TREE:
        for sub in node.walk():
            if any(right.id == right_id for right in sub.rights):
                return sub
    raise KeyError(right_id)


class RightsRuleError(ValueError):
    """A set of rights the rules forbid; the message is Danish, for the administrator."""


# Said on the rights page and when a save with both is refused; the guide quotes it (Trin 5).
ONE_AES_RIGHT = catalogue.one_right_sentence()


def validate(right_ids: set[str]) -> set[str]:
    """Return ``right_ids`` if allowed; raise RightsRuleError (unknown right, both AES rights)."""
    known = all_rights()
    unknown = sorted(r for r in right_ids if r not in known)
    if unknown:
        raise RightsRuleError(f"Ukendt rettighed: {', '.join(unknown)}.")
    if right_ids >= AES_RIGHTS:
        raise RightsRuleError(ONE_AES_RIGHT)
    return set(right_ids)


def describe_change(before: set[str], after: set[str]) -> list[str]:
    """Danish event texts for a change of rights, e.g. 'Rettighed tildelt: ...'."""
    known = all_rights()

    def name(right_id: str) -> str:
        return f"{service_of(right_id).label} › {known[right_id].label}"

    return [f"Rettighed tildelt: {name(r)}" for r in sorted(after - before)] + [
        f"Rettighed fjernet: {name(r)}" for r in sorted(before - after)
    ]
