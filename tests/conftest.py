"""End-to-end harness of crm_support: a real Odoo server, reached from outside.

Every file of this folder except those in ``STATIC_TEST_FILES`` is an
end-to-end test: it talks to a real Odoo 18 server started by the fixtures
below, over XML-RPC, JSON-RPC or plain HTTP, like a partner's script or a
browser would. Those files are collected only when both hold:

- ``odoo`` is importable by the Python running pytest, and
- ``CRM_SUPPORT_E2E_DB`` names a database where crm_support is installed with
  its demo data (``scripts/test`` creates it and sets the variable).

Otherwise they are not collected at all (the pytest header says why), so that
the static checks still run on a machine without Odoo. Where Odoo is present
and the database is named, nothing is skipped: a server that does not start,
or a database without crm_support, fails the run.

PostgreSQL is reached through the libpq variables ``PGHOST``, ``PGPORT``,
``PGUSER`` (and ``PGPASSWORD``) that ``scripts/test`` exports. The server
listens on 127.0.0.1, on ``CRM_SUPPORT_E2E_PORT`` when it is set, else on a
port the system reports free.

Fixtures (session scope unless noted):

``odoo_db``
    the database name.
``odoo_server``
    the base URL (``http://127.0.0.1:<port>``) of one Odoo server, started once
    per session: ``python3 -m odoo`` with the addons path of
    ``scripts/common.sh``'s ``odoo_addons_path``, ``--db-filter`` on the one
    database, ``--workers=0``, no cron thread. Pytest waits for
    ``/web/health`` and for the database's registry before the first test,
    and stops the server after the last one.
``odoo_server_log``
    the path of that server's log file (``--log-level=info``), for tests that
    check what the server logged.
``odoo_server_factory``
    ``start(*extra_args, name=...)`` starts one more server on the same
    database with extra command-line options (an SMTP server, a cron thread,
    ``--proxy-mode``...) and returns its URL and log path; each is stopped at
    the end of the session. Use it only when the shared server cannot do.
``xmlrpc_login``
    ``xmlrpc_login(login, password_or_api_key)`` returns an :class:`XmlRpcClient`
    authenticated on the shared server: ``client.call(model, method, *args,
    **kwargs)`` runs ``execute_kw``; ``client.uid`` is the user id. A refusal
    raises :class:`OdooFault` (an ``xmlrpc.client.Fault``) whose ``kind`` is
    Odoo's exception (``AccessError``, ``UserError``...) and ``message`` the
    text the user would read.
``demo_ref``
    ``demo_ref("crm_support.<xml id>")`` returns the id of a demo record.
``web_session``
    ``web_session(login, password)`` returns a :class:`WebSession` logged in
    through ``/web/session/authenticate``, as the web client is:
    ``session.call_kw(model, method, *args, **kwargs)`` and
    ``session.json(path, params)`` post JSON-RPC with the session cookie.

Tests share one database and the server commits every call: a test must leave
the demo data as it found it (restore what it changed, delete what it
created) or work on records with unique names, because other tests, and the
next run's assertions, read the same demo records.
"""

import contextlib
import http.cookiejar
import importlib.util
import itertools
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from xmlrpc import client as xmlrpclib

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# the files of this folder that need neither Odoo nor a database
STATIC_TEST_FILES = {"test_static.py"}

STARTUP_TIMEOUT = 180
STOP_TIMEOUT = 60


def _e2e_unavailable_reason():
    if importlib.util.find_spec("odoo") is None:
        return f"odoo is not importable by {sys.executable}"
    if not os.environ.get("CRM_SUPPORT_E2E_DB"):
        return "CRM_SUPPORT_E2E_DB is not set"
    return None


E2E_UNAVAILABLE = _e2e_unavailable_reason()
collect_ignore = (
    sorted(
        path.name
        for path in HERE.glob("test_*.py")
        if path.name not in STATIC_TEST_FILES
    )
    if E2E_UNAVAILABLE
    else []
)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "odoo: needs Odoo and a database (not collected without them)"
    )


def pytest_report_header(config):
    if E2E_UNAVAILABLE:
        return [
            f"crm_support end-to-end tests NOT collected: {E2E_UNAVAILABLE}; "
            f"ignored: {', '.join(collect_ignore) or 'none'}"
        ]
    return [
        "crm_support end-to-end tests against database "
        f"{os.environ['CRM_SUPPORT_E2E_DB']} "
        f"(PGHOST={os.environ.get('PGHOST', '')} "
        f"PGPORT={os.environ.get('PGPORT', '')})"
    ]


