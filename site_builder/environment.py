"""The Jinja environment pages are rendered in: its filters, and the helpers that render lists.

Author text reaches a page only through autoescaped expressions, and author Markdown
only through the `markdown` filter (raw HTML escaped, unsafe links refused and
reported). The list helpers render long lists (every claim, a verdict's claims, the
articles, the sources) in runs that `serve` remembers from one save to the next.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .errors import Problem
from .link import Graph
from .markdown import remembered_markdown, render_markdown
from .memo import IdentityMemo
from .model import Markdown
from .safety import leaves_site
from .spellings import FOLDED, with_ascii_spellings

__all__ = ["make_environment", "human_date", "text_fragment", "HELPER_TEMPLATES", "LISTS", "SINK"]


_MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def human_date(value: date | None) -> str:
    """'19 December 2016', whatever the build machine's locale (strftime's %B follows it)."""
    return f"{value.day} {_MONTHS[value.month]} {value.year}" if value else ""


# Every byte to itself or to %XX, as `urllib.parse.quote(text, safe="")` does, in one C call instead of a
# Python call per byte (a claim page links two or three passages: 18 of its 310 us went here).
# Hyphens are encoded too: in a text fragment they separate the prefix and suffix.
_PERCENT = {byte: chr(byte) if chr(byte).isascii() and (chr(byte).isalnum() or chr(byte) in "_.~")
            else f"%{byte:02X}" for byte in range(256)}


def percent_encoded(text: str) -> str:
    return text.encode("utf-8").decode("latin-1").translate(_PERCENT)


def text_fragment(url: str, passage: str) -> str:
    """A link to the passage inside the source page (Text Fragments: `#:~:text=`)."""
    words = passage.split()
    joined = " ".join(words)
    if len(joined) > 80:  # long passages: link start and end, as browsers match `start,end`
        fragment = percent_encoded(" ".join(words[:5])) + "," + percent_encoded(" ".join(words[-5:]))
    else:
        fragment = percent_encoded(joined)
    base = url.split("#", 1)[0]
    return f"{base}#:~:text={fragment}"


def make_environment(templates: Path | list[Path], remember: bool = False,
                     bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """The templates' environment; `serve`'s remembers rendered Markdown and list runs from one save to the next.

    A build renders each body and list once: remembering them would only hold memory.
    """
    env = jinja2.Environment(
        bytecode_cache=bytecode_cache,  # the templates compiled ahead (`precompile`)
        loader=_TextLoader([str(folder) for folder in (templates if isinstance(templates, list) else [templates])]),
        # Every template is HTML-escaped, whatever its name (author text is never a template), but
        # plain text: robots.txt would show o'brien as o&#39;brien. What reaches a .txt template is a
        # validated URL or id, which holds no white space or control character.
        autoescape=lambda name: not (name or "").endswith(".txt"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["human_date"] = human_date
    env.filters["text_fragment"] = text_fragment
    env.filters["with_ascii_spellings"] = with_ascii_spellings
    env.globals["search_folding"] = FOLDED
    env.filters["markdown"] = partial(_markdown_filter, remembered_markdown if remember else render_markdown)
    env.globals["claim_item"] = _claim_item
    env.globals.update((name, _list_helper(name, remember)) for name in LISTS)
    return env


class _TextLoader(jinja2.FileSystemLoader):
    """Templates read as UTF-8 from inside the site: a file that is not UTF-8 is a problem naming it and
    its line, not a crash; one whose links lead outside the site (or round in a loop) is never read."""

    def __init__(self, folders: list[str]):  # the site's templates/, then the theme's (`theme`)
        super().__init__(folders)
        self.site = os.path.realpath(os.path.dirname(os.path.abspath(folders[0])))

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = os.path.join(str(self.searchpath[0]), *template.split("/"))
        if leaves_site(path, self.site) is not None:
            raise jinja2.TemplateNotFound(template, f"templates/{template} is a link that leads outside the site "
                                                    "folder, or round in a loop: replace it with the file itself")
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as error:
            line = error.object[:error.start].count(b"\n") + 1
            raise jinja2.TemplateSyntaxError(f"the file is not UTF-8 text (byte {error.start}: {error.reason}); "
                                             "save it as UTF-8", line, template) from None


_ITEMS: dict[tuple, Markup] = {}
_MADE_WITH: list[jinja2.Environment] = []  # the environment the remembered items and runs were made with


def _made_with(env: jinja2.Environment) -> None:
    """Forget the items and runs another environment made: a template edit makes a new one."""
    if _MADE_WITH[:1] != [env]:
        _ITEMS.clear()
        _RUNS.clear()
        _MADE_WITH[:] = [env]


@jinja2.pass_context
def _claim_item(context: Any, claim_id: str) -> Markup:
    """One claim as a list item, rendered once per (claim, depth) however many lists show it.

    Verdict, tag and source pages list tens of thousands of claims between them on a large
    site; rendering each item once is what keeps those lists cheap.
    """
    env, graph, root = context.environment, context["graph"], context["root"]
    _made_with(env)
    if len(_ITEMS) > 500_000:
        _ITEMS.clear()
    claim = graph.claims[claim_id]
    verdict = graph.verdicts[claim.verdict]
    # Everything the partial shows: the same key across `serve`'s rebuilds while the claim is unchanged.
    key = (claim_id, claim.claim, claim.status, verdict.label, verdict.rating, root)
    item = _ITEMS.get(key)
    if item is None:
        template = env.get_template("partials/claim_item.html")
        item = _ITEMS[key] = Markup(template.render(graph=graph, root=root, claim_id=claim_id).strip())
    return item


# The lists with one item per claim, article or source, as helper -> (the partial it renders, the model
# objects a run of items shows): a partial must show nothing else, as its runs are remembered by them.
LISTS: dict[str, tuple[str, Callable[[Graph, list[str]], Iterable[Any]]]] = {
    "claim_list": ("partials/claim_list.html", lambda graph, run: map(graph.claims.__getitem__, run)),
    "article_list": ("partials/article_list.html", lambda graph, run: (
        *map(graph.articles.__getitem__, run), *map(graph.by_article.__getitem__, run),
        *map(graph.tally.__getitem__, run))),
    "article_claims": ("partials/article_claims.html", lambda graph, run: (
        *map(graph.articles.__getitem__, run),
        *chain.from_iterable(map(graph.claims.__getitem__, graph.by_article[slug]) for slug in run))),
    "source_list": ("partials/source_list.html", lambda graph, run: (
        *map(graph.sources.__getitem__, run), *map(graph.by_source.__getitem__, run))),
}
# Templates that call a helper depend on the partial the helper renders (for `serve`'s dependency tracking).
HELPER_TEMPLATES = {"claim_item(": "partials/claim_item.html",
                    **{f"{name}(": partial_name for name, (partial_name, _) in LISTS.items()}}
_RUNS: IdentityMemo[Markup] = IdentityMemo(1 << 18)  # a run of every list of a 54k-page site
RUN = 64  # items per remembered run of a list


def _list_helper(name: str, remember: bool) -> Callable[..., Markup]:
    partial_name, shows = LISTS[name]

    @jinja2.pass_context
    def helper(context: Any, keys: Iterable[str]) -> Markup:
        """The items of a list, made in runs of `RUN` remembered by the model objects they show.

        After an edit, `serve` makes again one run of each long list the edit is in (all
        claims, a verdict's claims, the articles) instead of the whole list.
        """
        env, graph, root = context.environment, context["graph"], context["root"]
        _made_with(env)
        template = env.get_template(partial_name)
        keys = list(keys)
        runs = []
        for start in range(0, len(keys), RUN):
            run = keys[start:start + RUN]
            make = partial(template.render, graph=graph, root=root, items=run)
            if not remember:  # a build makes each run once
                runs.append(make())
                continue
            shown = (graph.site.config, *shows(graph, run))
            runs.append(_RUNS.get(shown, make, (name, root)))
        return Markup("".join(runs))
    return helper


SINK: list[Problem] = []  # what the page being rendered found wrong (unsafe links in its Markdown)


def _markdown_filter(render: Callable[[str, int], tuple[str, tuple[str, ...]]], value: Markdown | None) -> Markup:
    if value is None:
        return Markup("")
    html, refused = render(value.text, value.heading_shift)
    for url in refused:
        SINK.append(Problem(value.origin, "unsafe-link", f"link to '{url}' is not allowed",
                             "links must be https://, http://, mailto: or relative"))
    return Markup(html)
