"""Stages 1-2: read the files, check them into the frozen model."""
