"""The desk's view across articles: who made each claim, which claims repeat earlier ones, who signed off.

Claimants (content/claimants/ID.yaml) and people (content/people/ID.yaml) are small
optional files; a claim's free-text `claimant:` is resolved against their ids, names
and aliases, and one that matches none still gets a page, by a slug of its name. The
`Desk` is built once per graph after `link` (the files are read by content/desk_files.py),
so every page only looks things up.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..content import fields as F
from ..content.desk_files import CLAIMANT, PERSON, load_desk_files
from ..content.signoff import reviewers
from ..errors import Origin, Problem
from ..link import Graph, tally_of

__all__ = ["Claimant", "Person", "Desk", "from_desk", "make_desk", "slug_of"]


@dataclass(frozen=True, slots=True)
class Claimant:
    id: str
    name: str
    description: str
    url: str | None
    kind: str | None  # schema.org type: Person or Organization
    aliases: tuple[str, ...]
    source: str | None
    origin: Origin | None  # None: no file (a free-text claimant, named by a slug of its name)


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    role: str
    origin: Origin


@dataclass(frozen=True, slots=True)
class Desk:
    claimants: dict[str, Claimant]
    people: dict[str, Person]
    of_claim: dict[str, str]  # claim id -> claimant id
    by_claimant: dict[str, tuple[str, ...]]  # claimant id -> claim ids, newest check first
    ranking: tuple[str, ...]  # claimant ids, most checks first
    repeats: dict[str, tuple[str, ...]]  # earlier claim id -> the claims repeating it, in article order
    unreviewed: frozenset[str]  # claims short of the site's review rule (shown only in builds with drafts)
    files: dict[str, str]  # every desk file read (content/claimants/, content/people/) -> the hash of its bytes

    def bar(self, graph: Graph, claimant_id: str) -> tuple[tuple[str, int, int], ...]:
        """(verdict id, count, claims before) in the site's scale order: the report card's bar, as `tally`."""
        return tally_of([graph.claims[claim_id].verdict for claim_id in self.by_claimant[claimant_id]],
                        [verdict.id for verdict in graph.site.config.verdicts])

    def repeat_count(self, claimant_id: str, graph: Graph) -> int:
        return sum(1 for claim_id in self.by_claimant[claimant_id] if graph.claims[claim_id].repeat_of)


_LETTERS = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"})


def from_desk(problem: Problem) -> bool:
    """A problem `make_desk` or `possible_repeats` reports (a patched graph's are found again, not kept)."""
    return problem.code in ("unknown-claimant", "possible-repeat") or \
        problem.origin.path.startswith(("content/claimants/", "content/people/"))


def slug_of(name: str) -> str:
    """A safe id from a name: accents dropped, lowercase, single hyphens ('Recep Tayyip Erdoğan' -> 'recep-...')."""
    spelt = name.translate(_LETTERS)
    plain = unicodedata.normalize("NFKD", spelt).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:80].strip("-")
    return slug if F.is_safe_id(slug) else "claimant-" + str(sum(map(ord, name)) % 100000)


def make_desk(root: Path, graph: Graph, problems: list[Problem]) -> Desk:
    """Claimants and people read, every claim's claimant resolved, repeats linked both ways."""
    files: dict[str, str] = {}
    claimants = {
        claimant_id: Claimant(claimant_id, record.get("name"), record.get("description", ""), record.get("url"),
                              record.get("kind"), tuple(record.get("aliases", [])), record.get("source"), record.origin)
        for claimant_id, record in load_desk_files(root, "claimants", CLAIMANT, "claimant", problems, files)}
    people = {person_id: Person(person_id, record.get("name"), record.get("role", ""), record.origin)
              for person_id, record in load_desk_files(root, "people", PERSON, "person", problems, files)}
    names: dict[str, str] = {}
    for claimant in claimants.values():
        for spelling in (claimant.id, claimant.name, *claimant.aliases):
            names.setdefault(spelling.casefold(), claimant.id)
    of_claim: dict[str, str] = {}
    free: dict[str, tuple[str, Origin]] = {}  # slug -> (name, first claim naming it)
    quiet: dict[str, str] = {}  # slug -> an article publisher's name, the claimant of claims naming none
    for claim_id in graph.order:
        claim = graph.claims[claim_id]
        name = claim.claimant or graph.articles[claim.article].publisher
        found = names.get(name.casefold())
        if found is None:
            found = slug_of(name)
            if found in claimants:  # the slug of a free spelling names a file: that claimant
                names[name.casefold()] = found
            elif claim.claimant:  # a page, and a warning; the article's publisher (no `claimant:`) only a page
                free.setdefault(found, (name, dict(claim.desk_origins).get("claimant", claim.origin)))
            else:
                quiet.setdefault(found, name)
        of_claim[claim_id] = found
    for slug, name in quiet.items():
        if slug not in free:
            claimants[slug] = Claimant(slug, name, "", None, "Organization", (), None, None)
    for slug, (name, where) in sorted(free.items()):
        claimants[slug] = Claimant(slug, name, "", None, None, (), None, None)
        close = difflib.get_close_matches(slug, [c for c in claimants if claimants[c].origin], n=1, cutoff=0.6)
        hint = (f"did you mean '{close[0]}'? Write `claimant: {close[0]}`, or " if close else "") + \
            f"create content/claimants/{slug}.yaml with `name: {name}` and a sourced description"
        problems.append(Problem(where, "unknown-claimant", f"claimant '{name}' has no file in content/claimants/",
                                hint, "warning"))
    by_claimant: dict[str, list[str]] = {claimant_id: [] for claimant_id in claimants}
    for claim_id in graph.order:
        by_claimant[of_claim[claim_id]].append(claim_id)
    def newest(claim_id: str) -> int:
        checked = graph.claims[claim_id].checked
        return checked.toordinal() if checked else 0

    for ids in by_claimant.values():
        ids.sort(key=newest, reverse=True)  # stable: article order among equals
    repeats: dict[str, list[str]] = {}
    for claim_id in graph.order:
        earlier = graph.claims[claim_id].repeat_of
        if earlier is not None and earlier in graph.claims:
            repeats.setdefault(earlier, []).append(claim_id)
    used = {claimant_id: ids for claimant_id, ids in by_claimant.items() if ids}
    ranking = tuple(sorted(used, key=lambda claimant_id: (-len(used[claimant_id]), claimants[claimant_id].name)))
    config = graph.site.config
    unreviewed = frozenset(claim_id for claim_id, claim in graph.claims.items()
                           if config.review_required
                           and (not claim.checked_by or len(reviewers(claim)) < config.review_required))
    return Desk({k: claimants[k] for k in sorted(used)}, people, of_claim,
                {k: tuple(v) for k, v in used.items()}, ranking, {k: tuple(v) for k, v in repeats.items()},
                unreviewed, files)
