"""Stage 3: the article's blocks and sentences, and every quote anchored to them."""
