"""What a screenshot must show, checked on the page it was taken of (a size in bytes says nothing)."""

from __future__ import annotations

import struct
from pathlib import Path

from playwright.sync_api import Page


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG's header chunk."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", path
    return struct.unpack(">II", data[16:24])


def assert_screenshot_shows(page: Page, target: Path, visible: str = "h1") -> None:
    """The picture is the whole viewport, the styled page fits its width, and `visible` is in view."""
    view = page.viewport_size
    assert view is not None
    scale = page.evaluate("window.devicePixelRatio")
    assert png_size(target) == (round(view["width"] * scale), round(view["height"] * scale)), target
    assert page.evaluate("[...document.styleSheets].some(s => s.cssRules.length > 20)"), f"{target}: no stylesheet"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{target}: scrolls sideways"
    box = page.locator(visible).first.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0, f"{target}: {visible} not shown"
    assert box["x"] >= 0 and box["x"] + box["width"] <= view["width"] + 1, f"{target}: {visible} cut at the side"
    assert box["y"] < view["height"] and box["y"] + box["height"] > 0, f"{target}: {visible} out of view"


def assert_picture_of_the_viewport(page: Page, target: Path) -> None:
    """The PNG is the viewport at the page's pixel ratio and is not blank: many colours, text-dark and light pixels."""
    from PIL import Image
    view = page.viewport_size
    assert view is not None
    scale = page.evaluate("window.devicePixelRatio")
    assert png_size(target) == (round(view["width"] * scale), round(view["height"] * scale)), target
    with Image.open(target) as picture:
        grey = picture.convert("L")
        colours = picture.convert("RGB").getcolors(maxcolors=1 << 20) or []
        low, high = grey.getextrema()
    assert len(colours) > 50 and high - low > 100, f"{target}: blank ({len(colours)} colours, {low}..{high})"
