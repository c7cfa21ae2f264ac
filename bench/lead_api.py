"""Leads per second through the web-form endpoint against XML-RPC ``create``.

Usage: python3 bench/lead_api.py -d DATABASE [--count 300] [--port PORT]

Starts one Odoo server on the database and creates the same leads, as the
same CRM Write user, through ``POST /crm_support/leads`` (a web-form key)
and through XML-RPC ``crm.lead.create`` (a general API key), one lead each
way in turn, so that both see the same load of a shared machine. The rate
limits are lifted for the run; the leads, keys and user are deleted at the
end. Prints both rates and endpoint / XML-RPC (target: at least 1). Integria's
``create_lead`` call (``GET /integria/include/api.php``, the same key) runs
in the same turns and is printed against XML-RPC too.
"""

import argparse
import http.client
import time
import urllib.parse
import uuid
from xmlrpc import client as xmlrpclib

from _odoo import free_port, odoo_server, registry

LIMITS = (
    "crm_support.lead_intake_max_per_address",
    "crm_support.lead_intake_max_per_key",
)


def prepare(db):
    """A Write user with both keys, and the limits lifted; returns the undo."""
    from odoo import SUPERUSER_ID, api

    with registry(db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        user = env["res.users"].create(
            {
                "name": "Bench web form",
                "login": f"bench_form_{uuid.uuid4().hex[:8]}",
                "groups_id": [
                    (6, 0, [env.ref("crm_support.crm_support_group_write").id])
                ],
            }
        )
        form_key = env["crm_support.lead.intake"]._intake_generate_key(user, "bench")
        rpc_key = (
            env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate(None, "bench", None)
        )
        params = env["ir.config_parameter"]
        saved = {name: params.get_param(name) for name in LIMITS}
        for name in LIMITS:
            params.set_param(name, "1000000")
        return user.id, form_key, rpc_key, saved


def cleanup(db, user_id, saved):
    from odoo import SUPERUSER_ID, api

    with registry(db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["crm.lead"].with_context(active_test=False).search(
            [("create_uid", "=", user_id)]
        ).unlink()
        for name, value in saved.items():
            env["ir.config_parameter"].set_param(name, value or False)
        env["res.users"].browse(user_id).unlink()


def form(i, run):
    return {
        "name": f"Visitor {i}",
        "email": f"visitor{i}.{run}@bench.example.com",
        "company": "Bench Ltd",
        "role": "Buyer",
        "country": "ES",
        "comments": "Please send me an offer.\nThanks.",
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    user_id, form_key, rpc_key, saved = prepare(args.database)
    run = uuid.uuid4().hex[:6]
    port = args.port or free_port()
    try:
        with odoo_server(args.database, port) as url:
            endpoint = http.client.HTTPConnection("127.0.0.1", port)
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Api-Key": form_key,
            }
            models = xmlrpclib.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
            spain = models.execute_kw(
                args.database,
                user_id,
                rpc_key,
                "res.country",
                "search",
                [[("code", "=", "ES")]],
            )[0]
            timings = {"endpoint": 0.0, "xmlrpc": 0.0, "integria": 0.0}
            login = models.execute_kw(
                args.database,
                user_id,
                rpc_key,
                "res.users",
                "read",
                [[user_id]],
                {"fields": ["login"]},
            )[0]["login"]

            def through_endpoint(i):
                body = urllib.parse.urlencode(form(i, run))
                endpoint.request("POST", "/crm_support/leads", body, headers)
                response = endpoint.getresponse()
                response.read()
                assert response.status == 201, response.status

            def through_integria(i):
                values = form(i, f"{run}i")
                params = ",".join(
                    urllib.parse.quote_plus(values[name])
                    for name in ("name", "company", "email", "country")
                )
                params += ",0,0,,,{},,,{},1,0".format(
                    urllib.parse.quote_plus(values["role"]),
                    urllib.parse.quote_plus(values["comments"]),
                )
                query = urllib.parse.urlencode(
                    {"user": login, "pass": form_key, "op": "create_lead"}
                )
                path = f"/integria/include/api.php?{query}&params={params}"
                endpoint.request("GET", path)
                response = endpoint.getresponse()
                # Integria's answer: 1, the new lead's id in a header
                body = response.read()
                assert (response.status, body) == (200, b"1"), (response.status, body)
                assert response.getheader("X-Crm-Support-Lead-Id"), response.headers

            def through_xmlrpc(i):
                values = form(i, f"{run}x")
                models.execute_kw(
                    args.database,
                    user_id,
                    rpc_key,
                    "crm.lead",
                    "create",
                    [
                        {
                            "name": f"{values['company']}, {values['name']}",
                            "contact_name": values["name"],
                            "partner_name": values["company"],
                            "email_from": values["email"],
                            "function": values["role"],
                            "country_id": spain,
                            "description": "<p>Please send me an offer.<br>"
                            "Thanks.</p>",
                            "user_id": False,
                        }
                    ],
                )

            # one lead each way in turn, alternating which goes first: both
            # ways see the same load of a shared machine
            ways = [
                ("endpoint", through_endpoint),
                ("xmlrpc", through_xmlrpc),
                ("integria", through_integria),
            ]
            for i in range(args.count):
                for name, way in ways if i % 2 else reversed(ways):
                    started = time.perf_counter()
                    way(i)
                    timings[name] += time.perf_counter() - started
            total = args.count
            endpoint_rate = total / timings["endpoint"]
            xmlrpc_rate = total / timings["xmlrpc"]
            print(f"leads per way: {total}")
            print(f"endpoint: {endpoint_rate:.1f} leads/s")
            integria_rate = total / timings["integria"]
            print(f"XML-RPC create: {xmlrpc_rate:.1f} leads/s")
            print(f"Integria create_lead: {integria_rate:.1f} leads/s")
            print(
                f"ratio Integria create_lead / XML-RPC: "
                f"{integria_rate / xmlrpc_rate:.3f} (target >= 1)"
            )
            print(
                f"ratio endpoint / XML-RPC: {endpoint_rate / xmlrpc_rate:.3f} "
                "(target >= 1)"
            )
    finally:
        cleanup(args.database, user_id, saved)


if __name__ == "__main__":
    main()
