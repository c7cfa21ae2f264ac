#!/usr/bin/env python3
"""Integria CSV import of companies against Odoo's standard import.

Writes N companies (10,000 by default) as an Integria file (no header, the
documented columns, two custom fields) and the same rows as a file in Odoo's
own import format (a header of field names), then, in the same run and from
the same database state, imports the first through the crm_support wizard
(reading the file, detecting its encoding and separator, mapping, importing)
and the second through Odoo's base_import wizard (``execute_import``, file
parsing included). Both run as the administrator user, through the ORM, and
both imports are rolled back. The two run in alternation for --rounds rounds
(3 by default). Prints the median rows per second of each, their ratio
(target: at least 2) and the ratio of each round.

Usage (from the repository root, PostgreSQL reachable as PGHOST/PGPORT/PGUSER):

    python3 bench/import.py                 # a fresh database
    python3 bench/import.py --db mydb       # a db with crm_support
    python3 bench/import.py --count 2000 --rounds 1

Without --db it drops and creates ``import_bench`` (a copy of
``--template-db`` when given, a database with crm, contacts and mail) and
installs crm_support there. Nothing the benchmark creates is committed.
"""

import base64
import csv
import io
import statistics
import time

from _odoo import bench_database, odoo_options, parse_bench_args

import odoo

COUNTRIES = ["Spain", "France", "Germany", "Poland", "Portugal", "Italy"]
ROLES = ["Customer", "Supplier", "Partner"]
ODOO_FIELDS = [
    "name",
    "street",
    "vat",
    "country_id",
    "website",
    "comment",
    "role_id",
    "parent_company_id/id",
    "owner_id",
    "last_activity",
    "payment_terms",
    "properties.product",
    "properties.users",
]


def setup(env):
    """Custom fields, roles, owners and a parent company, all with Integria ids."""
    env.company.crm_company_properties_definition = [
        {"name": "licensing", "string": "Licensing", "type": "separator"},
        {"name": "product", "string": "Product", "type": "char"},
        {"name": "users", "string": "Users", "type": "integer"},
    ]
    for integria_id, name in enumerate(ROLES, 1):
        env["crm_support.company.role"].create(
            {"name": f"Bench {name}", "integria_id": integria_id}
        )
    owners = env["res.users"].create(
        [
            {
                "name": f"Bench Owner {number}",
                "login": f"bench_owner_{number}",
                "groups_id": [
                    odoo.Command.link(
                        env.ref("crm_support.crm_support_group_manage").id
                    )
                ],
            }
            for number in range(5)
        ]
    )
    env["crm_support.company"].create(
        {
            "name": "Bench Parent",
            "owner_id": env.ref("base.user_admin").id,
            "integria_id": 1,
        }
    )
    return owners.mapped("login")


def rows(count, logins):
    """The companies, as the values of Integria's documented columns."""
    for number in range(count):
        yield [
            f"Empresa {number:05d} Łódź",
            f"Calle Mayor {number}, {number % 90 + 10}001",
            f"ES{number:08d}X",
            COUNTRIES[number % len(COUNTRIES)],
            f"https://company{number}.example.com",
            f"Imported company {number}",
            str(number % len(ROLES) + 1),
            "1" if number % 2 else "",
            logins[number % len(logins)],
            f"2024-{number % 12 + 1:02d}-{number % 28 + 1:02d} 10:30:00",
            f"{number % 4 * 30} days",
            "Integria" if number % 3 else "Pandora FMS",
            str(number % 500),
        ]


def integria_file(count, logins):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows(count, logins))
    return out.getvalue().encode()


def odoo_file(count, logins):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ODOO_FIELDS)
    for values in rows(count, logins):
        values[6] = f"Bench {ROLES[int(values[6]) - 1]}"
        values[7] = "integria_import.company_1" if values[7] else ""
        writer.writerow(values)
    return out.getvalue().encode()


def import_integria(env, data):
    wizard = env["crm_support.company.import"].create(
        {"file": base64.b64encode(data), "filename": "companies.csv"}
    )
    wizard.action_read_file()
    wizard.action_import()
    assert wizard.state == "done" and not wizard.error_count, wizard.issues
    return wizard.create_count


def import_odoo(env, data):
    wizard = env["base_import.import"].create(
        {
            "res_model": "crm_support.company",
            "file": data,
            "file_name": "companies.csv",
            "file_type": "text/csv",
        }
    )
    options = {
        "quoting": '"',
        "separator": ",",
        "encoding": "utf-8",
        "has_headers": True,
        "date_format": "%Y-%m-%d",
        "datetime_format": "%Y-%m-%d %H:%M:%S",
        "float_thousand_separator": ",",
        "float_decimal_separator": ".",
    }
    result = wizard.execute_import(ODOO_FIELDS, ODOO_FIELDS, options)
    errors = [message for message in result["messages"] if message["type"] == "error"]
    assert not errors, errors[:3]
    return len(result["ids"])


def timed(env, function, data):
    """Seconds to import ``data``, then roll the import back."""
    savepoint = env.cr.savepoint()
    started = time.perf_counter()
    created = function(env, data)
    env.cr.flush()
    elapsed = time.perf_counter() - started
    savepoint.close(rollback=True)
    env.invalidate_all()
    return elapsed, created


def main():
    args = parse_bench_args(__doc__.splitlines()[0], "import_bench", 10000, 3, 18609)
    db = bench_database(args)
    odoo.tools.config.parse_config(odoo_options(args, db))
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        logins = setup(env)
        admin = env.ref("base.user_admin")
        env = env(user=admin.id, context=dict(admin.context_get()))
        integria_data = integria_file(args.count, logins)
        odoo_data = odoo_file(args.count, logins)

        # warm up: caches, the first queries of each path
        timed(env, import_integria, integria_file(100, logins))
        timed(env, import_odoo, odoo_file(100, logins))

        # the two in alternation, each round starting with the other, so that
        # a change of the machine's load weighs on both sides alike
        timings = {import_integria: [], import_odoo: []}
        for round_number in range(args.rounds):
            pair = [(import_odoo, odoo_data), (import_integria, integria_data)]
            for function, data in pair[:: 1 if round_number % 2 == 0 else -1]:
                elapsed, created = timed(env, function, data)
                assert created == args.count, created
                timings[function].append(elapsed)
        ours, theirs = timings[import_integria], timings[import_odoo]
        ours_rate = args.count / statistics.median(ours)
        odoo_rate = args.count / statistics.median(theirs)
        print(
            f"{args.count} companies, median of {args.rounds} rounds: "
            f"Integria CSV wizard {ours_rate:.0f} rows/s, "
            f"Odoo base_import {odoo_rate:.0f} rows/s, "
            f"ratio {ours_rate / odoo_rate:.2f} (target >= 2); per round: "
            + ", ".join(
                f"{mine / other:.2f}"
                for mine, other in zip(
                    [args.count / t for t in ours],
                    [args.count / t for t in theirs],
                    strict=True,
                )
            )
        )
        cr.rollback()


if __name__ == "__main__":
    main()
