"""The floor of every ratio: the same gunicorn serving a 50-line template, no database, no login."""

from flask import Flask, render_template

app = Flask(__name__)


@app.route("/")
def page():
    """Render the 50-line template (compiled once, like the application's)."""
    return render_template("floor.html", title="Plancher", value="valeur")
