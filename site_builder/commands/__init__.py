"""The command line and the authoring commands (new, coverage, drift, schema, sources)."""
