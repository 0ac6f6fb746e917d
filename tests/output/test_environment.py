"""The template environment: text-fragment links, list runs remembered only for `serve`, escaping."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import jinja2
import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.build import compile_site
from site_builder.output.assets import fingerprint_assets
from site_builder.output.environment import (
    SiteEnvironment,
    escaped,
    human_date,
    make_environment,
    percent_encoded,
    text_fragment,
)
from site_builder.output.plan import plan
from site_builder.output.render import render_job


def test_text_fragment_links_a_short_passage_whole_and_a_long_one_by_its_ends():
    assert text_fragment("https://a.example/page#top", "Twelve  crews -\nsix hours") == \
        "https://a.example/page#:~:text=Twelve%20crews%20%2D%20six%20hours"
    long = " ".join(f"word{n}" for n in range(30))
    assert text_fragment("https://a.example/", long).endswith(
        "#:~:text=word0%20word1%20word2%20word3%20word4,word25%20word26%20word27%20word28%20word29")


@pytest.mark.slow
@given(st.text())
def test_percent_encoding_is_the_standard_librarys_with_hyphens_encoded(text):
    assert percent_encoded(text) == quote(text, safe="").replace("-", "%2D")


def test_dates_read_in_english_whatever_the_locale():
    assert [human_date(date(2016, month, 19)).split()[1] for month in (1, 12)] == ["January", "December"]
    assert human_date(date(2016, 12, 9)) == "9 December 2016" and human_date(None) == ""


def render_lists(root, remember: bool) -> tuple[dict[str, bytes], SiteEnvironment]:
    graph = compile_site(root, drafts=True).graph
    env = make_environment(root / "templates", remember=remember)
    assets, _ = fingerprint_assets(root / "assets", [])
    lists = ("claims", "verdict", "tag", "home", "sources")
    return {job.url: render_job(env, graph, job, assets)[0] for job in plan(graph) if job.kind in lists}, env


def test_a_build_remembers_no_list_runs_and_serve_gives_the_same_pages(basic_site):
    built, env = render_lists(basic_site, remember=False)
    assert env.remembered_runs.entries == {}
    remembered, env = render_lists(basic_site, remember=True)
    assert remembered == built
    assert env.remembered_runs.entries  # serve's environment keeps them for the next save
    assert make_environment(basic_site / "templates", remember=True).remembered_runs.entries == {}  # a new one: afresh


class _Html:
    def __html__(self) -> str:
        return "<b>safe</b>"


@pytest.mark.parametrize("value", ["a <b> & 'c' \"d\"", "", markupsafe.Markup("<i>&amp;</i>"), 5, 2.5, None, _Html(),
                                   date(2016, 12, 19), ["<x>"]])
def test_output_is_escaped_exactly_as_markupsafe_escapes_it(value):
    assert escaped(value) == str(markupsafe.escape(value)) and type(escaped(value)) is str


def test_templates_write_their_values_through_escaped_and_a_missing_name_still_fails(tmp_path):
    (tmp_path / "page.html").write_text("{{ a }}|{{ b|safe }}|{{ c }}", encoding="utf-8")
    (tmp_path / "robots.txt").write_text("{{ a }}", encoding="utf-8")
    env = make_environment(tmp_path)
    source = env.loader.get_source(env, "page.html")[0]
    assert "_escaped(" in env.compile(source, raw=True)
    assert env.get_template("page.html").render(a="<o'brien>", b="<b>", c=3) == "&lt;o&#39;brien&gt;|<b>|3"
    assert env.get_template("robots.txt").render(a="o'brien") == "o'brien"  # plain text: not escaped
    with pytest.raises(jinja2.UndefinedError):
        env.get_template("page.html").render(a=1, b=2)
    assert type(env.get_template("page.html").globals) is dict and "url" in env.get_template("page.html").globals


def test_a_plain_helper_is_called_directly_and_one_that_takes_the_context_still_gets_it(tmp_path):
    (tmp_path / "page.html").write_text('{{ url("claim", key) }}|{% for k in [key] %}{{ url("tag", k) }}{% endfor %}'
                                        '|{{ claim_list([key]) }}', encoding="utf-8")
    (tmp_path / "macro.html").write_text('{% macro url(kind, key) %}{{ kind }}:{{ key }}{% endmacro %}'
                                         '{{ url("claim", "x") }}', encoding="utf-8")
    env = make_environment(tmp_path)
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "claim_list.html").write_text("{{ root }}list", encoding="utf-8")
    code = env.compile(env.loader.get_source(env, "page.html")[0], raw=True)
    assert code.count("context.call(") == 1  # claim_list, which takes the context; url twice without
    assert env.get_template("page.html").render(key="x", graph=None, root="../") == "claims/x/|tags/x/|../list"
    assert env.get_template("macro.html").render() == "claim:x"  # a macro of the same name is called
