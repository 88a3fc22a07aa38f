"""QC inspection: checklists, grading, flags, dispositions, refurbishment."""
