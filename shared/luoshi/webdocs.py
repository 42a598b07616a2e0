"""/docs served whole by the service: Swagger UI's files come from the `swagger-ui-bundle` wheel, not from a
CDN, so the page works on a government intranet with no internet (FastAPI's default page loads them from
cdn.jsdelivr.net and is blank there). Paths are relative, so the page also works behind a prefix (/tasks/docs)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

ASSETS = "/docs-assets"


def install_docs(app: FastAPI, title: str) -> None:
    app.mount(ASSETS, StaticFiles(directory=swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="openapi.json",
            title=f"{title} — API",
            swagger_js_url=f"{ASSETS.lstrip('/')}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS.lstrip('/')}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS.lstrip('/')}/favicon-32x32.png",
        )
