"""Broken inputs, each with the exact file, line and message the author sees.

Every case starts from a site that built successfully, breaks one thing, and
asserts: exit code 1, the exact `path:line:col: error[code]: message` line, the line it names with a caret,
its own hint, and that the previously built site is byte-for-byte untouched. A code that needs a process, a
lock, a server or a disk has a test of its own that asserts the same (`problemkit.assert_problem`); the
table's test fails on a documented code with neither.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import sys
from pathlib import Path

import pytest
from deskkit import make as make_desk_site
from problemkit import assert_problem, excerpt, problem_block
from sitekit import MINIMAL, REPO, SITES, as_written, copy_site

from site_builder.commands.cli import main
from site_builder.errors import format_problem

CLAIM = "content/articles/story/claims/ten-people.yaml"
GOOD_CLAIM = as_written(MINIMAL[CLAIM])


def claim_with(old: str, new: str) -> dict[str, str]:
    assert old in GOOD_CLAIM
    return {CLAIM: GOOD_CLAIM.replace(old, new)}


SITE_HEADER = as_written(MINIMAL["content/site.yaml"]).split("verdicts:\n")[0] + "verdicts:\n"


PIPE = "<a pipe>"  # a value in a case's files: make a named pipe there (its path written with a trailing |)
GONE = None  # remove the file, or the folder when the path ends in "/"


class Link(str):
    """A value in a case's files: make a symbolic link there, to this target."""


def site_with(verdicts: str) -> dict[str, str]:
    """site.yaml with the given verdict lines (lines 7 and 8)."""
    return {"content/site.yaml": SITE_HEADER + verdicts}


BLUE = "content/articles/story/claims/blue-sky.yaml"
BLUE_SKY = "quote: The sky was blue on Monday.\noccurrence: 1\nclaim: Blue sky.\nverdict: opinion\nsummary: S.\n"
OTHER = {"content/articles/other/article.yaml": "title: Other\npublisher: P\nsummary: S.\n",
         "content/articles/other/text.md": "Grass is green.\n",
         "content/articles/other/claims/again.yaml": "quote: Grass is green.\nclaim: Green.\nverdict: opinion\n"
                                                     "summary: S.\nrepeat_of: blue-sky\n"}
REVIEW_ON = {"content/site.yaml": as_written(MINIMAL["content/site.yaml"]) + "review: {required: 1}\n"}

