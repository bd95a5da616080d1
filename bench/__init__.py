"""`make bench`: Maillage served by gunicorn, measured against a floor in the same run."""
