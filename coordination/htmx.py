"""htmx helpers: tell a fragment request from a page request and answer each accordingly."""

from urllib.parse import urlsplit

from flask import make_response, render_template, request

# Sent in <meta name="htmx-config">; see architecture.md, "htmx conventions".
HTMX_CONFIG = {
    "historyCacheSize": 0,
    "refreshOnHistoryMiss": True,
    "historyRestoreAsHxRequest": False,
    "allowEval": False,
    "allowScriptTags": False,
    "includeIndicatorStyles": False,
    "selfRequestsOnly": True,
    # A boosted form updates part of a page in place: the page keeps its scroll position.
    "scrollIntoViewOnBoost": False,
    # Validation errors (422) and conflicts (409) carry a form to show; other errors are
    # retargeted to the flash region by the error handlers.
    "responseHandling": [
        {"code": "204", "swap": False},
        {"code": "[23]..", "swap": True},
        {"code": "409|422", "swap": True},
        {"code": "[45]..", "swap": True, "error": True},
    ],
}


def is_htmx():
    """Tell whether htmx sent the request (the header's value, not its presence)."""
    return request.headers.get("HX-Request") == "true"


def wants_fragment():
    """Tell whether to answer with a fragment: htmx, neither boosted nor a history restore."""
    return (
        is_htmx()
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def current_page_path():
    """Return the path of the page the user sees (htmx sends it), for redirects after login."""
    url = request.headers.get("HX-Current-URL", "") if is_htmx() else request.full_path
    parts = urlsplit(url)
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


def render(page_template, fragment_template, /, status=200, **context):
    """Render the full page, or only its fragment (with the flash region) for htmx."""
    if wants_fragment():
        body = render_template(fragment_template, **context)
        body += render_template("_flash.html", oob=True)
    else:
        body = render_template(page_template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response
