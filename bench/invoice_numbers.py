#!/usr/bin/env python3
"""Invoice numbers under concurrent creation: duplicates, gaps, failures, speed.

Four worker processes create 250 sent invoices each at the same time (one
invoice per transaction, each through ``odoo.service.model.retrying``, which is
what a web or XML-RPC request does: on a serialization failure it rolls back,
waits a random moment and tries again, five times at most). Then one worker
creates 1,000 alone. For both runs it prints the duplicate numbers, the gaps in
the sequence, the failed transactions (rolled back and retried) and the errors
a user would have seen (all tries failed); and the throughput of the four
workers as a ratio to the single worker's.

The same two runs are then made with Odoo's own gapless mechanism, an
``ir.sequence`` with implementation "no_gap" (``next_by_id`` takes the number,
typed into the invoice), on the same invoices: Odoo's equivalent, measured in
the same run.

Each worker creates the invoices of a CRM company of its own (``--same-company``
makes them share one: then every invoice also updates the same company's last
activity, and transactions collide on that row).

Run it where ``python3 -c "import odoo"`` works, against a database with
crm_support installed, reached through the libpq variables (``PGHOST``,
``PGPORT``, ``PGUSER``)::

    python3 bench/invoice_numbers.py -d invoices_bench
    python3 bench/invoice_numbers.py -d invoices_bench --template tmpl_crm

``--template`` first creates the database from that template and installs
crm_support in it. The invoices, companies and sequences made by the run are
deleted at the end unless ``--keep`` is given; the CRM settings are restored.
"""

import argparse
import logging
import multiprocessing
import time
import uuid

from _odoo import addons_path, db_args, fresh_database

LINES = [("Support hours", 450.0), ("Licence", 1200.0)]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--template", help="create the database from this one")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--per-worker", type=int, default=250)
    parser.add_argument("--same-company", action="store_true")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--skip-odoo", action="store_true", help="skip the ir.sequence comparison"
    )
    return parser.parse_args()


def odoo_args(database):
    return [f"--addons-path={addons_path()}", *db_args(), f"--database={database}"]


def worker(database, uid, company_id, count, mode, sequence_id, barrier, results):
    """Create ``count`` invoices, one transaction each, as a request would."""
    # Odoo is imported once the arguments are known (see main)
    from odoo import Command, api
    from odoo.modules.registry import Registry
    from odoo.service.model import retrying

    registry = Registry(database)
    # a refused NOWAIT lock of ir.sequence is logged as an error by Odoo; the
    # run counts those failures itself
    logging.getLogger("odoo.sql_db").setLevel(logging.CRITICAL)
    attempts = errors = 0
    barrier.wait()
    for _index in range(count):
        with registry.cursor() as cr:
            env = api.Environment(cr, uid, {})

            def create(env=env):
                nonlocal attempts
                attempts += 1
                vals = {
                    "crm_company_id": company_id,
                    "kind": "sent",
                    "line_ids": [
                        Command.create({"name": name, "amount": amount})
                        for name, amount in LINES
                    ],
                    "tax_ids": [Command.create({"name": "VAT", "percent": 21.0})],
                }
                if mode == "odoo":
                    sequence = env["ir.sequence"].browse(sequence_id)
                    vals["invoice_number"] = sequence.next_by_id()
                env["crm_support.invoice"].create(vals)

            try:
                retrying(create, env)
            except Exception:  # what the user would have seen
                errors += 1
    results.put((attempts, errors))


def run(args, env_info, mode, workers, per_worker, prefix):
    """One timed run; returns its figures."""
    from odoo.sql_db import close_all

    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(workers + 1)
    results = context.Queue()
    companies = env_info["companies"]
    processes = [
        context.Process(
            target=worker,
            args=(
                args.database,
                env_info["uid"],
                companies[0] if args.same_company else companies[index],
                per_worker,
                mode,
                env_info["sequences"].get(prefix),
                barrier,
                results,
            ),
        )
        for index in range(workers)
    ]
    # the workers open connections of their own
    close_all()
    for process in processes:
        process.start()
    barrier.wait()
    start = time.perf_counter()
    figures = [results.get() for _process in processes]
    elapsed = time.perf_counter() - start
    for process in processes:
        process.join()
    attempts = sum(attempt for attempt, _errors in figures)
    errors = sum(error for _attempts, error in figures)
    created = workers * per_worker - errors
    return {
        "elapsed": elapsed,
        "created": created,
        "failed": attempts - workers * per_worker,
        "errors": errors,
    }


def check_numbers(registry, prefix):
    """Duplicates and gaps among the numbers starting with ``prefix``."""
    with registry.cursor() as cr:
        cr.execute(
            "SELECT invoice_number FROM crm_support_invoice "
            "WHERE kind = 'sent' AND invoice_number LIKE %s",
            [prefix.replace("_", "\\_") + "%"],
        )
        numbers = [number for (number,) in cr.fetchall()]
    positions = [int(number[len(prefix) :]) for number in numbers]
    distinct = set(positions)
    duplicates = len(positions) - len(distinct)
    gaps = (max(distinct) - min(distinct) + 1 - len(distinct)) if distinct else 0
    return len(numbers), duplicates, gaps


