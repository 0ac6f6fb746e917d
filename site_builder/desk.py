"""The desk's view across articles: who made each claim, which claims repeat earlier ones, who signed off.

Claimants (content/claimants/ID.yaml) and people (content/people/ID.yaml) are small
optional files; a claim's free-text `claimant:` is resolved against their ids, names
and aliases, and one that matches none still gets a page, by a slug of its name. The
`Desk` is built once per graph after `link`, so every page only looks things up.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import fields as F
from .errors import Origin, Problem
from .link import Graph, tally_of
from .load import parse_file
from .model import Claim

__all__ = ["Claimant", "Person", "Desk", "from_desk", "CLAIMANT", "PERSON", "load_people_files", "make_desk", "slug_of",
           "reviewers"]

CLAIMANT, PERSON = F.CLAIMANT, F.PERSON


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


def load_people_files(root: Path, folder: str, fields: tuple[F.Field, ...], what: str,
                      problems: list[Problem]) -> list[tuple[str, F.Record]]:
    """content/FOLDER/ID.yaml files read against `fields`: (id, record) for each valid one."""
    found = []
    base = root / "content" / folder
    try:
        names = sorted(name for name in os.listdir(base) if not name.startswith((".", "#"))
                       and not name.endswith("~"))
    except OSError:
        return []
    for name in names:
        relative = f"content/{folder}/{name}"
        if not name.endswith(".yaml") or not (base / name).is_file() or (base / name).is_symlink():
            problems.append(Problem(Origin(relative), "unexpected-file", f"unexpected file: {folder}/ holds ID.yaml "
                                    "files", "rename or move it", "warning"))
            continue
        stem = name[:-5]
        raw = parse_file(relative, (base / name).read_bytes())
        problems.extend(raw.problems)
        if not F.is_safe_id(stem):
            problems.append(Problem(Origin(relative), "bad-id", f"the file name '{stem}' is not a safe {what} id",
                                    "rename the file using lowercase letters a-z, digits and single hyphens"))
            continue
        if raw.problems:
            continue
        record = F.read_record(raw.data, fields, Origin(relative, 1, 1), problems, f"a {what}")
        if record is not None and record.get("name"):
            found.append((stem, record))
    return found


def make_desk(root: Path, graph: Graph, problems: list[Problem]) -> Desk:
    """Claimants and people read, every claim's claimant resolved, repeats linked both ways."""
    claimants = {
        claimant_id: Claimant(claimant_id, record.get("name"), record.get("description", ""), record.get("url"),
                              record.get("kind"), tuple(record.get("aliases", [])), record.get("source"), record.origin)
        for claimant_id, record in load_people_files(root, "claimants", CLAIMANT, "claimant", problems)}
    people = {person_id: Person(person_id, record.get("name"), record.get("role", ""), record.origin)
              for person_id, record in load_people_files(root, "people", PERSON, "person", problems)}
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
                unreviewed)


def reviewers(claim: Claim) -> list[str]:
    """The claim's reviewers who are not among its checkers (a check cannot review itself)."""
    checkers = {name.casefold() for name in claim.checked_by}
    return [name for name in dict.fromkeys(claim.reviewed_by) if name.casefold() not in checkers]
