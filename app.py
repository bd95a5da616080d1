"""Entry point for `flask --app app` and `gunicorn 'app:app'`."""

from coordination import create_app

app = create_app()