def pytest_collection_modifyitems(config, items):
    # every end-to-end test carries the odoo marker, so that `-m "not odoo"`
    # keeps to the static checks
    for item in items:
        if item.path.name not in STATIC_TEST_FILES:
            item.add_marker(pytest.mark.odoo)


# --- the server -------------------------------------------------------------


def odoo_addons_path():
    """The addons path of scripts/common.sh, with this checkout's crm_support."""
    result = subprocess.run(
        ["bash", "-c", ". scripts/common.sh && odoo_addons_path"],
        cwd=ROOT,
        env=dict(os.environ, PYTHON=sys.executable),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_options():
    options = []
    for variable, option in (
        ("PGHOST", "--db_host"),
        ("PGPORT", "--db_port"),
        ("PGUSER", "--db_user"),
    ):
        if os.environ.get(variable):
            options.append(f"{option}={os.environ[variable]}")
    return options


def _check_database(db):
    """Fail early, and clearly, on a database that cannot serve the tests."""
    import psycopg2  # Odoo's own dependency: present wherever Odoo is

    try:
        conn = psycopg2.connect(dbname=db)
    except psycopg2.OperationalError as error:
        pytest.fail(f"cannot connect to the database {db!r}: {error}")
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT state, demo FROM ir_module_module WHERE name = 'crm_support'"
            )
            row = cr.fetchone()
    finally:
        conn.close()
    if not row or row[0] != "installed":
        pytest.fail(f"crm_support is not installed in the database {db!r}")
    if not row[1]:
        pytest.fail(f"the database {db!r} has no demo data of crm_support")


def _log_tail(log_path, lines=40):
    try:
        return "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _wait_ready(process, url, db, log_path):
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        if process.poll() is not None:
            pytest.fail(
                f"Odoo exited with code {process.returncode} while starting; "
                f"log {log_path}:\n{_log_tail(log_path)}"
            )
        try:
            with urllib.request.urlopen(f"{url}/web/health", timeout=5) as response:
                if json.load(response).get("status") == "pass":
                    break
        except (OSError, ValueError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(
                f"Odoo did not answer /web/health within {STARTUP_TIMEOUT}s; "
                f"log {log_path}:\n{_log_tail(log_path)}"
            )
        # polling a starting process: there is nothing to wait on instead
        time.sleep(0.2)

    # the registry loads after the HTTP thread starts: a failed login on the
    # database waits for it, and proves the database filter lets it through
    common = xmlrpclib.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
    try:
        common.authenticate(db, "crm_support-e2e-readiness", "-", {})
    except (OSError, xmlrpclib.Error) as error:
        pytest.fail(
            f"Odoo does not serve the database {db!r}: {error}; "
            f"log {log_path}:\n{_log_tail(log_path)}"
        )


@contextlib.contextmanager
def run_odoo_server(db, log_path, *extra_args, port=None):
    """Run ``python3 -m odoo`` on ``db`` while the block runs; yield its URL."""
    port = port or _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "odoo",
        f"--addons-path={odoo_addons_path()}",
        *_pg_options(),
        f"--database={db}",
        f"--db-filter=^{re.escape(db)}$",
        "--no-database-list",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        "--workers=0",
        "--max-cron-threads=0",
        f"--logfile={log_path}",
        "--log-level=info",
        *extra_args,
    ]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_ready(process, url, db, log_path)
        yield url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def odoo_db():
    """The database of the end-to-end tests (CRM_SUPPORT_E2E_DB)."""
    db = os.environ["CRM_SUPPORT_E2E_DB"]
    _check_database(db)
    return db


@pytest.fixture(scope="session")
def _odoo_shared_server(odoo_db, tmp_path_factory):
    log_path = tmp_path_factory.mktemp("odoo") / "odoo.log"
    port = int(os.environ.get("CRM_SUPPORT_E2E_PORT") or 0) or None
    with run_odoo_server(odoo_db, log_path, port=port) as url:
        yield url, log_path


@pytest.fixture(scope="session")
def odoo_server(_odoo_shared_server):
    """The base URL of the shared Odoo server (see the module docstring)."""
    return _odoo_shared_server[0]


@pytest.fixture(scope="session")
def odoo_server_log(_odoo_shared_server):
    """The log file of the shared Odoo server."""
    return _odoo_shared_server[1]


