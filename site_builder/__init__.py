"""site-builder: a static-site generator for annotated fact-checks of news articles."""

from __future__ import annotations

from .build import BuildResult, build
from .errors import BuildFailed, Origin, Problem

__all__ = ["build", "BuildResult", "BuildFailed", "Problem", "Origin"]
__version__ = "0.1.0"