# (case id, files to change, expected first line of the problem, a piece of its hint or "")
CASES = [
    ("yaml-syntax", claim_with("claim: Ten", "claim: Ten: [people"),
     f"{CLAIM}:2:11: error[yaml-syntax]: invalid YAML: mapping values are not allowed in this context",
     "the value holds ': ', which YAML reads as a new field: put the value in double quotes"),
    ("yaml-indent", claim_with("    quote: ten witnesses", "   quote: ten witnesses"),
     f"{CLAIM}:7:4: error[yaml-syntax]: invalid YAML: while parsing a block collection that starts on line 6, "
     "did not find expected '-' indicator", "check the indentation and quoting on this line or the one before"),
    ("yaml-tab", claim_with("  - source: almanac", "\t- source: almanac"),
     f"{CLAIM}:6:1: error[yaml-syntax]: invalid YAML: while scanning for the next token found character "
     "that cannot start any token", "indent with spaces, not tabs"),
    ("duplicate-key", claim_with("summary: The", "verdict: opinion\nsummary: The"),
     f"{CLAIM}:4:1: error[yaml-duplicate-key]: duplicate key 'verdict' (first defined on line 3)",
     "remove one of the two lines"),
    ("alias-bomb", {CLAIM: GOOD_CLAIM + "x: &a [1, 2]\ny: [*a, *a, *a]\n"},
     f"{CLAIM}:8:4: error[yaml-anchor]: YAML anchors (&a) are not allowed in content", "write the value out"),
    ("python-tag", claim_with("summary: The almanac counts ten.",
                              "summary: !!python/object/apply:os.system ['true']"),
     f"{CLAIM}:4:10: error[yaml-tag]: YAML tags (tag:yaml.org,2002:python/object/apply:os.system) are not "
     "allowed in content", "remove the tag"),
    ("two-documents", {CLAIM: GOOD_CLAIM + "---\nquote: more\n"},
     f"{CLAIM}:8:1: error[yaml-documents]: a content file holds one YAML document", "remove the `---`"),
    ("unknown-field", claim_with("verdict:", "verdit:"),
     f"{CLAIM}:3:1: error[unknown-field]: unknown field 'verdit' in a claim", "did you mean 'verdict'?"),
    ("missing-field", claim_with("summary: The almanac counts ten.\n", ""),
     f"{CLAIM}:1:1: error[missing-field]: a claim has no 'summary'", "add `summary:`"),
    ("wrong-type", {CLAIM: GOOD_CLAIM + "tags: {a: b}\n"},
     f"{CLAIM}:8:7: error[wrong-type]: 'tags' must be a list", "each item on its own line"),
    ("bidi-control", claim_with("counts ten.", "counts caf\u00e9 \u202dten\u202a."),  # the first one is named
     f"{CLAIM}:4:10: error[bidi-control]: 'summary' contains an invisible direction override (U+202D) that can "
     "make text display differently from what it says", "delete the invisible character"),
    ("unknown-verdict", claim_with("verdict: accurate", "verdict: acurate"),
     f"{CLAIM}:3:10: error[unknown-verdict]: unknown verdict 'acurate' in 'verdict'", "did you mean 'accurate'?"),
    ("unknown-source", claim_with("source: almanac", "source: almanack"),
     f"{CLAIM}:6:13: error[unknown-source]: there is no content/sources/almanack.yaml for source 'almanack'",
     "hint: did you mean 'almanac'? If not, start it with `site-builder new source URL --id almanack`\n"),
    ("missing-source-file", claim_with("source: almanac", "source: bbc-report"),
     f"{CLAIM}:6:13: error[unknown-source]: there is no content/sources/bbc-report.yaml for source 'bbc-report'",
     "hint: start it with `site-builder new source URL --id bbc-report`\n"),
    ("unknown-related", {CLAIM: GOOD_CLAIM + "related:\n  - sky-colour\n"},
     f"{CLAIM}:9:5: error[unknown-claim]: unknown claim 'sky-colour' in 'related'",
     "hint: there is no other claim yet: write it first, or remove this id\n"),
    ("related-not-own-id", {CLAIM: GOOD_CLAIM + "related: [ten-peopl]\n"},  # never "did you mean" itself
     f"{CLAIM}:8:11: error[unknown-claim]: unknown claim 'ten-peopl' in 'related'",
     "hint: there is no other claim yet: write it first, or remove this id\n"),
    ("impossible-date", {CLAIM: GOOD_CLAIM + "checked: 2016-02-30\n"},
     f"{CLAIM}:8:10: error[bad-date]: 'checked' is not a day of the calendar: '2016-02-30'",
     "hint: month 02 of 2016 has 29 days, not 30\n"),
    ("impossible-month", {CLAIM: GOOD_CLAIM + "checked: 2026-13-01\n"},
     f"{CLAIM}:8:10: error[bad-date]: 'checked' is not a day of the calendar: '2026-13-01'",
     "hint: the month is 13: write it from 01 to 12 (YYYY-MM-DD)\n"),
    ("verdict-capitals", claim_with("verdict: accurate", "verdict: Accurate"),
     f"{CLAIM}:3:10: error[bad-id]: 'verdict' is not a safe id: 'Accurate'",
     "hint: did you mean 'accurate'? ids are written in lowercase\n"),
    ("tags-without-brackets", {CLAIM: GOOD_CLAIM + "tags: sky, weather\n"},
     f"{CLAIM}:8:7: error[bad-id]: 'tag' is not a safe id: 'sky, weather'",
     "hint: to give several, write the list in brackets: [sky, weather]\n"),
    ("claim-yml", {CLAIM: None, CLAIM.replace(".yaml", ".yml"): GOOD_CLAIM},
     "content/articles/story/claims/ten-people.yml: error[wrong-extension]: ten-people.yml ends in .yml, so it is "
     "not read", "hint: rename it to ten-people.yaml\n"),
    ("date-format", {CLAIM: GOOD_CLAIM + "checked: 19/12/2016\n"},
     f"{CLAIM}:8:10: error[bad-date]: 'checked' is not a valid date: '19/12/2016'", "YYYY-MM-DD"),
    ("quote-not-found", claim_with("quote: Ten people saw it.", "quote: Ten persons saw it."),
     f"{CLAIM}:1:8: error[quote-not-found]: the quote is not in the article "
     "(content/articles/story/text.md)",
     'the closest passage (content/articles/story/text.md line 3) reads: "Ten people saw it."'),
    ("quote-ambiguous", claim_with("quote: Ten people saw it.", "quote: The sky was blue on Monday."),
     f"{CLAIM}:1:8: error[quote-ambiguous]: the quote appears 2 times in content/articles/story/text.md "
     "(lines 3, 5)", "add `occurrence: N`"),
    ("quote-occurrence", claim_with("quote: Ten people saw it.", "quote: Ten people saw it.\noccurrence: 2"),
     f"{CLAIM}:1:8: error[quote-occurrence]: occurrence 2 asked, but the quote appears 1 time(s)",
     "from 1 to 1"),
    ("quote-across-paragraphs", claim_with("quote: Ten people saw it.",
                                           "quote: Ten people saw it. The sky was blue"),
     f"{CLAIM}:1:8: error[quote-spans-blocks]: the quote runs across two paragraphs of "
     "content/articles/story/text.md (line 3)", "one quote per paragraph"),
    ("quote-inside-word", claim_with("quote: Ten people saw it.", "quote: en people"),
     f"{CLAIM}:1:8: error[quote-not-found]: the quote is not in the article (content/articles/story/text.md)",
     "closest passage"),
    ("javascript-url", {"content/sources/almanac.yaml": "title: T\npublisher: P\nurl: javascript:alert(1)\n"
                                                          "kind: reference\n"},
     "content/sources/almanac.yaml:3:6: error[unsafe-url]: 'url' is not an http(s) URL: 'javascript:alert(1)'",
     "https://"),
    ("markdown-link", {CLAIM: GOOD_CLAIM + "body: |\n  See [this](javascript:alert(1)).\n"},
     f"{CLAIM}:8:7: error[unsafe-link]: link to 'javascript:alert(1)' is not allowed", "https://"),
    ("bad-claim-file-name", {"content/articles/story/claims/Ten_People.yaml": GOOD_CLAIM, CLAIM: None},
     "content/articles/story/claims/Ten_People.yaml: error[bad-id]: the file name 'Ten_People' is not a safe "
     "claim id", "lowercase letters"),
    ("path-in-tag", {CLAIM: GOOD_CLAIM + "tags: [../../etc]\n"},
     f"{CLAIM}:8:8: error[bad-id]: 'tag' is not a safe id: '../../etc'", "lowercase letters"),
    ("duplicate-claim-id", {"content/articles/other/article.yaml": "title: O\npublisher: P\nsummary: S.\n",
                            "content/articles/other/text.md": "Ten people saw it.\n",
                            "content/articles/other/claims/ten-people.yaml": GOOD_CLAIM},
     "content/articles/story/claims/ten-people.yaml: error[duplicate-id]: claim id 'ten-people' is already used "
     "by content/articles/other/claims/ten-people.yaml", "unique across the site"),
    ("duplicate-verdict", site_with("  - {id: accurate, label: Accurate, description: Correct., rating: 5}\n"
                                    "  - {id: accurate, label: Right, description: Correct., rating: 5}\n"),
     "content/site.yaml:8:10: error[duplicate-id]: verdict id 'accurate' is already defined on line 7",
     "its own id"),
    ("rated-without-sources", claim_with("sources:\n  - source: almanac\n    quote: ten witnesses\n", ""),
     f"{CLAIM}:1:1: error[missing-sources]: verdict 'accurate' is rated, so the claim must cite sources",
     "add `sources:`"),
    ("bad-source-kind", {"content/sources/almanac.yaml": "title: T\npublisher: P\nurl: https://a.example/\n"
                                                           "kind: newsreport\n"},
     "content/sources/almanac.yaml:4:7: error[bad-choice]: 'kind' must be one of the listed values, not "
     "'newsreport'", "did you mean 'news-report'?"),
    ("rating-out-of-range", site_with("  - {id: accurate, label: Accurate, description: Correct., rating: 7}\n"),
     "content/site.yaml:7:68: error[bad-number]: 'rating' must be a whole number from 1 to 5, not '7'",
     "1 (worst) to 5 (best)"),
    ("bad-occurrence", claim_with("quote: Ten people saw it.", "quote: Ten people saw it.\noccurrence: twice"),
     f"{CLAIM}:2:13: error[bad-number]: 'occurrence' must be a whole number from 1 to 999999 or 'all', "
     "not 'twice'", "which match"),
    ("reserved-page", {"content/pages/claims.md": "---\ntitle: Claims\ndescription: D.\n---\nText.\n"},
     "content/pages/claims.md: error[reserved-slug]: the page name 'claims' is reserved for the site's own pages",
     "rename the file"),
    ("page-without-front-matter", {"content/pages/about.md": "# About\n\nText.\n"},
     "content/pages/about.md:1:1: error[missing-front-matter]: a page starts with front matter between two "
     "`---` lines", "add `---`"),
    ("page-field-line", {"content/pages/about.md": "---\ntitle: About\ndescripton: D.\n---\nText.\n"},
     "content/pages/about.md:3:1: error[unknown-field]: unknown field 'descripton' in the page's front matter",
     "did you mean 'description'?"),
    ("missing-text", {"content/articles/story/text.md": None},
     "content/articles/story/text.md: error[missing-file]: content/articles/story has no text.md",
     "article.yaml and text.md"),
    ("missing-site-yaml", {"content/site.yaml": None},
     "content/site.yaml: error[missing-file]: content/site.yaml is missing", "base_url"),
    ("empty-claim", {CLAIM: "\n"},
     f"{CLAIM}:1:1: error[empty-file]: a claim is empty", "expected fields"),
    ("not-a-mapping", {CLAIM: "- just\n- a list\n"},
     f"{CLAIM}:1:1: error[wrong-type]: a claim must be a mapping of `field: value` lines", "expected fields"),
    ("control-character", claim_with("summary: The almanac counts ten.", 'summary: "The almanac\\0counts ten."'),
     f"{CLAIM}:4:10: error[control-character]: 'summary' contains an invisible control character (U+0000)",
     "an escape such as \\0"),
    ("url-with-user", {"content/sources/almanac.yaml": "title: The Almanac\npublisher: Almanac Press\n"
                       "url: https://almanac.example@evil.example/sky\nkind: reference\n"},
     "content/sources/almanac.yaml:3:6: error[unsafe-url]: 'url' has a user name before '@' in its host: "
     "'https://almanac.example@evil.example/sky'", "shows one site and leads to another"),
    ("template-syntax", {"templates/claim.html": "{% extends 'base.html' %}\n{% block main %}\n{% if %}\n"
                                                   "{% endblock %}\n"},
     "templates/claim.html:3:1: error[template-error]: TemplateSyntaxError: Expected an expression, got "
     "'end of statement block' (while rendering /claims/ten-people/)", "fix the template"),
    ("template-runtime", {"templates/claim.html": "{% extends 'base.html' %}\n{% block main %}\n"
                                                    "<h1>{{ claim.claim + 1 }}</h1>\n{% endblock %}\n"},
     "templates/claim.html:3:1: error[template-error]: TypeError: can only concatenate str (not \"int\") to str "
     "(while rendering /claims/ten-people/)", "fix the template"),
    ("template-partial", {"templates/partials/oops.html": "<p>\n{{ claim.quote|length + claim.claim }}</p>\n",
                          "templates/claim.html": "{% extends 'base.html' %}\n"
                                                  "{% block main %}{% include 'partials/oops.html' %}{% endblock %}\n"},
     "templates/partials/oops.html:2:1: error[template-error]: TypeError: unsupported operand type(s) for +: 'int' "
     "and 'str' (while rendering /claims/ten-people/)", "fix the template"),
    ("require-archive", {"content/site.yaml": as_written(MINIMAL["content/site.yaml"])
                         + "sources: {require_archive: true}\n"},
     "content/sources/almanac.yaml:1:1: error[source-not-archived]: source 'almanac' has no archived copy "
     "(https://almanac.example/sky)", "run `site-builder sources archive` on a connected machine and commit archive/"),
    ("archive-flag", {"content/site.yaml": as_written(MINIMAL["content/site.yaml"])
                      + "sources: {require_archive: yes}\n"},
     "content/site.yaml:9:28: error[bad-choice]: 'require_archive' must be true or false, not 'yes'",
     "true: a source with no archived copy"),
    ("template-endless", {**site_with("  - {id: accurate, label: Accurate, description: Correct., rating: 5}\n"
                                      "  - {id: opinion, label: Opinion, description: Not rated.}\ntimeout: 1\n"),
                          "templates/partials/loop.html": "<p>\n{% for i in range(10 ** 15) %}{% endfor %}</p>\n",
                          "templates/claim.html": "{% extends 'base.html' %}\n"
                                                  "{% block main %}{% include 'partials/loop.html' %}{% endblock %}\n"},
     "templates/partials/loop.html:2:1: error[template-error]: RenderTimeout: the page took longer than 1 s to render "
     "(a loop that never ends?); the limit is `timeout` in content/site.yaml (while rendering /claims/ten-people/)",
     "fix the template"),
    ("yaml-alias", {CLAIM: GOOD_CLAIM + "x: *a\n"},
     f"{CLAIM}:8:4: error[yaml-alias]: YAML aliases (*a) are not allowed in content", "write the value out in full"),
    ("yaml-complex-key", {CLAIM: GOOD_CLAIM + "? [a, b]\n: c\n"},
     f"{CLAIM}:8:3: error[yaml-complex-key]: a mapping key must be a plain name", "write `name: value` pairs"),
    ("yaml-depth", {CLAIM: GOOD_CLAIM + "deep: " + "[" * 70 + "]" * 70 + "\n"},
     f"{CLAIM}:8:70: error[yaml-depth]: nesting deeper than 64 levels", "flatten the structure"),
    ("binary-file", claim_with("summary: The", "summary: \0The"),
     f"{CLAIM}:4:1: error[binary-file]: the file contains NUL bytes: it is not text",
     "remove it, or save it again as UTF-8 text"),
    ("file-too-large", {CLAIM: GOOD_CLAIM + "# " + "x" * (6 * 1024 * 1024) + "\n"},
     f"{CLAIM}: error[file-too-large]: file is 6.0 MiB; content files are limited to 5 MiB",
     "split it, or remove what does not belong"),
    ("not-a-file", {CLAIM: GONE, CLAIM + "|": PIPE},
     f"{CLAIM}: error[not-a-file]: this is a pipe, socket or device, not a file",
     "replace it with a text file, or remove it"),
    ("unsafe-path", {"content/sources/outside.yaml": Link("/etc/hostname")},
     "content/sources/outside.yaml: error[unsafe-path]: this link points outside the site folder",
     "replace the link with the file or folder itself"),
    ("no-content", {"content/": GONE},
     "content: error[no-content]: there is no content/ folder in {root}",
     "run the command in a site folder, or pass --root DIR"),
    ("empty-value", claim_with("summary: The almanac counts ten.", "summary:"),
     f"{CLAIM}:4:1: error[empty-value]: 'summary' is empty in a claim", "the finding in one or two sentences"),
    ("multi-line", {"content/articles/story/article.yaml": "title: |\n  A\n  story\npublisher: The Paper\n"
                                                          "summary: A short story.\n"},
     "content/articles/story/article.yaml:1:8: error[multi-line]: 'title' must fit on one line", "join the lines"),
    ("bad-language", {"content/site.yaml": as_written(MINIMAL["content/site.yaml"]).replace("language: en",
                                                                                           "language: English")},
     "content/site.yaml:3:11: error[bad-language]: 'language' is not a language code: 'English'",
     "write a code such as en, tr or ru"),
    ("related-self", {CLAIM: GOOD_CLAIM + "related: [ten-people]\n"},
     f"{CLAIM}:8:11: error[related-self]: a claim cannot be related to itself", "remove this id from `related`"),
    ("no-verdicts", {"content/site.yaml": SITE_HEADER.replace("verdicts:\n", "verdicts: []\n")},
     "content/site.yaml:6:11: error[no-verdicts]: the rating scale has no valid verdict",
     "list verdicts with id, label, description and rating"),
    ("front-matter", {"content/articles/story/text.md": "---\ntitle: A story\n---\n"
                      + as_written(MINIMAL["content/articles/story/text.md"])},
     "content/articles/story/text.md:1:1: error[front-matter]: text.md holds only the article's text, not front matter",
     "move these fields to article.yaml"),
    ("bad-version-name", {"content/articles/story/versions/monday.md": "Ten people saw it.\n"},
     "content/articles/story/versions/monday.md: error[bad-version-name]: a version is named by the date it was "
     "captured, not 'monday'", "rename it versions/YYYY-MM-DD.md"),
    ("unknown-version", {CLAIM: GOOD_CLAIM + "version: 2016-12-19\n"},
     f"{CLAIM}:8:10: error[unknown-version]: there is no version 2016-12-19 of this article (versions: none)",
     "add content/articles/story/versions/2016-12-19.md, or fix the date"),
    ("bad-timeout", site_with("  - {id: accurate, label: Accurate, description: Correct., rating: 5}\ntimeout: 0\n"),
     "content/site.yaml:8:10: error[bad-number]: 'timeout' must be a whole number from 1 to 3600, not '0'",
     "the seconds a page may take to render"),
    ("unknown-repeat", claim_with("summary: The", "repeat_of: nowhere\nsummary: The"),
     f"{CLAIM}:4:12: error[unknown-repeat]: 'repeat_of' names no other claim: 'nowhere'",
     "write the id (file name) of the earlier claim this one repeats"),
    ("repeat-same-article", {**claim_with("summary: The", "repeat_of: blue-sky\nsummary: The"), BLUE: BLUE_SKY},
     f"{CLAIM}:4:12: error[repeat-same-article]: 'blue-sky' is in the same article (story)",
     "list a claim of the same article under `related` instead"),
    ("repeat-of-repeat", {**claim_with("summary: The", "repeat_of: again\nsummary: The"), BLUE: BLUE_SKY, **OTHER},
     f"{CLAIM}:4:12: error[repeat-of-repeat]: 'again' is itself a repeat of 'blue-sky'",
     "point at the first check: `repeat_of: blue-sky`"),
    ("missing-checker", REVIEW_ON,
     f"{CLAIM}:1:1: error[missing-checker]: this claim has no 'checked_by': the site asks for review (site.yaml "
     "`review: {required: 1}`)", "add `checked_by:` with who checked it"),
    ("unreviewed", {**REVIEW_ON, **claim_with("summary: The", "checked_by: [Ann]\nreviewed_by: [Ann]\nsummary: The")},
     f"{CLAIM}:5:14: error[unreviewed]: this claim is reviewed only by its checkers: the site asks for 1 "
     "reviewer(s) other than its checkers (0 found)", "add `reviewed_by:` with a second editor's name"),
    ("static-collision", {"static/index.html": "<p>mine</p>\n"},
     "static/index.html: error[static-collision]: this file would replace /index.html, which the build writes itself",
     "rename or remove it"),
]


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
@pytest.mark.parametrize(("files", "expected", "hint"), [case[1:] for case in CASES], ids=[c[0] for c in CASES])
def test_broken_input_is_reported_and_previous_site_kept(make_site, capsys, files, expected, hint):
    root = make_site()
    assert main(["build", "--no-search", "--root", str(root)]) == 0
    before = _snapshot(root / "public")
    capsys.readouterr()

    change(root, files)
    assert main(["build", "--no-search", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    expected = expected.replace("{root}", str(root))
    shown = problem_block(err, expected)
    assert shown[1:-1] == excerpt(root, expected), err
    # a piece of the hint; one written "hint: ...\n" is the whole hint, from its start to the line's end
    assert shown[-1].startswith("  hint: ") and hint in shown[-1] + "\n", err
    assert "Traceback" not in err
    assert _snapshot(root / "public") == before


def change(root: Path, files: dict[str, str | None]) -> None:
    """Write each file (a `Link` as a link, `PIPE` as a pipe); None removes it (a path ending in /: the folder)."""
    import shutil
    for relative, text in files.items():
        path = root / relative
        if text is None:
            shutil.rmtree(path) if relative.endswith("/") else path.unlink()
            continue
        if text is PIPE:
            os.mkfifo(root / relative.removesuffix("|"))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, Link):
            path.symlink_to(text)
        else:
            path.write_text(text, encoding="utf-8")


# (case id, files to change, expected first line of the warning, a piece of its hint): the site still builds.
WARNING_CASES = [
    ("unexpected-file", {"content/sources/notes.txt": "to do\n"},
     "content/sources/notes.txt: warning[unexpected-file]: unexpected file: files in this folder end in .yaml",
     "rename or move it; files starting with '.' or ending in '~' are ignored"),
    ("unchecked-sentence", {},
     'content/articles/story/text.md:3:1: warning[unchecked-sentence]: sentence neither checked nor listed as '
     'unchecked: "The sky was blue on Monday."', "add it to `unchecked:` in article.yaml with a reason"),
    ("claim-too-long", claim_with("claim: Ten people saw the sky.", "claim: " + "Ten people saw the sky " * 4 + "."),
     f"{CLAIM}:2:8: warning[claim-too-long]: 'claim' has 93 characters; Google asks for fewer than 75 (ClaimReview "
     "claimReviewed)", "state the claim more briefly"),
    ("claimant-is-us", {CLAIM: GOOD_CLAIM + "claimant: Mini Desk\n"},
     f"{CLAIM}:1:1: warning[claimant-is-us]: the claimant is the site's own publisher; a ClaimReview needs who made "
     "the claim", "set `claimant:` to the person or outlet that made the claim"),
    ("placeholder-text", {"content/pages/about.md": "---\ntitle: About\ndescription: Us.\n---\n# Who we are\n\n"
                          "  TODO: who publishes the site.\n"},
     "content/pages/about.md:7:3: warning[placeholder-text]: this line is still a TODO left for the desk to write",
     "write it, or delete the line"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("files", "expected", "hint"), [case[1:] for case in WARNING_CASES],
                         ids=[c[0] for c in WARNING_CASES])
def test_a_warning_names_its_line_and_the_site_is_built(make_site, capsys, files, expected, hint):
    root = make_site()
    change(root, files)
    assert main(["build", "--no-search", "--root", str(root)]) == 0
    err = capsys.readouterr().err
    shown = problem_block(err, expected)
    assert shown[1:-1] == excerpt(root, expected), err
    assert shown[-1].startswith("  hint: ") and hint in shown[-1], err


# code -> the test that triggers it and asserts its whole message with `assert_problem` (first line, the line
# it names with a caret, the hint): those that need a process, a server, a lock or a disk, or another fixture.
EXACT_ELSEWHERE = {
    "not-utf8": "test_errors_table.py::test_not_utf8_names_the_line",
    "unreadable": "test_errors_table.py::test_a_file_the_system_refuses_to_read_is_named",
    "url-collision": "test_errors_table.py::test_two_pages_for_one_address_are_refused",
    "unsafe-output": "test_errors_table.py::test_an_output_folder_that_would_harm_the_site_is_refused",
    "write-failed": "test_errors_table.py::test_a_full_disk_keeps_the_previous_site_and_says_so",
    "output-busy": "test_errors_table.py::test_a_second_build_of_the_same_folder_is_refused",
    "foreign-output": "test_errors_table.py::test_a_file_the_build_did_not_write_is_removed_and_named",
    "process-died": "test_errors_table.py::test_a_build_process_that_dies_is_a_problem_not_a_traceback",
    "search-index": "test_errors_table.py::test_a_search_index_that_fails_is_named",
    "internal-error": "preview/test_serve.py::test_a_fault_of_ours_is_shown_in_the_browser_and_the_preview_recovers",
    "archive-index": "test_errors_table.py::test_a_broken_archive_index_is_named",
    "source-quote-unverified": "commands/test_sources_build.py::test_check_says_it_in_one_line_and_lists_with_verbose",
    "quote-orphaned": "test_errors_table.py::test_a_passage_checked_in_an_earlier_version_that_is_gone",
    "quote-moved-ambiguous": "test_errors_table.py::test_a_passage_checked_in_an_earlier_version_now_twice",
    "possible-repeat": "test_errors_table.py::test_the_desk_notes_name_their_line",
    "unknown-claimant": "test_errors_table.py::test_the_desk_notes_name_their_line",
    "cache-ignored": "test_errors_table.py::test_a_damaged_build_cache_is_named",
    "missing-folder": "test_errors_table.py::test_no_templates_and_no_theme_is_a_missing_folder",
    "schemas-stale": "content/test_schema.py::test_a_changed_scale_makes_check_and_build_name_the_schema_command",
}


def documented_codes() -> set[str]:
    """The codes of the table in docs/authoring.md section 8."""
    doc = (REPO / "docs/authoring.md").read_text(encoding="utf-8")
    table = doc[doc.index("## 8. Every error"):doc.index("## 9.")]
    return {code for line in table.splitlines() if line.startswith("| `")
            for code in re.findall(r"`([a-z0-9-]+)`", line.split("|")[1])}


def exact_tests_missing(code_tests: dict[str, str], tests_folder: Path) -> list[str]:
    """The entries whose test does not exist, or does not call `assert_problem` with a line of that code."""
    missing = []
    for code, where in sorted(code_tests.items()):
        path, name = where.split("::")
        source = (tests_folder / path).read_text(encoding="utf-8") if (tests_folder / path).is_file() else ""
        found = [node for node in ast.walk(ast.parse(source))
                 if isinstance(node, ast.FunctionDef) and node.name == name]
        body = (ast.get_source_segment(source, found[0]) or "") if found else ""
        if "assert_problem(" not in body or f"[{code}]: " not in body:
            missing.append(f"{code}: {where}")
    return missing


def test_every_documented_code_has_an_exact_message_case():
    """Each code of the docs' table is a case here (exact first line, caret excerpt, its own hint) or names the
    test that asserts the same with `assert_problem`: a code only asserted by name fails here."""
    here = {re.search(r"(?:error|warning)\[([a-z0-9-]+)\]", case[2]).group(1) for case in CASES + WARNING_CASES}
    assert sorted(documented_codes() - here - set(EXACT_ELSEWHERE)) == []
    assert exact_tests_missing(EXACT_ELSEWHERE, Path(__file__).parent) == []


def test_the_exact_message_rule_catches_a_test_that_checks_only_the_code(tmp_path):
    (tmp_path / "test_x.py").write_text("def test_code_only(err):\n    assert '[process-died]' in err\n"
                                        "def test_exact(err, root):\n    assert_problem(err, root, 'x: error[gone]: "
                                        "it went', 'hint')\n")
    assert exact_tests_missing({"process-died": "test_x.py::test_code_only", "gone": "test_x.py::test_exact",
                                "absent": "test_x.py::test_none", "other": "test_y.py::test_exact"}, tmp_path) == [
        "absent: test_x.py::test_none", "other: test_y.py::test_exact", "process-died: test_x.py::test_code_only"]


@pytest.mark.slow
def test_no_templates_and_no_theme_is_a_missing_folder(make_site, capsys, monkeypatch):
    """A site without templates/ is built with the packaged theme; only an install without one refuses it."""
    root = make_site()
    change(root, {"templates/": GONE})
    assert main(["check", "--root", str(root)]) == 0
    monkeypatch.setattr(sys.modules["site_builder.build"], "theme_root", lambda: None)  # not the function build
    capsys.readouterr()
    assert main(["check", "--root", str(root)]) == 1
    assert_problem(capsys.readouterr().err, root, f"templates: error[missing-folder]: there is no templates/ folder "
                   f"in {root}", "a site folder holds content/, templates/ and assets/")


def test_a_file_the_system_refuses_to_read_is_named(make_site, capsys, monkeypatch):
    """Permissions cannot refuse root (the tests may run as root), so the read itself is made to fail."""
    from site_builder.content import load
    root = make_site()
    real = load._read_bytes

    def refuse(path: str) -> bytes:
        if path.endswith("almanac.yaml"):
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(load, "_read_bytes", refuse)
    assert main(["check", "--root", str(root)]) == 1
    assert_problem(capsys.readouterr().err, root, "content/sources/almanac.yaml: error[unreadable]: cannot read the "
                   "file: Permission denied", None)


def test_two_pages_for_one_address_are_refused():
    """Ids are unique per kind and the kinds' URLs apart, so no content makes two; the plan's check is the guard."""
    from site_builder.output.plan import PageJob, check_urls
    problems = check_urls([PageJob("claims/a/", "claim.html", "claim", "a"), PageJob("claims/a/", "tag.html", "tag",
                                                                                       "a")])
    assert len(problems) == 1
    assert_problem(format_problem(problems[0]), Path("."), "claims/a/index.html: error[url-collision]: two pages "
                   "would be written to /claims/a/index.html: claim 'a' and tag 'a'", "rename one of them")


@pytest.mark.slow
def test_a_full_disk_keeps_the_previous_site_and_says_so(make_site, capsys, monkeypatch):
    import errno
    build_module = sys.modules["site_builder.build"]  # the module, not the function of the same name
    root = make_site()
    assert main(["build", "--no-search", "--root", str(root)]) == 0
    before = _snapshot(root / "public")

    def full(out, produce, spread=None):
        raise OSError(errno.ENOSPC, "No space left on device", str(out / "claims"))

    monkeypatch.setattr(build_module, "write_output", full)
    capsys.readouterr()
    assert main(["build", "--no-search", "--root", str(root)]) == 1
    assert_problem(capsys.readouterr().err, root, f"{root / 'public/claims'}: error[write-failed]: cannot write the "
                   "site: No space left on device", "check the disk space and permissions of the output folder")
    assert _snapshot(root / "public") == before


def test_at_least_25_distinct_cases():
    codes = {case[2].split("error[")[1].split("]")[0] for case in CASES}
    assert len(CASES) >= 25 and len(codes) >= 20


def test_not_utf8_names_the_line(make_site, capsys):
    root = make_site()
    (root / CLAIM).write_bytes(b"quote: Ten people saw it.\nclaim: caf\xe9\n")
    assert main(["check", "--root", str(root)]) == 1
    # the line as the editor would show it: the byte that is not UTF-8 as U+FFFD, with the caret under it
    assert_problem(capsys.readouterr().err, root, f"{CLAIM}:2:11: error[not-utf8]: the file is not UTF-8 text "
                   "(byte 0xe9)", "save the file as UTF-8 in your editor",
                   shown=["    2 | claim: caf\ufffd", "      |           ^"])


def test_a_template_not_in_utf8_is_named_with_its_line(make_site, capsys):
    root = make_site()
    (root / "templates/partials/oops.html").write_bytes(b"<p>\nCaf\xe9</p>\n")
    claim_template = root / "templates/claim.html"
    claim_template.write_text(claim_template.read_text().replace("{% block main %}",
                                                                 "{% block main %}{% include 'partials/oops.html' %}"))
    assert main(["build", "--no-search", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert ("templates/partials/oops.html:2:1: error[template-error]: TemplateSyntaxError: the file is not UTF-8 "
            "text (byte 7: invalid continuation byte); save it as UTF-8") in err
    assert "Traceback" not in err


@pytest.mark.slow
def test_a_missing_asset_is_named_with_the_template_line_that_wants_it(make_site, capsys):
    root = make_site()
    base_path = root / "templates/base.html"  # an asset neither the site nor the theme has
    base_path.write_text(base_path.read_text().replace("assets['style.css']", "assets['gone.css']"))
    assert main(["build", "--no-search", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    base = base_path.read_text().splitlines()
    line = next(number for number, text in enumerate(base, start=1) if "assets['gone.css']" in text)
    assert (f"templates/base.html:{line}:1: error[template-error]: TemplateRuntimeError: there is no "
            "assets/gone.css: add the file, or remove the reference to it") in err
    assert "Traceback" not in err


def test_a_broken_source_is_reported_once_not_again_by_each_claim_citing_it(make_site, capsys):
    broken = "title: T\npublisher: P\nurl: ftp://a.example/\nkind: reference\n"
    root = make_site({"content/sources/almanac.yaml": broken})
    assert main(["build", "--no-search", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if ": error[" in line] == [
        "content/sources/almanac.yaml:3:6: error[unsafe-url]: 'url' is not an http(s) URL: 'ftp://a.example/'"]


def test_a_broken_claim_is_reported_once_not_again_by_each_claim_relating_to_it(make_site, capsys):
    other = "content/articles/story/claims/blue-sky.yaml"
    root = make_site({CLAIM: GOOD_CLAIM + "related: [blue-sky]\n",
                      other: "quote: The sky was blue on Monday.\nclaim: [unclosed\n"})
    assert main(["build", "--no-search", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert [line.split(": error[")[0] for line in err.splitlines() if ": error[" in line] == [f"{other}:3:1"]


def test_every_problem_of_a_build_is_reported_at_once(make_site, capsys):
    root = make_site({
        CLAIM: GOOD_CLAIM.replace("verdict: accurate", "verdict: wrong").replace("source: almanac", "source: x"),
        "content/sources/almanac.yaml": "title: T\npublisher: P\nurl: ftp://a.example/\nkind: reference\n",
    })
    assert main(["build", "--no-search", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    codes = [line.split("error[")[1].split("]")[0] for line in err.splitlines() if ": error[" in line]
    assert sorted(codes) == ["unknown-source", "unknown-verdict", "unsafe-url"]
    assert "Found 3 error(s)" in err
    assert not (root / "public").exists()


@pytest.mark.parametrize(("out", "message", "hint"), [
    ("content", "the output folder would overwrite the site's own files",
     "choose a separate folder, e.g. --out public"),
    ("..", "the output folder contains the site itself",
     "choose a folder inside or beside the site, e.g. --out public"),
    ("notes.txt", "the output path is a file", "remove it or choose another path"),
    ("mine", "the output folder holds files that site-builder did not write", "empty it, or choose another folder"),
])
def test_an_output_folder_that_would_harm_the_site_is_refused(make_site, capsys, out, message, hint):
    root = make_site()
    (root / "notes.txt").write_text("keep\n")
    (root / "mine").mkdir()
    (root / "mine/thesis.md").write_text("keep\n")
    assert main(["build", "--no-search", "--root", str(root), "--out", str(root / out)]) == 1
    assert_problem(capsys.readouterr().err, root, f"{(root / out).resolve()}: error[unsafe-output]: {message}", hint)
    assert (root / "notes.txt").read_text() == "keep\n" and (root / "mine/thesis.md").read_text() == "keep\n"


def test_a_second_build_of_the_same_folder_is_refused(make_site, capsys):
    """Another build holds the lock beside the output (an flock, as `write_output` takes it)."""
    import fcntl
    root = make_site()
    held = os.open(root / ".public.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert main(["build", "--no-search", "--root", str(root)]) == 1
    finally:
        os.close(held)
    assert_problem(capsys.readouterr().err, root, f"{root / 'public'}: error[output-busy]: another build is writing "
                   "this output folder right now", "wait for it to finish and build again, or build into another "
                   "folder with --out")
    assert not (root / "public").exists()


def test_a_file_the_build_did_not_write_is_removed_and_named(make_site, capsys):
    root = make_site()
    assert main(["build", "--no-search", "--root", str(root)]) == 0
    (root / "public/CNAME").write_text("checks.example\n")
    capsys.readouterr()
    assert main(["build", "--no-search", "--root", str(root)]) == 0
    assert_problem(capsys.readouterr().err, root, "public/CNAME: warning[foreign-output]: removed CNAME: site-builder "
                   "did not write it", "the output folder is the builder's, replaced whole by every build: put files "
                   "to publish as they are (a CNAME, downloads) in static/, or in assets/")


def test_a_build_process_that_dies_is_a_problem_not_a_traceback(make_site, capsys, monkeypatch):
    """A step of the build run in a forked process that is killed (as the out-of-memory killer would)."""
    from site_builder.parallel.forked import in_fork
    root = make_site()
    monkeypatch.setattr(sys.modules["site_builder.build"], "possible_repeats", lambda graph: in_fork(
        lambda: os._exit(9))())
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert_problem(err, root, "site-builder: error[process-died]: a build process ended before its work was done "
                   "(killed, or out of memory?)", "build again; if it happens again, free some memory first")
    assert "Traceback" not in err


@pytest.mark.slow
@pytest.mark.parametrize(("pagefind", "message", "hint"), [
    ("print('Error: the disk quota is exceeded', file=sys.stderr)\nsys.exit(1)\n",
     "cannot build the search index: Error: the disk quota is exceeded",
     "install it with `pip install 'pagefind[bin]'`, or build with --no-search"),
    ("print('Error: No space left on device (os error 28)', file=sys.stderr)\n",  # and exit 0, as Pagefind did
     "the search index is incomplete: Error: No space left on device (os error 28)",
     "check the disk space of the output folder; the previous site is intact"),
])
def test_a_search_index_that_fails_is_named(make_site, capsys, monkeypatch, tmp_path, pagefind, message, hint):
    root = make_site()
    fake = tmp_path / "fake" / "pagefind"  # found by `python -m pagefind` before the real one
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "__main__.py").write_text("import sys\n" + pagefind)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(fake.parent), os.environ.get("PYTHONPATH", "")]))
    assert main(["build", "--root", str(root)]) == 1
    assert_problem(capsys.readouterr().err, root, f"pagefind: error[search-index]: {message}", hint)


def test_a_broken_archive_index_is_named(make_site, capsys):
    root = make_site()
    (root / "archive").mkdir()
    (root / "archive/index.json").write_text("{not json")
    assert main(["check", "--root", str(root)]) == 1
    assert_problem(capsys.readouterr().err, root, "archive/index.json: error[archive-index]: cannot read the archive "
                   "index: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
                   "restore archive/index.json from git, or run `site-builder sources archive --refresh` to write it "
                   "again")


VERSIONED = "content/articles/report/claims/"


def versioned_claim(root: Path, name: str, quote: str) -> None:
    (root / VERSIONED / f"{name}.yaml").write_text(
        f'quote: "{quote}"\nclaim: C.\nverdict: opinion\nsummary: S.\nversion: 2024-05-01\n')


def test_a_passage_checked_in_an_earlier_version_that_is_gone(tmp_path, capsys):
    """tests/sites/versions: a passage of the version checked that has nothing like it now, and one that now runs
    across two paragraphs."""
    root = copy_site(SITES / "versions", tmp_path / "versions")
    version = root / "content/articles/report/versions/2024-05-01.md"
    version.write_text(version.read_text() + "\nZebras quietly crossed the frozen lake at dawn.\n")
    versioned_claim(root, "zebras", "Zebras quietly crossed the frozen lake at dawn.")
    versioned_claim(root, "split", "Tuesday night to approve the bridge")
    text = root / "content/articles/report/text.md"
    text.write_text(text.read_text().replace("on Tuesday night to approve", "on Tuesday night\n\nto approve"))
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert_problem(err, root, f"{VERSIONED}zebras.yaml:1:8: error[quote-orphaned]: the passage checked in version "
                   "2024-05-01 is no longer in the article (content/articles/report/text.md); closest: nothing similar",
                   "re-check the passage against the current text, then remove `version`")
    assert_problem(err, root, f"{VERSIONED}split.yaml:1:8: error[quote-orphaned]: the passage checked in version "
                   "2024-05-01 now runs across paragraphs", "re-check the passage against the current text")


def test_a_passage_checked_in_an_earlier_version_now_twice(tmp_path, capsys):
    """The version's last sentence is now there twice on line 9: both exact, told apart by nothing (the same
    context score), so both places are named."""
    root = copy_site(SITES / "versions", tmp_path / "versions")
    versioned_claim(root, "long-meeting", "It was a long meeting.")
    assert main(["check", "--root", str(root)]) == 1
    twice = '"It was a long meeting."'
    assert_problem(capsys.readouterr().err, root, f"{VERSIONED}long-meeting.yaml:1:8: error[quote-moved-ambiguous]: "
                   "the passage checked in version 2024-05-01 could now be in more than one place: line 9 (score "
                   f"0.53): {twice}; line 9 (score 0.53): {twice}",
                   "quote more words, or re-check against the current text")


def test_the_desk_notes_name_their_line(tmp_path, capsys):
    """deskkit's site: a claimant with no file (a near one exists) and a sentence that repeats a claim checked in
    the other article."""
    root = make_desk_site(tmp_path, {"content/claimants/bob-stones.yaml": "name: Bob Stones\n"})
    assert main(["check", "--root", str(root)]) == 0
    err = capsys.readouterr().err
    assert_problem(err, root, "content/articles/first/claims/rain.yaml:3:11: warning[unknown-claimant]: claimant "
                   "'Bob Stone' has no file in content/claimants/", "did you mean 'bob-stones'? Write `claimant: "
                   "bob-stones`, or create content/claimants/bob-stone.yaml with `name: Bob Stone` and a sourced "
                   "description")
    assert_problem(err, root, "content/articles/second/text.md:3:1: info[possible-repeat]: this sentence closely "
                   "matches claim 'bridge-cars' (content/articles/first/claims/bridge-cars.yaml), checked in another "
                   "article", "check it with `repeat_of: bridge-cars`, or list it under `unchecked:`")


@pytest.mark.slow
def test_a_damaged_build_cache_is_named(make_site, capsys):
    root = make_site()
    assert main(["build", "--no-search", "--root", str(root)]) == 0
    (root / ".site-builder-cache/pages.json").write_bytes(b"\x00{not json")
    capsys.readouterr()
    assert main(["build", "--no-search", "--root", str(root)]) == 0
    assert_problem(capsys.readouterr().err, root, ".site-builder-cache: warning[cache-ignored]: the build cache was "
                   "not used: pages.json is damaged (not JSON)", "nothing to do: the pages were built afresh and the "
                   "cache rewritten (`site-builder cache clear` empties it)")
