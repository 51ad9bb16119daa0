"""The review page over HTTP: an ASGI app (Starlette) on 127.0.0.1, behind a random token.

Safety (docs/review.md, "Safety"):

- the token is in the URL ``kg review`` prints (as Jupyter does); the first visit trades it
  for an HttpOnly, SameSite=Strict cookie and redirects to the URL without it; every other
  request without that cookie is refused (403);
- every write is a POST of JSON carrying the page's CSRF token in ``X-CSRF-Token``, from the
  page's own origin (``Origin`` and ``Sec-Fetch-Site`` checked when the browser sends them);
  a form or a page elsewhere can send neither the header nor the cookie;
- the Host header must name loopback, as for ``kg serve`` (DNS rebinding);
- pages run only their own inline script (a fresh CSP nonce per response) and build the
  document's text with text nodes, so nothing in a document is ever parsed as HTML;
- documents are named by slug and every path is checked to lie inside the project.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import secrets
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.staticfiles import StaticFiles

from ..errors import KgError, LockError, ReviewError
from ..server.app import LOOPBACK_HOSTS
from .session import Review

STATIC = Path(__file__).resolve().parent / "static"
_MAX_BODY = 256 * 1024
_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store",
            "X-Frame-Options": "DENY"}


def _csp(nonce: str) -> str:
    return (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; "
            "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def _json_for_script(value) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' that could close it."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def create_app(review: Review, *, token: str | None = None) -> Starlette:
    """The review app for ``review``'s project.

    :param token: the secret of the printed URL (default: 32 random bytes, URL-safe).
    :returns: the app; ``app.state.token`` holds the token.
    """
    token = token or secrets.token_urlsafe(32)
    cookie = "kg_review_" + hashlib.sha256(token.encode()).hexdigest()[:12]  # two servers, two cookies
    csrf = hmac.new(token.encode(), b"csrf", hashlib.sha256).hexdigest()
    page = (STATIC / "document.html").read_text(encoding="utf-8")
    views = review.root / "exports" / "views"

    def authorised(request: Request) -> bool:
        return hmac.compare_digest(request.cookies.get(cookie, ""), token)

    def refused(message: str, status: int = 403) -> Response:
        return JSONResponse({"error": message}, status_code=status, headers=_HEADERS)

    def write_check(request: Request) -> str | None:
        """Why a POST is refused, or None."""
        if not authorised(request):
            return "not authorised: open the URL that kg review printed"
        if not hmac.compare_digest(request.headers.get("x-csrf-token", ""), csrf):
            return "refused: a change needs the page's CSRF token"
        origin = request.headers.get("origin")
        if origin is not None and origin != f"{request.url.scheme}://{request.headers.get('host', '')}":
            return f"refused: a change from another origin ({origin})"
        if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            return "refused: a change from another site"
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return "refused: changes are posted as application/json"
        return None

    def gate(handler):
        """GET: the token once (then the cookie); POST: cookie, CSRF token, origin."""
        async def wrapped(request: Request) -> Response:
            if request.method == "POST":
                problem = write_check(request)
                if problem:
                    return refused(problem)
            elif not authorised(request):
                given = request.query_params.get("token", "")
                if given and hmac.compare_digest(given, token):
                    clean = request.url.remove_query_params("token")
                    response = RedirectResponse(clean.path + (f"?{clean.query}" if clean.query else ""), status_code=303)
                    response.set_cookie(cookie, token, httponly=True, samesite="strict", path="/")
                    return response
                return HTMLResponse("<!doctype html><title>Review</title><p>Not authorised: open the URL that "
                                    "<code>kg review</code> printed (it carries the token).</p>",
                                    status_code=403, headers=_HEADERS)
            try:
                return await handler(request)
            except LockError as exc:
                return refused(str(exc), 503)
            except ReviewError as exc:
                return refused(str(exc), 409)
            except KgError as exc:
                return refused(str(exc), 400)
        return wrapped

    async def body(request: Request) -> dict:
        raw = await request.body()
        if len(raw) > _MAX_BODY:
            raise ReviewError("the request is too large")
        try:
            data = json.loads(raw or b"{}")
        except (ValueError, UnicodeDecodeError) as exc:
            raise ReviewError(f"the request is not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise ReviewError("the request must be a JSON object")
        return data

    async def index(request: Request) -> Response:
        rows = await run_in_threadpool(review.documents)
        items = "".join(
            f'<tr><td><a href="/doc/{html.escape(r["slug"])}">{html.escape(r["title"])}</a></td>'
            f'<td class="n">{r["open"]}</td><td class="n">{r["open_facts"]}</td><td class="n">{r["open_entities"]}</td>'
            f'<td class="n">{r["accepted"]}</td></tr>' for r in rows)
        nonce = secrets.token_urlsafe(16)
        body_html = (
            "<!doctype html><html lang=en><meta charset=utf-8><link rel=icon href=\"data:,\"><title>Review · Impasse</title>"
            f"<style nonce=\"{nonce}\">body{{font:15px/1.5 system-ui,sans-serif;margin:2rem;color:#1f2633}}"
            "table{border-collapse:collapse}td,th{padding:.3rem .8rem;border-bottom:1px solid #d6dae2;text-align:left}"
            ".n{text-align:right}</style><h1>Proposals to review</h1>"
            "<table><thead><tr><th>Document</th><th>Open</th><th>Facts open</th><th>Entities open</th>"
            f"<th>Facts accepted</th></tr></thead><tbody>{items}</tbody></table>"
            + ("" if rows else "<p>No document has proposals: add one with <code>kg add</code>.</p>")
            + ('<p><a href="/views/index.html">The views</a> (as last built)</p>' if views.is_dir() else ""))
        return HTMLResponse(body_html, headers={**_HEADERS, "Content-Security-Policy": _csp(nonce)})

    async def document_page(request: Request) -> Response:
        slug = request.path_params["slug"]
        await run_in_threadpool(review.state, slug)  # an unknown slug is refused here, not in the page
        nonce = secrets.token_urlsafe(16)
        config = _json_for_script({"slug": slug, "csrf": csrf, "schema": review.schema()})
        text = page.replace("{{nonce}}", nonce).replace("{{config}}", config)
        return HTMLResponse(text, headers={**_HEADERS, "Content-Security-Policy": _csp(nonce)})

    async def document_state(request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(review.state, request.path_params["slug"]), headers=_HEADERS)

    async def catalog(request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(review.catalog), headers=_HEADERS)

    async def decide(request: Request) -> Response:
        data = await body(request)
        action, slug, fact_id, index = data.get("action"), data.get("slug"), data.get("id"), data.get("index")
        if not isinstance(fact_id, str) or not (index is None or isinstance(index, int)):
            raise ReviewError("a decision names its fact by 'id' (and 'index')")
        if action == "accept":
            result = await run_in_threadpool(review.accept, slug, fact_id, index)
        elif action == "reject":
            result = await run_in_threadpool(review.reject, slug, fact_id, index)
        elif action == "edit":
            changes = data.get("changes")
            if not isinstance(changes, dict):
                raise ReviewError("an edit gives its 'changes' as an object")
            result = await run_in_threadpool(review.edit, slug, fact_id, changes, index)
        else:
            raise ReviewError(f"unknown action {action!r}: accept, reject or edit")
        return JSONResponse(result, headers=_HEADERS)

    async def entity(request: Request) -> Response:
        data = await body(request)
        action, slug = data.get("action"), data.get("slug")
        category, key = str(data.get("category", "")), str(data.get("key", ""))
        if action == "accept":
            result = await run_in_threadpool(review.accept_entity, slug, category, key)
        elif action == "merge":
            result = await run_in_threadpool(review.merge_entity, slug, category, key, str(data.get("into", "")))
        elif action == "reject":
            result = await run_in_threadpool(review.reject_entity, slug, category, key)
        else:
            raise ReviewError(f"unknown action {action!r}: accept, merge or reject")
        return JSONResponse(result, headers=_HEADERS)

    async def undo(request: Request) -> Response:
        data = await body(request)
        return JSONResponse(await run_in_threadpool(review.undo, data.get("slug")), headers=_HEADERS)

    async def rebuild(request: Request) -> Response:
        await body(request)
        return JSONResponse(await run_in_threadpool(review.rebuild), headers=_HEADERS)

    view_files = StaticFiles(directory=views, check_dir=False)

    async def view(request: Request) -> Response:
        if not views.is_dir():
            return refused("no views yet: rebuild first", 404)
        return await view_files.get_response(request.path_params["path"], request.scope)

    routes = [
        Route("/", gate(index), methods=["GET"]),
        Route("/doc/{slug}", gate(document_page), methods=["GET"]),
        Route("/api/doc/{slug}", gate(document_state), methods=["GET"]),
        Route("/api/catalog", gate(catalog), methods=["GET"]),
        Route("/api/decide", gate(decide), methods=["POST"]),
        Route("/api/entity", gate(entity), methods=["POST"]),
        Route("/api/undo", gate(undo), methods=["POST"]),
        Route("/api/rebuild", gate(rebuild), methods=["POST"]),
        Route("/views/{path:path}", gate(view), methods=["GET"]),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(LOOPBACK_HOSTS))])
    app.state.token = token
    return app


def serve(app: Starlette, port: int = 8765, *, ready=None) -> None:
    """Run the app on 127.0.0.1 with uvicorn until interrupted (never on another address).

    :param ready: called with the port once listening (``port=0`` picks a free one).
    """
    import socket

    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", server_header=False, timeout_keep_alive=5))
    if ready is not None:
        ready(sock.getsockname()[1])
    server.run(sockets=[sock])
