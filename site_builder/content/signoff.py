"""The desk's rules across claims: a repeat points at a first check elsewhere, and checks are signed off.

Both need every claim of the site at once (a repeat's target, the site's review rule),
so they run after `validate` on the frozen `Site`, with the lines `validate` kept.
"""

from __future__ import annotations

from ..errors import Origin, Problem
from ..model import Claim, Site

__all__ = ["signoff_problems", "reviewers"]


def _at(claim: Claim, name: str) -> Origin:
    return dict(claim.desk_origins).get(name, claim.origin)


def signoff_problems(site: Site, *, drafts: bool) -> list[Problem]:
    """`repeat_of` errors, and (unless `drafts`) every published claim short of `review: {required: N}`."""
    problems: list[Problem] = []
    claims = {claim.id: claim for claim in site.claims}
    for claim in site.claims:
        target_id = claim.repeat_of
        if target_id is None:
            continue
        target = claims.get(target_id)
        where = _at(claim, "repeat_of")
        if target_id == claim.id or target is None:
            problems.append(Problem(where, "unknown-repeat", f"'repeat_of' names no other claim: '{target_id}'",
                                    "write the id (file name) of the earlier claim this one repeats"))
        elif target.repeat_of is not None:
            problems.append(Problem(where, "repeat-of-repeat", f"'{target_id}' is itself a repeat of "
                                    f"'{target.repeat_of}'", f"point at the first check: `repeat_of: "
                                    f"{target.repeat_of}`"))
        elif target.article == claim.article:
            problems.append(Problem(where, "repeat-same-article", f"'{target_id}' is in the same article "
                                    f"({claim.article})", "a repeat is a claim checked before in another article; "
                                    "list a claim of the same article under `related` instead"))
    required = site.config.review_required
    if not required or drafts:
        return problems
    for claim in site.claims:
        if claim.status != "published":
            continue
        if not claim.checked_by:
            problems.append(Problem(claim.origin, "missing-checker", "this claim has no 'checked_by': the site asks "
                                    f"for review (site.yaml `review: {{required: {required}}}`)",
                                    "add `checked_by:` with who checked it"))
            continue
        found = reviewers(claim)
        if len(found) < required:
            named = "reviewed only by its checkers" if claim.reviewed_by else "not reviewed"
            problems.append(Problem(_at(claim, "reviewed_by"), "unreviewed",
                                    f"this claim is {named}: the site asks for {required} reviewer(s) other than "
                                    f"its checkers ({len(found)} found)",
                                    "add `reviewed_by:` with a second editor's name once they have reviewed it, "
                                    "or build with --drafts to preview it"))
    return problems


def reviewers(claim: Claim) -> list[str]:
    """The claim's reviewers who are not among its checkers (a check cannot review itself)."""
    checkers = {name.casefold() for name in claim.checked_by}
    return [name for name in dict.fromkeys(claim.reviewed_by) if name.casefold() not in checkers]
