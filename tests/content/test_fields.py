"""Fields added for readers: each is checked as its kind says, with the line and the fix."""

from __future__ import annotations

from sitekit import MINIMAL, as_written

from site_builder.commands.cli import main


def test_an_articles_archived_copy_must_be_a_web_address(make_site, capsys):
    root = make_site({"content/articles/story/article.yaml": """
        title: A story
        publisher: The Paper
        archived_url: ftp://archive.example/story
        summary: A short story.
        """})
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if ": error[" in line] == [
        "content/articles/story/article.yaml:3:15: error[unsafe-url]: 'archived_url' is not an http(s) URL: "
        "'ftp://archive.example/story'"]
    assert "archived_url: ftp://archive.example/story" in err  # the offending line, shown
    assert "write a full address starting with https:// (or http://)" in err
    assert "Traceback" not in err


def test_a_translation_is_checked_like_any_text(make_site, capsys):
    claim = "content/articles/story/claims/ten-people.yaml"
    root = make_site({claim: as_written(MINIMAL[claim]) + "    translation: [not, a, text]\n"})
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "content/articles/story/claims/ten-people.yaml:8:18: error[wrong-type]: 'translation' must be a single " \
           "value, not a list" in err
