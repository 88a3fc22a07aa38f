"""The supervisor's desk: work queues, approvals, sheets, the print queue and alerts."""
