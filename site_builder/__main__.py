"""`python -m site_builder` is the same as the `site-builder` command."""

import sys

from .cli import main

sys.exit(main())
