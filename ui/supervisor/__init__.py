"""The supervisor desk: queues, approvals, sheets, dashboard (Qt widgets) and the PDF report.

Widgets are standalone ``QWidget`` subclasses that take their services in the constructor
(see docs/supervisor.md for the signatures); the main window mounts them. ``report_pdf`` has
no Qt so the headless ``rma-station report`` can use it. Importing this package imports no Qt.
"""
