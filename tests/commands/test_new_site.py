"""`new site`, the packaged theme a site overrides file by file, `theme copy`, and chosen ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from site_builder.commands.cli import main
from site_builder.content.schema import schemas
from site_builder.output.theme import theme_root

STORY = "Ten people saw it. The mayor, who spoke first, said the council would meet again on Monday.\n"


def new_site(tmp_path: Path, capsys, name: str = "x") -> Path:
    assert main(["new", "--root", str(tmp_path), "site", name, "--title", "Desk & Co", "--language", "fr"]) == 0
    capsys.readouterr()
    return tmp_path / name


def test_new_site_builds_with_only_content_and_the_packaged_theme(tmp_path, capsys):
    root = new_site(tmp_path, capsys)
    assert not (root / "templates").exists() and not (root / "assets").exists()
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) == [
        ".gitignore", ".vscode/settings.json", "content/pages/about.md", "content/pages/corrections.md",
        "content/pages/methodology.md", "content/site.yaml", "netlify.toml", "schemas/article.schema.json",
        "schemas/claim.schema.json", "schemas/claimant.schema.json", "schemas/page.schema.json",
        "schemas/person.schema.json", "schemas/site.schema.json",
        "schemas/source.schema.json"]
    config = yaml.safe_load((root / "content/site.yaml").read_text())
    assert config["title"] == "Desk & Co" and config["language"] == "fr"
    verdicts = [v["id"] for v in config["verdicts"]]
    assert (root / "schemas/claim.schema.json").read_text() == schemas(verdicts)["claim.schema.json"]
    assert json.loads((root / ".vscode/settings.json").read_text())["yaml.schemas"][
        "./schemas/claim.schema.json"] == "content/articles/*/claims/*.yaml"
    assert {"public/", ".site-builder-cache/"} <= set((root / ".gitignore").read_text().splitlines())
    assert main(["build", "--root", str(root), "--no-search"]) == 0
    assert "Built 18 pages" in capsys.readouterr().out  # with the claimants index (issue 21)
    assert "Desk &amp; Co" in (root / "public/about/index.html").read_text()
    assert list((root / "public/assets").glob("style.*.css"))


@pytest.mark.slow
def test_a_site_left_at_the_placeholder_address_and_todo_text_says_so_on_every_build(tmp_path, capsys):
    assert main(["new", "--root", str(tmp_path), "site", "x"]) == 0
    assert capsys.readouterr().out.splitlines()[-2] == (
        "base_url is https://example.org/ for now: set it in content/site.yaml to the site's address")
    assert main(["build", "--root", str(tmp_path / "x"), "--no-search", "--no-cards"]) == 0
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if ": warning[" in line]
    assert warnings[0] == ("content/site.yaml:8:11: warning[placeholder-text]: base_url is still https://example.org/, "
                           "which `new site` wrote: shared links, the feed and the sitemap would point there")
    assert [line.split(":")[0] for line in warnings[1:]] == ["content/pages/about.md", "content/pages/about.md",
                                                              "content/pages/corrections.md",
                                                              "content/pages/methodology.md"]
    assert "\n... and 1 more placeholder-text warning in 1 file: add `--verbose`\n" in err  # six in all
    given = new_site(tmp_path, capsys, "y")  # --title only: the address is still the placeholder
    config = (given / "content/site.yaml").read_text().replace("https://example.org/", "https://desk.example/")
    (given / "content/site.yaml").write_text(config)
    assert main(["check", "--root", str(given)]) == 0
    assert "base_url" not in capsys.readouterr().err


def test_new_site_never_overwrites(tmp_path, capsys):
    (tmp_path / "x").mkdir()
    (tmp_path / "x/notes.txt").write_text("mine")
    assert main(["new", "--root", str(tmp_path), "site", "x"]) == 2
    assert capsys.readouterr().err == (f"site-builder: error: {tmp_path / 'x'} is not an empty folder; nothing was "
                                       "written (new site never overwrites)\n")
    assert [p.name for p in (tmp_path / "x").iterdir()] == ["notes.txt"]


def test_a_site_file_overrides_the_theme_file_of_the_same_name(tmp_path, capsys):
    root = new_site(tmp_path, capsys)
    (root / "assets").mkdir()
    (root / "assets/style.css").write_text("body { color: rebeccapurple }\n")
    (root / "templates").mkdir()
    (root / "templates/page.html").write_text("{% extends 'base.html' %}{% block main %}<p>OWN PAGE</p>"
                                              "{% endblock %}\n")
    assert main(["build", "--root", str(root), "--no-search"]) == 0
    styles = list((root / "public/assets").glob("style.*.css"))
    assert [p.read_text() for p in styles] == ["body { color: rebeccapurple }\n"]
    assert list((root / "public/assets").glob("article.*.js"))  # the theme's other assets are still there
    about = (root / "public/about/index.html").read_text()
    assert "OWN PAGE" in about and "<html" in about  # the site's page.html, extending the theme's base.html


def test_theme_copy_copies_files_for_editing_and_keeps_what_is_there(tmp_path, capsys):
    root = new_site(tmp_path, capsys)
    assert main(["theme", "--root", str(root), "copy", "templates/base.html"]) == 0
    assert capsys.readouterr().out == f"{root / 'templates/base.html'}\n"
    theme = theme_root()
    assert theme is not None
    assert (root / "templates/base.html").read_bytes() == (theme / "templates/base.html").read_bytes()
    (root / "templates/base.html").write_text("mine")
    assert main(["theme", "--root", str(root), "copy", "templates/base.html"]) == 0
    assert capsys.readouterr().out == f"{root / 'templates/base.html'} exists: left as it is\n"
    assert (root / "templates/base.html").read_text() == "mine"
    assert main(["theme", "--root", str(root), "copy", "templates/nope.html"]) == 2
    assert "no theme file 'templates/nope.html': the theme's files are " in capsys.readouterr().err


def test_new_claim_and_source_take_a_chosen_id(tmp_path, capsys):
    root = new_site(tmp_path, capsys)
    (root / "story.txt").write_text(STORY)
    assert main(["new", "--root", str(root), "article", "story", "--text", str(root / "story.txt")]) == 0
    story = root / "content/articles/story"
    assert capsys.readouterr().out.splitlines() == [str(story / "article.yaml"), str(story / "text.md")]
    assert main(["new", "--root", str(root), "claim", "story", "Ten people saw it.", "--id", "ten-saw"]) == 0
    assert main(["new", "--root", str(root), "source", "https://www.bbc.co.uk/news/uk-12345678",
                 "--id", "bbc-council"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [str(root / "content/articles/story/claims/ten-saw.yaml"),
                       str(root / "content/sources/bbc-council.yaml")]
    assert main(["new", "--root", str(root), "claim", "story", "Ten people saw it.", "--id", "Ten_Saw"]) == 2
    assert capsys.readouterr().err == ("site-builder: error: --id 'Ten_Saw' is not a safe id: use lowercase letters "
                                       "a-z, digits and single hyphens, e.g. 'gdp-grew-2-percent'\n")
    assert main(["new", "--root", str(root), "claim", "story", "Ten people saw it.", "--id", "ten-saw"]) == 2
    assert capsys.readouterr().err == "site-builder: error: a claim 'ten-saw' already exists; choose another --id\n"


@pytest.mark.parametrize(("passage", "expected"), [
    ("The mayor, who spoke first, said the council would meet again on Monday.", "mayor-who-spoke-first-said"),
    ("Ten people saw it.", "ten-people-saw-it"),
])
def test_generated_claim_ids_are_short_and_cut_at_words(tmp_path, capsys, passage, expected):
    root = new_site(tmp_path, capsys)
    (root / "story.txt").write_text(STORY)
    assert main(["new", "--root", str(root), "article", "story", "--text", str(root / "story.txt")]) == 0
    assert main(["new", "--root", str(root), "claim", "story", passage]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith(f"/claims/{expected}.yaml")


def test_generated_source_ids_name_the_site_and_cut_at_words(tmp_path, capsys):
    root = new_site(tmp_path, capsys)
    url = "https://www.eurofound.europa.eu/publications/article/2006/governance-of-the-social-dialogue-in-europe"
    assert main(["new", "--root", str(root), "source", url]) == 0
    assert capsys.readouterr().out.strip().endswith("/sources/eurofound-governance-of-the-social.yaml")