@pytest.fixture(scope="session")
def odoo_server_factory(odoo_db, tmp_path_factory):
    """Start more servers on the database, with extra options; see the docstring."""
    with contextlib.ExitStack() as stack:
        counter = itertools.count(1)

        def start(*extra_args, name="odoo"):
            log_path = tmp_path_factory.mktemp(f"{name}{next(counter)}") / "odoo.log"
            url = stack.enter_context(run_odoo_server(odoo_db, log_path, *extra_args))
            return url, log_path

        yield start


# --- clients ----------------------------------------------------------------


class XmlRpcClient:
    """A user's XML-RPC connection, as a partner's script opens it."""

    def __init__(self, url, db, login, secret):
        self.db = db
        self.login = login
        self._secret = secret
        common = xmlrpclib.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
        self.uid = common.authenticate(db, login, secret, {})
        if not self.uid:
            raise AssertionError(f"XML-RPC login refused for {login!r}")
        self._object = xmlrpclib.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(self, model, method, *args, **kwargs):
        try:
            return self._object.execute_kw(
                self.db, self.uid, self._secret, model, method, list(args), kwargs
            )
        except xmlrpclib.Fault as fault:
            raise OdooFault(fault.faultCode, fault.faultString) from None


class OdooFault(xmlrpclib.Fault):
    """An XML-RPC fault with Odoo's exception ``kind`` and user ``message``.

    ``/xmlrpc/2`` sends Odoo's exceptions as integer fault codes: 4 for an
    AccessError, 3 for AccessDenied, 2 for a UserError (ValidationError and
    MissingError included) with the user's message as fault string, 1 for
    anything else, with the server's traceback. Catch it as
    ``xmlrpc.client.Fault``.
    """

    KINDS = {2: "UserError", 3: "AccessDenied", 4: "AccessError"}

    def __init__(self, code, string):
        super().__init__(code, string)
        self.kind = self.KINDS.get(code, "ServerError")
        self.message = string

    def __str__(self):
        return f"{self.kind}: {self.message}"


class WebSession:
    """A browser-like session: a cookie from /web/session/authenticate."""

    def __init__(self, url, db, login, password):
        self.url = url
        self._ids = itertools.count(1)
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        info = self.json(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password},
        )
        self.uid = info["uid"]
        if not self.uid:
            raise AssertionError(f"web login refused for {login!r}")

    def json(self, path, params):
        """Post a JSON-RPC call; return its result or raise its error."""
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "id": next(self._ids),
                "params": params,
            }
        ).encode()
        request = urllib.request.Request(
            self.url + path, body, {"Content-Type": "application/json"}
        )
        with self._opener.open(request, timeout=120) as response:
            answer = json.load(response)
        if "error" in answer:
            raise JsonRpcError(answer["error"])
        return answer["result"]

    def call_kw(self, model, method, *args, **kwargs):
        return self.json(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


class JsonRpcError(Exception):
    """An error answered by Odoo's JSON-RPC: ``.name`` is the exception class."""

    def __init__(self, error):
        data = error.get("data") or {}
        self.name = data.get("name", "")
        self.message = data.get("message") or error.get("message", "")
        super().__init__(f"{self.name}: {self.message}")


@pytest.fixture(scope="session")
def xmlrpc_login(odoo_server, odoo_db):
    """``xmlrpc_login(login, password_or_api_key)`` -> XmlRpcClient."""

    def connect(login, secret):
        return XmlRpcClient(odoo_server, odoo_db, login, secret)

    return connect


@pytest.fixture(scope="session")
def demo_ref(xmlrpc_login):
    """``demo_ref("crm_support.<xml id>")`` -> the record id, looked up as admin."""
    admin = xmlrpc_login("admin", "admin")
    cache = {}

    def ref(xmlid):
        if xmlid not in cache:
            module, name = xmlid.split(".")
            found = admin.call(
                "ir.model.data",
                "search_read",
                [("module", "=", module), ("name", "=", name)],
                ["res_id"],
            )
            assert found, f"no record with the XML id {xmlid}"
            cache[xmlid] = found[0]["res_id"]
        return cache[xmlid]

    return ref


@pytest.fixture(scope="session")
def web_session(odoo_server, odoo_db):
    """``web_session(login, password)`` -> WebSession on the shared server."""

    def login(login, password):
        return WebSession(odoo_server, odoo_db, login, password)

    return login
