"""``/api/v1/docs``: Swagger UI from files installed with the service, never from a CDN.

FastAPI's default page loads Swagger UI's script and stylesheet from jsDelivr, so the docs
were blank on a dock without internet, and a developer's browser told a CDN about every visit.
The assets come from the ``swagger-ui-bundle`` package (Apache-2.0, a dependency) and are
served under ``/api/v1/docs/assets``; the page itself is FastAPI's, pointed at them.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

DOCS = "/api/v1/docs"
ASSETS = f"{DOCS}/assets"


def install(app: FastAPI) -> None:
    app.mount(ASSETS, StaticFiles(directory=str(swagger_ui_path)), name="api-docs-assets")

    @app.get(DOCS, include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/api/v1/openapi.json", title=f"{app.title}: API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js", swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png")
