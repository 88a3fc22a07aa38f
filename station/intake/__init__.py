"""Returns intake: orders from the shop's systems, customers' return requests, the policy's
decision, API tokens and file imports. Pure services on the station database (no web, no Qt):
the returns service (``web/``), the CLI and the supervisor desk all call these.
"""
