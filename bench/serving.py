"""Serving for the bench: a database filled with demo data, gunicorn, wrk, signed-in cookies."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEMO_PASSWORD = "tilleul-ardoise-42"


def free_port():
    """A free TCP port on the loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(command, env, **kwargs):
    """Run a command of the project's virtual environment; fail loudly."""
    return subprocess.run(command, env=env, cwd=ROOT, check=True, **kwargs)


def prepare_database(env, persons):
    """Migrate a fresh database and fill it with demo data; return the seconds it took."""
    run([BIN / "flask", "--app", "app", "db", "upgrade"], env, capture_output=True)
    started = time.perf_counter()
    run([BIN / "flask", "--app", "app", "demo-data", "--persons", str(persons)], env,
        capture_output=True)  # fmt: skip
    return time.perf_counter() - started


def fresh_postgresql(url, suffix):
    """Create an empty bench database next to the given one; return its URL."""
    import sqlalchemy as sa

    from coordination.config import database_uri

    base = sa.make_url(database_uri(url, ""))
    name = f"{base.database}_maillage_{suffix}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def start_gunicorn(target, env, port, workers=2):
    """Start gunicorn with two workers, as in production; wait until it answers."""
    process = subprocess.Popen(
        [
            BIN / "gunicorn",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            target,
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except urllib.error.HTTPError:
            return process  # the floor has no /healthz: it answers 404, so it is up
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn {target} did not start")


def session_cookie(base_url, email):
    """Sign in through the real form and return the Cookie header of the session."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base_url}/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"email": email, "password": DEMO_PASSWORD, "csrf_token": token})
    opener.open(f"{base_url}/login", data=form.encode())
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def wrk(url, seconds, headers):
    """Drive a URL with 16 connections; return requests/s, p50 and p95 in ms, errors."""
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "-s", str(ROOT / "bench" / "report.lua")]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    figures = dict(re.findall(r"(\w+)=([\d.]+)", output.split("BENCH", 1)[1]))
    return {key: float(value) for key, value in figures.items()}


def worker_rss_mb(master_pid):
    """Resident memory of each gunicorn worker, in MB."""
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().split()
            if int(fields[3]) == master_pid:
                status = (stat.parent / "status").read_text()
                kilobytes = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
                sizes.append(kilobytes / 1024)
        except (OSError, AttributeError):
            continue
    return sizes


def machine():
    """Cores and memory of this machine, for the README."""
    memory = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)
    return f"{os.cpu_count()} cores, {int(memory) / 1024 / 1024:.0f} GB RAM"


def adopt(env):
    """Make this process's environment the run's (for the in-process steps): its variables,
    and no DATABASE_URL when the run is on SQLite, whatever the shell had set."""
    os.environ.update(env)
    if "DATABASE_URL" not in env:
        os.environ.pop("DATABASE_URL", None)
