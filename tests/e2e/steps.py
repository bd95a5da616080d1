"""Steps shared by the browser tests."""

from tests.factories import PASSWORD


def sign_in(page, base, email):
    """Sign in through the login form."""
    page.goto(f"{base}/login")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
