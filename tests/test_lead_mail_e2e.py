"""Lead mail end to end, with real servers on loopback.

A real Odoo server (a subprocess on the demo database named by
``CRM_SUPPORT_E2E_DB``) sends user1's reply through a real SMTP server that
this test runs (aiosmtpd) and captures; the customer's "Reply all" is put into
a real IMAP mailbox (dovecot, started here with its own configuration and
base directory); Odoo's incoming mail server fetches it over IMAP and the lead
gets the body and the attachment. A stranger's mail with the same token, and
a mail Odoo cannot route, are fetched in the same run.

Needs: ``odoo`` importable, PostgreSQL reachable through ``PGHOST``/``PGPORT``/
``PGUSER``, ``dovecot`` installed and this process running as root (dovecot
drops to the ``nobody`` account for the mailbox), and ``aiosmtpd``.
"""

import base64
import email
import email.policy
import imaplib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from xmlrpc import client as xmlrpclib

import pytest

ROOT = Path(__file__).resolve().parent.parent
DB = os.environ.get("CRM_SUPPORT_E2E_DB")
MAILBOX_USER, MAILBOX_PASSWORD = "catchall", "catchall-secret"
# a second mailbox of the same dovecot, read by a POP incoming mail server
POP_USER = "catchall-pop"
WAIT = 60  # seconds any one thing may take before the test gives up

pytestmark = [
    pytest.mark.skipif(not DB, reason="CRM_SUPPORT_E2E_DB names no demo database"),
    pytest.mark.skipif(not shutil.which("dovecot"), reason="dovecot is missing"),
]


def _free_port(variable):
    if os.environ.get(variable):
        return int(os.environ[variable])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until(check, what):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        threading.Event().wait(0.2)
    raise AssertionError(f"gave up waiting for {what}")


# --- the servers ----------------------------------------------------------


class Capture:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []
        self.received = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        with self.received:
            self.messages.append(
                (
                    list(envelope.rcpt_tos),
                    email.message_from_bytes(
                        envelope.content, policy=email.policy.SMTP
                    ),
                )
            )
            self.received.notify_all()
        return "250 OK"

    def wait_for(self, predicate):
        with self.received:
            found = self.received.wait_for(
                lambda: [m for m in self.messages if predicate(m[1])], timeout=WAIT
            )
        assert found, "the SMTP server received no such message"
        return found


