"""The Jinja environment pages are rendered in: its filters, and the helpers that render lists.

Author text reaches a page only through autoescaped expressions, and author Markdown
only through the `markdown` filter (raw HTML escaped, unsafe links refused and
reported). The list helpers render long lists (every claim, a verdict's claims, the
articles, the sources) in runs that `serve` remembers from one save to the next.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, MutableMapping
from datetime import date
from functools import partial
from itertools import chain
from pathlib import Path
from types import FunctionType
from typing import Any

import jinja2
import markupsafe
from jinja2.compiler import CodeGenerator, Frame
from markupsafe import Markup

from ..errors import Problem
from ..link import Graph
from ..memo import IdentityMemo, ValueMemo
from ..model import Markdown
from ..safety import leaves_site
from .markdown import MarkdownRenderer
from .spellings import FOLDED, with_ascii_spellings
from .urls import url

__all__ = ["make_environment", "SiteEnvironment", "human_date", "text_fragment", "HELPER_TEMPLATES", "LISTS"]


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


# markupsafe's escaping itself, without the Markup it wraps the result in (a Python-level __new__).
_escape_inner: Callable[[str], str] = getattr(markupsafe, "_escape_inner", lambda text: str(markupsafe.escape(text)))


def escaped(value: Any) -> str:
    """`markupsafe.escape(value)` as a plain str: what a template writes for each `{{ value }}`.

    The page is joined into one str straight away, so the Markup that `escape` returns is never
    seen; making it was a tenth of a cold build's CPU (20.5k pages).
    """
    if type(value) is str:
        return _escape_inner(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return _escape_inner(str(value))


class _EscapedOutput(CodeGenerator):
    """Jinja's code, with each `{{ value }}` of an autoescaped template written through `escaped`."""

    def visit_Template(self, node: jinja2.nodes.Template, frame: Frame | None = None) -> None:
        self.writeline(f"from {__name__} import escaped as _escaped")
        super().visit_Template(node, frame)

    def visit_Call(self, node: jinja2.nodes.Call, frame: Frame, forward_caller: bool = False) -> None:
        """`url("claim", id)` as a plain call: Jinja's `context.call` first asks each callee whether it takes
        the context, which cost more than url() itself (a claim page makes 25 such calls)."""
        name = node.node.name if isinstance(node.node, jinja2.nodes.Name) else None
        plain = self.environment.globals.get(name) if name is not None else None
        if (not isinstance(plain, FunctionType) or hasattr(plain, "jinja_pass_arg") or forward_caller
                or node.kwargs or node.dyn_args or node.dyn_kwargs or self.environment.is_async):
            super().visit_Call(node, frame, forward_caller=forward_caller)
            return
        self.visit(node.node, frame)
        self.write("(")
        for number, argument in enumerate(node.args):
            self.write(", " if number else "")
            self.visit(argument, frame)
        self.write(")")

    def _output_child_pre(self, node: jinja2.nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.volatile:
            self.write("(_escaped if context.eval_ctx.autoescape else str)(")
        elif frame.eval_ctx.autoescape:
            self.write("_escaped(")
        else:
            self.write("str(")
        if finalize.src is not None:
            self.write(finalize.src)


class SiteEnvironment(jinja2.Environment):
    """The templates' environment, with what it remembers on it: a new one (a template edit in `serve`)
    starts afresh. List items and runs are remembered by the model objects they show; `unsafe_links`
    holds what the page being rendered refused in its Markdown."""

    code_generator_class = _EscapedOutput
    remembered_items: IdentityMemo[Markup]
    remembered_runs: IdentityMemo[Markup]
    unsafe_links: list[Problem]

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as one dict, not Jinja's ChainMap over the environment's: every page,
        include and list item copies them into a new context, and a ChainMap copies in Python (3% of a
        cold build). The globals are all set before the first template loads (make_environment)."""
        return {**self.globals, **(d or {})}


def make_environment(templates: Path | list[Path], remember: bool = False,
                     bytecode_cache: jinja2.BytecodeCache | None = None, cards: bool = False) -> SiteEnvironment:
    """The templates' environment; `serve`'s remembers rendered Markdown and list runs from one save to the next.

    A build renders each body and list once: remembering them would only hold memory. Pages name
    their share card (og:image) only when `cards` says the build writes them (not `--no-cards`,
    not `serve`, which draws none).
    """
    env = SiteEnvironment(
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
        cache_size=-1,  # a dict: Jinja's LRU cache moves each template in a deque on every lookup
    )
    env.filters["human_date"] = human_date
    env.filters["text_fragment"] = text_fragment
    env.filters["with_ascii_spellings"] = with_ascii_spellings
    env.globals["search_folding"] = FOLDED
    env.extend(remembered_items=IdentityMemo(1 << 19), remembered_runs=IdentityMemo(1 << 18), unsafe_links=[])
    # `serve`'s environment renders each body once (a new one, after a template edit, afresh).
    markdown = _remembered(MarkdownRenderer(), ValueMemo(65536)) if remember else MarkdownRenderer()
    env.filters["markdown"] = partial(_markdown_filter, markdown,
                                      env.unsafe_links)
    env.globals["claim_item"] = _claim_item
    env.globals["url"] = url  # every page's URL, as output/urls.py makes them
    env.globals["share_cards"] = cards
    env.globals.update((name, _list_helper(name, remember)) for name in LISTS)
    return env


class _TextLoader(jinja2.FileSystemLoader):
    """Templates read as UTF-8 from inside the site: a file that is not UTF-8 is a problem naming it and
    its line, not a crash; one whose links lead outside the site (or round in a loop) is never read."""

    def __init__(self, folders: list[str]):  # the site's templates/, then the theme's (`output/theme.py`)
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


@jinja2.pass_context
def _claim_item(context: Any, claim_id: str) -> Markup:
    """One claim as a list item, rendered once per claim however many lists show it.

    Verdict, tag and source pages list tens of thousands of claims between them on a large
    site; rendering each item once is what keeps those lists cheap. The item is remembered by
    the claim and its verdict themselves (as validation keeps them from one `serve` rebuild to
    the next), so an edit of any field the partial shows makes it again: the partial must show
    nothing but the claim and its verdict.
    """
    env, graph, root = context.environment, context["graph"], context["root"]
    claim = graph.claims[claim_id]
    make = partial(_render_item, env, graph, root, claim_id)
    return env.remembered_items.get((claim, graph.verdicts[claim.verdict]), make, (claim_id, root))


def _render_item(env: jinja2.Environment, graph: Graph, root: str, claim_id: str) -> Markup:
    template = env.get_template("partials/claim_item.html")
    return Markup(template.render(graph=graph, root=root, claim_id=claim_id).strip())


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
            runs.append(env.remembered_runs.get(shown, make, (name, root)))
        return Markup("".join(runs))
    return helper


def _remembered(render: MarkdownRenderer, memo: ValueMemo) -> Callable[[str, int], tuple[str, tuple[str, ...]]]:
    return lambda text, heading_shift: memo.get((text, heading_shift), partial(render, text, heading_shift))


def _markdown_filter(render: Callable[[str, int], tuple[str, tuple[str, ...]]], unsafe_links: list[Problem],
                     value: Markdown | None) -> Markup:
    """Markdown as HTML; each link it refused goes to `unsafe_links`, which the page's renderer empties."""
    if value is None:
        return Markup("")
    html, refused = render(value.text, value.heading_shift)
    for link in refused:
        unsafe_links.append(Problem(value.origin, "unsafe-link", f"link to '{link}' is not allowed",
                                    "links must be https://, http://, mailto: or relative"))
    return Markup(html)
