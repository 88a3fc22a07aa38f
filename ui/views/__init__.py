"""One module per view of the dock window."""