def main():
    args = parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.template:
        fresh_database(args.database, args.template, ("--no-http",))

    import odoo
    from odoo import SUPERUSER_ID, Command, api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config([*odoo_args(args.database), "--no-http"])
    logging.getLogger("odoo").setLevel(logging.WARNING)
    registry = Registry(args.database)
    run_id = uuid.uuid4().hex[:6].upper()

    # companies, sequences and settings of this run, committed for the workers
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        company = env.ref("base.main_company")
        saved = {
            "crm_invoice_auto_number": company.crm_invoice_auto_number,
            "crm_invoice_number_pattern": company.crm_invoice_number_pattern,
        }
        admin = env.ref("base.user_admin")
        crm_companies = env["crm_support.company"].create(
            [
                {"name": f"Bench {run_id} customer {index}", "owner_id": admin.id}
                for index in range(args.workers)
            ]
        )
        sequences = {}
        for label in ("O1", "O4"):
            prefix = f"{run_id}{label}-"
            sequences[prefix] = (
                env["ir.sequence"]
                .create(
                    {
                        "name": f"Bench {prefix}",
                        "implementation": "no_gap",
                        "prefix": prefix,
                        "padding": 5,
                    }
                )
                .id
            )
        env_info = {
            "uid": admin.id,
            "companies": crm_companies.ids,
            "sequences": sequences,
        }

    def set_pattern(prefix):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.ref("base.main_company").write(
                {
                    "crm_invoice_auto_number": True,
                    "crm_invoice_number_pattern": f"{prefix}[00001]",
                }
            )

    # warm the caches the workers inherit: the first invoices of a process
    # compile views, rules and queries, which is not what is measured
    set_pattern(f"{run_id}W-")
    with registry.cursor() as cr:
        env = api.Environment(cr, env_info["uid"], {})
        for _index in range(10):
            env["crm_support.invoice"].create(
                {
                    "crm_company_id": env_info["companies"][0],
                    "line_ids": [
                        Command.create({"name": name, "amount": amount})
                        for name, amount in LINES
                    ],
                    "tax_ids": [Command.create({"name": "VAT", "percent": 21.0})],
                }
            )
        cr.rollback()

    total = args.workers * args.per_worker
    rows = []
    plans = [("crm_support", f"{run_id}C1-", f"{run_id}C4-")]
    if not args.skip_odoo:
        plans.append(("odoo", f"{run_id}O1-", f"{run_id}O4-"))
    try:
        for mode, single_prefix, parallel_prefix in plans:
            figures = {}
            for workers, prefix in (
                (1, single_prefix),
                (args.workers, parallel_prefix),
            ):
                if mode == "crm_support":
                    set_pattern(prefix)
                per_worker = total // workers
                figures[workers] = run(
                    args, env_info, mode, workers, per_worker, prefix
                )
                figures[workers]["numbers"] = check_numbers(registry, prefix)
            rows.append((mode, figures))
    finally:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            env.ref("base.main_company").write(saved)
            if not args.keep:
                companies = env["crm_support.company"].browse(env_info["companies"])
                env["crm_support.invoice"].search(
                    [("crm_company_id", "in", companies.ids)]
                ).unlink()
                partners = companies.partner_id
                companies.unlink()
                partners.unlink()
                env["ir.sequence"].browse(list(sequences.values())).unlink()

    titles = {
        "crm_support": "crm_support numbering (probe the unique index)",
        "odoo": "Odoo ir.sequence no_gap, number typed into the invoice",
    }
    print(
        f"{total} sent invoices: {args.workers} workers x {args.per_worker} "
        f"against 1 worker x {total}"
        + (", all for one company" if args.same_company else ", a company each")
    )
    for mode, figures in rows:
        print(f"\n{titles[mode]}")
        for workers in (args.workers, 1):
            fig = figures[workers]
            count, duplicates, gaps = fig["numbers"]
            print(
                f"  {workers} worker(s): {count} numbered, {duplicates} duplicates, "
                f"{gaps} gaps, {fig['failed']} failed transactions (retried), "
                f"{fig['errors']} errors shown to users, "
                f"{fig['created'] / fig['elapsed']:.1f} invoices/s"
            )
        parallel, single = figures[args.workers], figures[1]
        ratio = (parallel["created"] / parallel["elapsed"]) / (
            single["created"] / single["elapsed"]
        )
        print(f"  throughput ratio {args.workers} workers / 1 worker: {ratio:.2f}")
    own = dict(rows)["crm_support"]
    if len(rows) > 1:
        odoo_rows = dict(rows)["odoo"]
        mine = own[args.workers]["created"] / own[args.workers]["elapsed"]
        theirs = odoo_rows[args.workers]["created"] / odoo_rows[args.workers]["elapsed"]
        print(
            f"\n{args.workers} workers, crm_support / Odoo no_gap throughput: "
            f"{mine / theirs:.2f}"
        )


if __name__ == "__main__":
    main()
