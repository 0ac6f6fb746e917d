"""Speed only: forked processes for a large build; each entry point has a serial twin."""
