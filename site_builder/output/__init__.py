"""Stages 5-6: the pages, the data files, the search index and the swap into the output folder."""