@pytest.fixture(scope="module")
def smtp_server():
    from aiosmtpd.controller import Controller

    capture = Capture()
    port = _free_port("CRM_SUPPORT_LEADS_SMTP_PORT")
    controller = Controller(capture, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, capture
    controller.stop()


@pytest.fixture(scope="module")
def imap_server():
    """A dovecot of its own: config, base dir, one mailbox, loopback only."""
    port = _free_port("CRM_SUPPORT_LEADS_IMAP_PORT")
    pop_port = _free_port("CRM_SUPPORT_LEADS_POP_PORT")
    base = Path(tempfile.mkdtemp(prefix="crm_support_dovecot_"))
    base.chmod(0o755)
    home = base / "home"
    home.mkdir()
    shutil.chown(home, "nobody", "nogroup")
    (base / "passwd").write_text(
        f"{MAILBOX_USER}:{{PLAIN}}{MAILBOX_PASSWORD}\n"
        f"{POP_USER}:{{PLAIN}}{MAILBOX_PASSWORD}\n"
    )
    (base / "dovecot.conf").write_text(
        f"""
base_dir = {base}/run
state_dir = {base}/state
instance_name = crm_support_{port}
log_path = {base}/dovecot.log
protocols = imap pop3
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/passwd
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={home}/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    address = 127.0.0.1
    port = {pop_port}
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0600
  }}
  unix_listener stats-writer {{
    mode = 0600
  }}
}}
"""
    )
    process = subprocess.Popen(["dovecot", "-F", "-c", str(base / "dovecot.conf")])

    def connects():
        try:
            with imaplib.IMAP4("127.0.0.1", port) as imap:
                imap.login(MAILBOX_USER, MAILBOX_PASSWORD)
                return True
        except OSError:
            return False

    try:
        _wait_until(connects, "dovecot")
        yield port, pop_port
    finally:
        process.terminate()
        process.wait(WAIT)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def odoo_url():
    """An Odoo server of this module, with outgoing mail allowed."""
    import odoo

    here = Path(odoo.__file__).resolve().parent
    addons = [
        str(p)
        for p in (here.parent / "addons", here / "addons")
        if (p / "crm").is_dir()
    ]
    port = _free_port("CRM_SUPPORT_LEADS_HTTP_PORT")
    log = Path(tempfile.mkstemp(prefix="crm_support_leads_odoo_", suffix=".log")[1])
    command = [
        sys.executable,
        "-m",
        "odoo",
        f"--addons-path={','.join([*addons, str(ROOT)])}",
        f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
        f"--db_port={os.environ.get('PGPORT', '5432')}",
        f"--db_user={os.environ.get('PGUSER', 'odoo')}",
        "-d",
        DB,
        f"--db-filter=^{DB}$",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        "--workers=0",
        "--max-cron-threads=0",
        f"--logfile={log}",
    ]
    process = subprocess.Popen(command)
    url = f"http://127.0.0.1:{port}"

    def healthy():
        try:
            with urllib.request.urlopen(f"{url}/web/health", timeout=5) as response:
                return response.status == 200
        except OSError:
            return False

    try:
        _wait_until(healthy, "Odoo's /web/health")
        yield url
    finally:
        process.terminate()
        process.wait(WAIT)


class Rpc:
    def __init__(self, url, login, password):
        common = xmlrpclib.ServerProxy(f"{url}/xmlrpc/2/common")
        self.uid = common.authenticate(DB, login, password, {})
        assert self.uid, f"cannot log in as {login}"
        self.password = password
        self.models = xmlrpclib.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(
            DB, self.uid, self.password, model, method, list(args), kwargs
        )


@pytest.fixture(scope="module")
def setup(odoo_url, smtp_server, imap_server):
    """Outgoing and incoming mail servers pointed at the loopback ones."""
    imap_port, pop_port = imap_server
    admin = Rpc(odoo_url, "admin", "admin")
    user1 = Rpc(odoo_url, "user1", "user1")
    smtp_port, capture = smtp_server
    mail_server = admin(
        "ir.mail_server",
        "create",
        {
            "name": "crm_support loopback SMTP",
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp_port,
            "smtp_encryption": "none",
            "sequence": 0,
        },
    )
    fetchmail = admin(
        "fetchmail.server",
        "create",
        {
            "name": "crm_support loopback IMAP",
            "server_type": "imap",
            "server": "127.0.0.1",
            "port": imap_port,
            "is_ssl": False,
            "user": MAILBOX_USER,
            "password": MAILBOX_PASSWORD,
        },
    )
    pop = admin(
        "fetchmail.server",
        "create",
        {
            "name": "crm_support loopback POP",
            "server_type": "pop",
            "server": "127.0.0.1",
            "port": pop_port,
            "is_ssl": False,
            "user": POP_USER,
            "password": MAILBOX_PASSWORD,
        },
    )
    admin("fetchmail.server", "button_confirm_login", [fetchmail, pop])
    ana = admin(
        "ir.model.data", "check_object_reference", "crm_support", "res_partner_ana_demo"
    )[1]
    lead = user1(
        "crm.lead",
        "create",
        {
            "name": f"E2E lead {uuid.uuid4().hex[:8]}",
            "type": "opportunity",
            "partner_id": ana,
        },
    )
    yield {
        "admin": admin,
        "user1": user1,
        "capture": capture,
        "fetchmail": fetchmail,
        "pop": pop,
        "imap_port": imap_port,
        "lead": lead,
    }
    admin("crm.lead", "unlink", [lead])
    admin("fetchmail.server", "unlink", [fetchmail, pop])
    admin("ir.mail_server", "unlink", [mail_server])


def _append(imap_port, message, user=MAILBOX_USER):
    with imaplib.IMAP4("127.0.0.1", imap_port) as imap:
        imap.login(user, MAILBOX_PASSWORD)
        status, _data = imap.append("INBOX", None, None, message.as_bytes())
        assert status == "OK"


def _unseen(imap_port, user=MAILBOX_USER, criteria="UNSEEN"):
    with imaplib.IMAP4("127.0.0.1", imap_port) as imap:
        imap.login(user, MAILBOX_PASSWORD)
        imap.select("INBOX")
        _status, data = imap.search(None, criteria)
        return data[0].split()


# --- the test -------------------------------------------------------------


def test_reply_by_email_round_trip(setup):
    admin, user1, capture = setup["admin"], setup["user1"], setup["capture"]
    lead = setup["lead"]
    token = f"[Lead#{lead}]"

    # user1 answers the lead by e-mail, with a file
    offer = user1(
        "ir.attachment",
        "create",
        {
            "name": "offer.pdf",
            "datas": base64.b64encode(b"%PDF-1.4 offer").decode(),
            "res_model": "crm_support.lead.reply",
            "res_id": 0,
        },
    )
    reply = user1(
        "crm_support.lead.reply",
        "create",
        {"lead_id": lead, "attachment_ids": [(6, 0, [offer])]},
    )
    user1("crm_support.lead.reply", "action_send", [reply])

    # Odoo sent it through the loopback SMTP server: token, copy, Reply-To
    ((recipients, sent),) = capture.wait_for(lambda m: token in (m["Subject"] or ""))
    reference = email.utils.parseaddr(sent["Reply-To"])[1]
    assert "ana.garcia@customer-a.example.com" in recipients
    assert reference in recipients, "the reference mailbox gets a copy"
    assert reference in sent["Cc"]
    assert sent["Subject"].startswith(token)
    assert [p.get_filename() for p in sent.iter_attachments()] == ["offer.pdf"]

    # the customer answers "Reply all", with a signed copy
    answer = EmailMessage()
    answer["From"] = "Ana García <ana.garcia@customer-a.example.com>"
    answer["To"] = sent["Reply-To"]
    answer["Cc"] = sent["Cc"]
    answer["Subject"] = f"RE: {sent['Subject']}"
    answer["Message-ID"] = make_msgid(domain="customer-a.example.com")
    answer["In-Reply-To"] = sent["Message-ID"]
    answer["References"] = sent["Message-ID"]
    answer.set_content("Signed, here it is.")
    answer.add_attachment(
        b"%PDF-1.4 signed", maintype="application", subtype="pdf", filename="signed.pdf"
    )
    # the same token from a stranger, without any reference
    forged = EmailMessage()
    forged["From"] = "mallory@attacker.example.net"
    forged["To"] = sent["Reply-To"]
    forged["Subject"] = f"Re: {token} invoice update"
    forged["Message-ID"] = make_msgid(domain="attacker.example.net")
    forged.set_content("Pay to this new account.")
    # and a mail Odoo has no route for: kept for a retry, not lost
    stray = EmailMessage()
    stray["From"] = "someone@example.org"
    stray["To"] = "nobody@unrouted.example.org"
    stray["Subject"] = f"Stray {uuid.uuid4().hex[:8]}"
    stray["Message-ID"] = make_msgid(domain="example.org")
    stray.set_content("Where does this go?")
    for message in (answer, forged, stray):
        _append(setup["imap_port"], message)
    assert len(_unseen(setup["imap_port"])) == 3

    # Odoo's incoming mail server fetches them over IMAP
    admin("fetchmail.server", "fetch_mail", [setup["fetchmail"]])
    assert _unseen(setup["imap_port"]) == []

    messages = user1(
        "mail.message",
        "search_read",
        [
            ("model", "=", "crm.lead"),
            ("res_id", "=", lead),
            ("message_type", "=", "email"),
        ],
        fields=["body", "attachment_ids", "email_from"],
    )
    assert len(messages) == 1, "only the customer's answer lands on the lead"
    assert "Signed, here it is." in messages[0]["body"]
    (signed,) = user1(
        "ir.attachment",
        "read",
        messages[0]["attachment_ids"],
        fields=["name", "datas", "res_model", "res_id"],
    )
    assert signed["name"] == "signed.pdf"
    assert base64.b64decode(signed["datas"]) == b"%PDF-1.4 signed"
    assert (signed["res_model"], signed["res_id"]) == ("crm.lead", lead)

    # the stranger's mail waits in the held mail, where user1 sees it
    held = user1(
        "crm_support.held.mail",
        "search_read",
        [("named_lead_ids", "in", [lead])],
        fields=["reason", "state", "email_from"],
    )
    assert [(h["reason"], h["state"]) for h in held] == [("stranger", "held")]
    failed = admin(
        "crm_support.held.mail",
        "search_read",
        [("subject", "=", str(stray["Subject"]))],
        fields=["reason", "state", "error"],
    )
    assert [(f["reason"], f["state"]) for f in failed] == [("error", "failed")]
    assert "No possible route" in failed[0]["error"]
    admin("crm_support.held.mail", "unlink", [h["id"] for h in held + failed])


def test_web_form_lead_reaches_user1_pipeline(setup, odoo_url):
    admin, user1 = setup["admin"], setup["user1"]
    write_group = admin(
        "ir.model.data",
        "check_object_reference",
        "crm_support",
        "crm_support_group_write",
    )[1]
    form_user = admin(
        "res.users",
        "create",
        {
            "name": "E2E web form",
            "login": f"e2e_form_{uuid.uuid4().hex[:8]}",
            "groups_id": [(6, 0, [write_group])],
        },
    )
    try:
        action = admin("res.users", "action_new_lead_form_key", [form_user])
        email_address = f"visitor.{uuid.uuid4().hex[:8]}@pfms.example.com"
        request = urllib.request.Request(
            f"{odoo_url}/crm_support/leads",
            data=urllib.parse.urlencode(
                {
                    "api_key": action["context"]["default_key"],
                    "name": "Jimmy Rodriguez",
                    "email": email_address,
                    "company": "PFMS",
                    "country": "ES",
                    "comments": "Please call me.",
                    "user_id": "1",
                    "homepage": "",
                }
            ).encode(),
        )
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            assert response.status == 201
            answer = json.load(response)
        assert answer["ignored"] == ["user_id"]
        # user1's pipeline (the Support CRM > Leads action) shows it
        found = user1(
            "crm.lead",
            "search_read",
            [("email_from", "=", email_address)],
            fields=["user_id", "name"],
        )
        assert found == [
            {"id": answer["id"], "user_id": False, "name": "PFMS, Jimmy Rodriguez"}
        ]
        admin("crm.lead", "unlink", [answer["id"]])
    finally:
        admin("res.users", "write", [form_user], {"active": False})


def test_pop_server_routes_by_token(setup):
    """The same routing through a POP incoming mail server."""
    admin, user1, lead = setup["admin"], setup["user1"], setup["lead"]
    reply = EmailMessage()
    reply["From"] = "ana.garcia@customer-a.example.com"
    reply["To"] = "catchall@example.com"
    reply["Subject"] = f"AW: [Lead#{lead}] over POP"
    reply["Message-ID"] = make_msgid(domain="customer-a.example.com")
    reply.set_content("Sent over POP.")
    reply.add_attachment(
        b"pop file", maintype="text", subtype="plain", filename="pop.txt"
    )
    stray = EmailMessage()
    stray["From"] = "someone@example.org"
    stray["To"] = "nobody@unrouted.example.org"
    stray["Subject"] = f"POP stray {uuid.uuid4().hex[:8]}"
    stray["Message-ID"] = make_msgid(domain="example.org")
    stray.set_content("No route.")
    for message in (reply, stray):
        _append(setup["imap_port"], message, user=POP_USER)

    admin("fetchmail.server", "fetch_mail", [setup["pop"]])

    # POP deletes what Odoo took: both, the stray one being kept in Odoo
    assert _unseen(setup["imap_port"], user=POP_USER, criteria="ALL") == []
    (message,) = user1(
        "mail.message",
        "search_read",
        [("model", "=", "crm.lead"), ("res_id", "=", lead), ("subject", "like", "POP")],
        fields=["body", "attachment_ids"],
    )
    assert "Sent over POP." in message["body"]
    (pop_file,) = user1(
        "ir.attachment", "read", message["attachment_ids"], fields=["datas"]
    )
    assert base64.b64decode(pop_file["datas"]) == b"pop file"
    failed = admin(
        "crm_support.held.mail",
        "search_read",
        [("subject", "=", str(stray["Subject"]))],
        fields=["state"],
    )
    assert [f["state"] for f in failed] == ["failed"]
    admin("crm_support.held.mail", "unlink", [f["id"] for f in failed])
