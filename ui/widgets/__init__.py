"""Small reusable widgets of the dock window."""
