"""The returns service: an ASGI app (JSON API for shops; request pages for customers later).

No Qt, no drivers: it parses, calls ``station.intake`` services and shows what they return.
"""
