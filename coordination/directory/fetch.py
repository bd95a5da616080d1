"""Fetching a file to import from a web address, when the installation can reach one.

Only http and https (redirects included), a time limit and a size cap, and a sentence for each way
it can fail: the coordinator reads what to do, never a traceback.
"""

import ipaddress
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from .csv_import import FileProblem
from .json_import import MAX_JSON_BYTES


def check_host(host):
    """Refuse a host that resolves inside the server's own network (loopback, private, link-local
    ranges, where cloud metadata lives), unless DIRECTORY_IMPORT_PRIVATE_ADDRESSES allows it: a
    coordinator's address must not make the server read what only the server can reach."""
    if current_app.config["DIRECTORY_IMPORT_PRIVATE_ADDRESSES"]:
        return
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return  # unknown host: the fetch itself says it cannot be reached
    for address in found:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not ip.is_global or ip.is_multicast:
            raise FileProblem(
                _("%(host)s is inside this server's own network: fetching from it is not allowed "
                  "here. Download the file and send it instead.", host=host)
            )  # fmt: skip


class CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to a host that may be fetched."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        """Check the new address's host before following it."""
        check_host(urlsplit(newurl).hostname or "")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


# No ftp:, file: or data: handlers: a redirect can only lead to another web address.
OPENER = urllib.request.OpenerDirector()
for handler in (
    urllib.request.HTTPHandler,
    urllib.request.HTTPSHandler,
    CheckedRedirects,
    urllib.request.HTTPDefaultErrorHandler,
    urllib.request.HTTPErrorProcessor,
):
    OPENER.add_handler(handler())


def fetch(url):
    """The bytes at a web address (at most MAX_JSON_BYTES), or why they could not be had."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FileProblem(_("Give a web address starting with https:// or http://."))
    check_host(parts.hostname)
    seconds = current_app.config["DIRECTORY_IMPORT_TIMEOUT"]
    # S310: the scheme is checked above, and the opener has no handler but http(s) for redirects.
    headers = {"Accept": "application/json", "User-Agent": "Maillage"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with OPENER.open(request, timeout=seconds) as response:
            raw = response.read(MAX_JSON_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise FileProblem(
            _("The server answered %(status)d (%(reason)s). Check the address.",
              status=error.code, reason=error.reason)
        ) from error  # fmt: skip
    except TimeoutError as error:
        raise FileProblem(
            _("No answer from %(host)s within %(seconds)d seconds. Try again later, or download "
              "the file and send it here.", host=parts.hostname, seconds=seconds)
        ) from error  # fmt: skip
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise FileProblem(
            _("%(host)s cannot be reached from this installation (%(reason)s). Download the file "
              "and send it here instead.", host=parts.hostname, reason=reason)
        ) from error  # fmt: skip
    if len(raw) > MAX_JSON_BYTES:
        raise FileProblem(_("The file at this address is larger than 20 MB."))
    return raw
