"""Shared helpers of the benchmarks: Odoo's registry and a server subprocess."""

import argparse
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def addons_path():
    import odoo

    here = Path(odoo.__file__).resolve().parent
    found = [
        str(p)
        for p in (here.parent / "addons", here / "addons")
        if (p / "crm").is_dir()
    ]
    return ",".join([*found, str(ROOT)])


def db_args():
    return [
        f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
        f"--db_port={os.environ.get('PGPORT', '5432')}",
        f"--db_user={os.environ.get('PGUSER', 'odoo')}",
    ]


def fresh_database(name, template=None, options=()):
    """Drop ``name``, make it anew (a copy of ``template`` when given, which
    saves installing crm) and install crm_support there without demo data."""
    subprocess.run(["dropdb", "--if-exists", name], check=True)
    copy = ["-T", template] if template else []
    subprocess.run(["createdb", *copy, name], check=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            f"--addons-path={addons_path()}",
            *db_args(),
            f"--database={name}",
            "--init=crm_support",
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
            *options,
        ],
        check=True,
    )
    return name


def parse_bench_args(description, bench_db, count, rounds, http_port):
    """The options every benchmark takes, with its own defaults.

    PostgreSQL is reached through PGHOST, PGPORT and PGUSER, which the
    ``--db-*`` options set for the helpers here.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", help="database with crm_support (default: fresh)")
    parser.add_argument(
        "--template-db",
        help="a database with crm, contacts and mail to copy (default: none)",
    )
    parser.add_argument("--bench-db", default=bench_db)
    parser.add_argument("--count", type=int, default=count)
    parser.add_argument("--rounds", type=int, default=rounds)
    parser.add_argument("--http-port", type=int, default=http_port)
    parser.add_argument("--db-host", default=os.environ.get("PGHOST", "127.0.0.1"))
    parser.add_argument("--db-port", default=os.environ.get("PGPORT", "5432"))
    parser.add_argument("--db-user", default=os.environ.get("PGUSER", "odoo"))
    args = parser.parse_args()
    os.environ.update(
        PGHOST=args.db_host, PGPORT=str(args.db_port), PGUSER=args.db_user
    )
    return args


def bench_database(args):
    """The database to measure on: ``--db``, or a fresh one."""
    return args.db or fresh_database(args.bench_db, args.template_db)


def odoo_options(args, db, *extra):
    """Odoo's command-line options for a benchmark run on ``db``."""
    return [
        f"--addons-path={addons_path()}",
        *db_args(),
        f"--database={db}",
        f"--http-port={args.http_port}",
        "--http-interface=127.0.0.1",
        "--log-level=warn",
        *extra,
    ]


_configured = []


def registry(db):
    """Odoo's registry of a database, loaded in this process."""
    import odoo

    if not _configured:
        odoo.tools.config.parse_config(
            [f"--addons-path={addons_path()}", *db_args(), "--log-level=warn"]
        )
        _configured.append(True)
    return odoo.modules.registry.Registry(db)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def odoo_server(db, port):
    """A real Odoo server on the database, for as long as the block runs."""
    log = open(os.devnull, "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "odoo",
            f"--addons-path={addons_path()}",
            *db_args(),
            "-d",
            db,
            f"--db-filter=^{db}$",
            "--http-interface=127.0.0.1",
            f"--http-port={port}",
            "--workers=0",
            "--max-cron-threads=0",
            "--log-level=warn",
        ],
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/web/health", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                threading.Event().wait(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(60)
        log.close()
