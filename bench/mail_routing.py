"""Cost of routing a reply by its [Lead#N] token against Odoo's header matching.

Usage: python3 bench/mail_routing.py -d DATABASE [--count 1000]

Both kinds of reply go through Odoo's mail gateway (``message_process``) onto
the same lead, from the lead's contact, one of each kind in turn in one run:
one kind is found by Odoo's own header matching (In-Reply-To of a message of
the lead), the other has no references and is routed by the token in its
subject. Everything is rolled back at the end. Prints the cost per message of
each and the ratio token / headers (target: at most 1.1).
"""

import argparse
import time
from email.message import EmailMessage
from email.utils import make_msgid

from _odoo import registry


def raw_reply(sender, subject, in_reply_to=None):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "catchall@bench.example.com"
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="customer.example.com")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content("Thank you for the offer, we agree.")
    return message.as_bytes()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()

    from odoo import SUPERUSER_ID, api

    with registry(args.database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"mail_notify_force_send": False})
        contact = env["res.partner"].create(
            {"name": "Bench Contact", "email": "bench.contact@customer.example.com"}
        )
        lead = env["crm.lead"].create(
            {"name": "Bench lead", "partner_id": contact.id, "type": "opportunity"}
        )
        sent = lead.message_post(
            body="Our offer",
            subject=lead._lead_mail_subject("Offer"),
            partner_ids=contact.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        Thread = env["mail.thread"]
        replies = {
            "headers": lambda: raw_reply(
                contact.email, "Re: Offer", in_reply_to=sent.message_id
            ),
            "token": lambda: raw_reply(contact.email, f"Re: [Lead#{lead.id}] Offer"),
        }
        timings = {"headers": 0.0, "token": 0.0}
        # one reply of each kind in turn, alternating which goes first: both
        # see the same load of a shared machine and the same growing lead
        kinds = list(replies)
        for i in range(args.count):
            for kind in kinds if i % 2 else reversed(kinds):
                raw = replies[kind]()
                env.flush_all()
                started = time.perf_counter()
                assert Thread.message_process(None, raw) == lead.id
                env.flush_all()
                timings[kind] += time.perf_counter() - started
        total = args.count
        headers_ms = timings["headers"] / total * 1000
        token_ms = timings["token"] / total * 1000
        print(f"replies per kind: {total}")
        print(f"Odoo header matching: {headers_ms:.2f} ms per reply")
        print(f"[Lead#N] token:       {token_ms:.2f} ms per reply")
        print(f"ratio token / headers: {token_ms / headers_ms:.3f} (target <= 1.1)")
        cr.rollback()


if __name__ == "__main__":
    main()
