"""Security headers on every response, generic error pages, ids in URLs, request size."""

import pytest
from flask import Blueprint

from coordination import access
from coordination.models import Role
from tests.helpers import text


def assert_security_headers(response):
    """The headers quality.md asks for on every response."""
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Request-ID"]


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/login", {}, 200),
        ("/healthz", {}, 200),
        ("/no-such-page", {}, 404),
        ("/no-such-page", {"HX-Request": "true"}, 404),
        ("/admin/users", {"HX-Request": "true"}, 401),
        ("/static/app.css", {}, 200),
    ],
)
def test_headers_on_every_response(client, path, headers, status):
    response = client.get(path, headers=headers)
    response.close()  # static files are streamed from disk
    assert response.status_code == status
    assert_security_headers(response)


def test_headers_and_no_store_on_authenticated_pages_and_fragments(client, login_as):
    login_as(Role.ADMIN)
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get("/admin/users", headers=headers)
        assert response.status_code == 200
        assert_security_headers(response)
        assert response.headers["Cache-Control"] == "no-store"


def test_forbidden_page_is_generic_with_a_request_id(client, login_as):
    login_as(Role.PROFESSIONAL)
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert_security_headers(response)
    assert response.headers["X-Request-ID"] in text(response)


def test_htmx_errors_land_in_the_flash_region(client, login_as):
    login_as(Role.PROFESSIONAL)
    response = client.get("/admin/users", headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert response.headers["HX-Retarget"] == "#flash"
    assert "<html" not in text(response)


def test_unexpected_error_shows_nothing_internal(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    crash = Blueprint("crash", __name__)

    @crash.route("/crash")
    @access.public
    def explode():
        """A view that fails, to see the 500 page."""
        raise RuntimeError("secret detail /srv/maillage/config.py SELECT * FROM users")

    app.register_blueprint(crash)
    response = app.test_client().get("/crash")
    body = text(response)
    assert response.status_code == 500
    assert "secret detail" not in body and "SELECT" not in body and "Traceback" not in body
    assert response.headers["X-Request-ID"] in body
    assert_security_headers(response)


def test_route_without_policy_is_denied(make_app):
    app = make_app()
    loose = Blueprint("loose", __name__)

    @loose.route("/forgotten")
    def forgotten():
        """A view whose author forgot the access policy."""
        return "case data"

    app.register_blueprint(loose)
    response = app.test_client().get("/forgotten")
    assert response.status_code == 403
    assert "case data" not in text(response)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/users/99999999999999999999999999",
        "/admin/users/2147483648",
        "/admin/users/0",
        "/admin/users/-1",
        "/admin/users/%C3%A9t%C3%A9",
        "/admin/users/١٢",
        "/admin/organisations/" + "9" * 500,
        "/admin/users/12abc",
    ],
)
def test_huge_or_odd_ids_are_not_found(client, login_as, path):
    login_as(Role.ADMIN)
    response = client.get(path)
    assert response.status_code == 404


def test_unknown_id_is_not_found(client, login_as):
    login_as(Role.ADMIN)
    assert client.get("/admin/users/4242").status_code == 404


def test_oversized_request_is_refused_clearly(client):
    response = client.post("/login", data={"email": "x" * (33 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in text(response)


def test_request_id_from_the_proxy_is_kept_when_well_formed(client):
    kept = client.get("/login", headers={"X-Request-ID": "abcdef12-3456"})
    assert kept.headers["X-Request-ID"] == "abcdef12-3456"
    replaced = client.get("/login", headers={"X-Request-ID": "<script>"})
    assert replaced.headers["X-Request-ID"] != "<script>"


def test_session_cookie_flags(client, login_as):
    login_as(Role.PROFESSIONAL)
    cookie = client.get_cookie("maillage_session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_production_refuses_a_weak_secret_key(monkeypatch, tmp_path):
    from coordination import create_app

    monkeypatch.setenv("MAILLAGE_ENV", "production")
    monkeypatch.setenv("MAILLAGE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "changeme")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_first_run_writes_a_generated_secret_key(monkeypatch, tmp_path):
    from coordination import create_app

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("MAILLAGE_INSTANCE_PATH", str(tmp_path))
    first = create_app()
    second = create_app()
    assert (tmp_path / "config.py").exists()
    assert len(first.config["SECRET_KEY"]) >= 48
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "config.py").stat().st_mode & 0o077 == 0
    assert first.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/maillage.db"


def test_production_sets_secure_cookies_and_hsts(monkeypatch, tmp_path, database_uri_for_test):
    from coordination import create_app

    monkeypatch.setenv("MAILLAGE_ENV", "production")
    monkeypatch.setenv("MAILLAGE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "p" * 40)
    monkeypatch.setenv("DATABASE_URL", database_uri_for_test)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
