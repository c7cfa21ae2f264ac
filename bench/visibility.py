#!/usr/bin/env python3
"""What the ownership rules cost: a CRM user's company list against an administrator's.

On a database of 100,000 CRM companies over 500 owners in 20 home companies,
it times the first page of the company list (``search_read`` of the list
view's fields, 80 rows, the model's order: by name) and the total count
(``search_count``) for two users:

- a Read user whose home company's owners hold about 5% of the companies;
- a Manage user whose home company's owners hold about 90% of them;

and divides each median by the median of the same call by the administrator
(``with_user(admin)``, not ``sudo()``: the administrator's rules are applied,
they just allow everything). All calls run in this one process, on one
cursor, interleaved, after warm-up runs, with the record cache emptied before
each call. Two tables: elapsed time, and the CPU time of this process and its
PostgreSQL backend (parallel query off), which the load of other processes
moves far less. Target: a ratio of at most 1.1 everywhere.

The data is made once per database: users and home companies through the
ORM, the 100,000 companies (partner and CRM company rows, ``parent_path``
included) with PostgreSQL's COPY, since that is setup and not what is measured.

Run it where ``python3 -c "import odoo"`` works, against any PostgreSQL the
libpq variables reach (``PGHOST``, ``PGPORT``, ``PGUSER``). With the private
cluster of ``scripts/common.sh``::

    . scripts/common.sh && pg_start "$STATE/bench-pgdata" 54359
    python3 bench/visibility.py            # creates its database, measures, drops it
    python3 bench/visibility.py --keep     # keeps the database it creates...
    python3 bench/visibility.py --explain  # ...so that later runs measure at once
    pg_stop

A database the script did not create in that run is never dropped (``dropdb
crm_support_bench_visibility`` when done). ``--template NAME`` creates the
database as a copy of one that already has crm, contacts and mail installed,
which is faster than installing them; ``--explain`` prints EXPLAIN ANALYZE of
every query of the measured calls.
"""

import argparse
import csv
import gc
import io
import os
import random
import statistics
import subprocess
import sys
import time
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = "crm_support.bench_visibility"
LIST_FIELDS = [
    "name",
    "role_id",
    "owner_id",
    "parent_company_id",
    "country_id",
    "last_activity",
]
PAGE_SIZE = 80
TARGET = 1.1


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        default="crm_support_bench_visibility",
        help="database to use; created with crm_support (no demo data) if missing",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep a database this run created (by default it is dropped)",
    )
    parser.add_argument(
        "--template",
        help="create the database as a copy of this one (e.g. one with crm)",
    )
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--owners", type=int, default=500)
    parser.add_argument("--homes", type=int, default=20)
    parser.add_argument("--runs", type=int, default=31, help="timed runs per call")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN ANALYZE the measured SQL"
    )
    return parser.parse_args()


def log(message):
    print(message, file=sys.stderr, flush=True)


# --- the database -----------------------------------------------------------


def addons_path():
    return subprocess.run(
        ["bash", "-c", ". scripts/common.sh && odoo_addons_path"],
        cwd=ROOT,
        env=dict(os.environ, PYTHON=sys.executable),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def pg_options():
    return [
        f"{option}={os.environ[variable]}"
        for variable, option in (
            ("PGHOST", "--db_host"),
            ("PGPORT", "--db_port"),
            ("PGUSER", "--db_user"),
        )
        if os.environ.get(variable)
    ]


def database_exists(name):
    import psycopg2

    with closing(psycopg2.connect(dbname="postgres")) as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return bool(cr.fetchone())


def create_database(args):
    """Create the database with crm_support installed, without demo data."""
    import psycopg2
    from psycopg2 import sql

    if args.template:
        log(f"creating {args.db} from {args.template}")
        with closing(psycopg2.connect(dbname="postgres")) as conn:
            conn.autocommit = True
            with conn.cursor() as cr:
                cr.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(args.db), sql.Identifier(args.template)
                    )
                )
    log(f"installing crm_support in {args.db}")
    # Odoo's own command creates a missing database and installs the addon
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            f"--addons-path={addons_path()}",
            *pg_options(),
            f"--database={args.db}",
            "--init=crm_support",
            "--without-demo=all",
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
        ],
        cwd=ROOT,
        check=True,
    )


def drop_database(name):
    import psycopg2
    from psycopg2 import sql

    with closing(psycopg2.connect(dbname="postgres")) as conn:
        conn.autocommit = True
        with conn.cursor() as cr:
            cr.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))


# --- the data ---------------------------------------------------------------


def home_shares(homes):
    """Each home company's share of the companies: 90%, 5%, the rest split."""
    rest = 0.05 / (homes - 2)
    return [0.90, 0.05] + [rest] * (homes - 2)


def owner_counts(owners, homes):
    """Owners per home company: half in the big one, 5% in the Read user's."""
    big, small = owners // 2, max(1, owners // 20)
    others = owners - big - small
    per_home = [others // (homes - 2)] * (homes - 2)
    for i in range(others % (homes - 2)):
        per_home[i] += 1
    return [big, small, *per_home]


def build_data(env, args):
    """Home companies, owners, the two measured users and the companies."""
    from odoo import Command

    rng = random.Random(20251203)
    env = env(context=dict(env.context, tracking_disable=True, no_reset_password=True))
    Company = env["crm_support.company"]
    admin = env.ref("base.user_admin")
    group_user = env.ref("base.group_user")
    group_read = env.ref("crm_support.crm_support_group_read")
    group_write = env.ref("crm_support.crm_support_group_write")
    group_manage = env.ref("crm_support.crm_support_group_manage")

    log("home companies and owners (ORM)")
    homes = Company.create(
        [
            {"name": f"Home company {h:02d}", "owner_id": admin.id}
            for h in range(args.homes)
        ]
    )
    roles = env["crm_support.company.role"].create(
        [{"name": f"Bench role {r}"} for r in range(5)]
    )
    owners_by_home = []
    serial = 0
    for home, count in zip(homes, owner_counts(args.owners, args.homes), strict=True):
        values = []
        for _i in range(count):
            serial += 1
            values.append(
                {
                    "name": f"Owner {serial:03d}",
                    "login": f"bench_owner_{serial:03d}",
                    "groups_id": [Command.set([group_user.id, group_write.id])],
                    "crm_company_id": home.id,
                }
            )
        owners_by_home.append(env["res.users"].create(values).ids)
    env["res.users"].create(
        [
            {
                "name": "Bench Read user",
                "login": "bench_read",
                "groups_id": [Command.set([group_user.id, group_read.id])],
                "crm_company_id": homes[1].id,
            },
            {
                "name": "Bench Manage user",
                "login": "bench_manage",
                "groups_id": [Command.set([group_user.id, group_manage.id])],
                "crm_company_id": homes[0].id,
            },
        ]
    )
    env.flush_all()

    log(f"{args.companies} companies (COPY)")
    cr = env.cr
    n = args.companies
    cr.execute("SELECT nextval('res_partner_id_seq') FROM generate_series(1, %s)", [n])
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        "SELECT nextval('crm_support_company_id_seq') FROM generate_series(1, %s)", [n]
    )
    company_ids = [row[0] for row in cr.fetchall()]
    countries = env["res.country"].search([], limit=30).ids
    now = datetime.now().replace(microsecond=0)
    odoo_company = env.company.id
    syllables = ["al", "be", "cor", "da", "el", "fo", "gra", "hu", "in", "ja", "ka"]
    shares = home_shares(args.homes)

    partners = io.StringIO()
    companies = io.StringIO()
    partner_rows = csv.writer(partners)
    company_rows = csv.writer(companies)
    cr.execute(
        "SELECT id, parent_path FROM crm_support_company WHERE id IN %s",
        [tuple(homes.ids)],
    )
    paths = dict(cr.fetchall())
    by_home = [[] for _home in homes]
    parents = {}
    for i in range(n):
        h = rng.choices(range(args.homes), shares)[0]
        owner = rng.choice(owners_by_home[h])
        company_id, partner_id = company_ids[i], partner_ids[i]
        kind = rng.random()
        if kind < 0.02:
            # a company without parent: only its owner and administrators see it
            parent = None
        elif kind < 0.15 and by_home[h]:
            # a grandchild: under another customer of the same home company
            parent = rng.choice(by_home[h])
        else:
            parent = homes[h].id
        path = f"{paths[parent]}{company_id}/" if parent else f"{company_id}/"
        paths[company_id] = path
        by_home[h].append(company_id)
        name = "".join(rng.choices(syllables, k=3)).capitalize() + f" {i:06d}"
        stamp = now - timedelta(minutes=rng.randrange(525_600))
        partner_rows.writerow(
            [
                partner_id,
                name,
                name,
                True,
                True,
                "contact",
                True,
                partner_id,
                rng.choice(countries),
                f"info@c{i}.example.com",
                "en_US",
                now,
                now,
                1,
                1,
            ]
        )
        if parent:
            parents[company_id] = parent
        company_rows.writerow(
            [
                company_id,
                partner_id,
                name,
                owner,
                path,
                rng.choice(roles.ids),
                odoo_company,
                stamp,
                now,
                now,
                1,
                1,
            ]
        )
    # the foreign key checks of COPY reuse query plans made when the tables
    # were small (sequential scans, quadratic over 100,000 rows): analyze
    # before each step, and link the parents once the companies are counted
    analyze(cr)
    partners.seek(0)
    cr.copy_expert(
        "COPY res_partner (id, name, complete_name, is_company, active, type,"
        " partner_share, commercial_partner_id, country_id, email, lang,"
        " create_date, write_date, create_uid, write_uid) FROM STDIN WITH CSV",
        partners,
    )
    analyze(cr)
    companies.seek(0)
    cr.copy_expert(
        "COPY crm_support_company (id, partner_id, sort_name, owner_id, parent_path,"
        " role_id,"
        " company_id, last_activity, create_date, write_date, create_uid,"
        " write_uid) FROM STDIN WITH CSV",
        companies,
    )
    analyze(cr)
    cr.execute("CREATE TEMPORARY TABLE bench_parent (id int, parent int)")
    cr.copy_expert(
        "COPY bench_parent FROM STDIN WITH CSV",
        io.StringIO("".join(f"{c},{p}\n" for c, p in parents.items())),
    )
    cr.execute(
        "UPDATE crm_support_company c SET parent_company_id = t.parent"
        " FROM bench_parent t WHERE c.id = t.id"
    )
    cr.execute("DROP TABLE bench_parent")
    env["ir.config_parameter"].set_param(MARKER, data_signature(args))
    env.invalidate_all()
    analyze(cr)


def analyze(cr):
    for table in ("res_partner", "res_users", "crm_support_company"):
        cr.execute(f"ANALYZE {table}")


def data_signature(args):
    return f"{args.companies}/{args.owners}/{args.homes}"


def vacuum(db):
    """Leave the tables as autovacuum keeps them: counted, visibility map set."""
    import psycopg2

    with closing(psycopg2.connect(dbname=db)) as conn:
        conn.autocommit = True
        with conn.cursor() as cr:
            for table in ("res_partner", "res_users", "crm_support_company"):
                cr.execute(f"VACUUM ANALYZE {table}")


# --- the measure ------------------------------------------------------------


def timed(env, call, clock):
    env.invalidate_all()
    gc.collect()
    gc.disable()
    try:
        start = clock()
        call()
        return clock() - start
    finally:
        gc.enable()


def cpu_clock(cr):
    """CPU seconds of this process and of its PostgreSQL backend, if local.

    Linux's schedstat counts the nanoseconds a task ran, whatever else the
    machine was doing; None when the backend is not a local process.
    """
    cr.execute("SELECT pg_backend_pid()")
    pid = cr.fetchone()[0]
    stat = Path(f"/proc/{pid}/schedstat")
    try:
        if b"postgres" not in Path(f"/proc/{pid}/cmdline").read_bytes():
            return None
        stat.read_text()
    except OSError:
        return None

    def clock():
        return time.process_time() + int(stat.read_text().split()[0]) / 1e9

    return clock


def calls_of(env, user):
    Company = env["crm_support.company"].with_user(user)
    return {
        "list page": lambda: Company.search_read([], LIST_FIELDS, limit=PAGE_SIZE),
        "count": lambda: Company.search_count([]),
    }


def explain(env, users):
    """EXPLAIN ANALYZE the queries each measured call makes."""
    from odoo.sql_db import Cursor

    queries = []
    original = Cursor.execute

    def recording(self, query, params=None, log_exceptions=True):
        queries.append((query, params))
        return original(self, query, params, log_exceptions)

    for label, user in users.items():
        for call_name, call in calls_of(env, user).items():
            env.invalidate_all()
            queries.clear()
            Cursor.execute = recording
            try:
                call()
            finally:
                Cursor.execute = original
            for query, params in list(queries):
                statement = env.cr.mogrify(query, params).decode()
                print(f"\n-- {label}, {call_name}:\n{statement}")
                env.cr.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}")
                print("\n".join(row[0] for row in env.cr.fetchall()))


def sample(env, calls, args, clock):
    """Medians of each user's calls, interleaved so that a slow moment of the
    machine hits every user alike."""
    samples = {key: [] for key in calls}
    for run in range(args.warmup + args.runs):
        for key, call in calls.items():
            elapsed = timed(env, call, clock)
            if run >= args.warmup:
                samples[key].append(elapsed)
    return {key: statistics.median(values) for key, values in samples.items()}


def report(title, medians, users, visible, total):
    print(f"\n{title}\n")
    header = (
        f"{'user':<20} {'sees':>14}  {'call':<10} {'ms':>8} {'admin ms':>9} "
        f"{'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    worst = 0.0
    for label in users:
        if label == "admin":
            continue
        share = f"{visible[label]} ({visible[label] / total:.1%})"
        for name in ("list page", "count"):
            mine, admin = medians[label, name], medians["admin", name]
            worst = max(worst, mine / admin)
            print(
                f"{label:<20} {share:>14}  {name:<10} {mine * 1000:8.2f} "
                f"{admin * 1000:9.2f} {mine / admin:6.2f}"
            )
    print(
        f"worst ratio {worst:.2f} (target {TARGET}): "
        f"{'met' if worst <= TARGET else 'NOT met'}"
    )
    return worst


def measure(env, args):
    users = {
        "admin": env.ref("base.user_admin"),
        "Read user (~5%)": env["res.users"].search([("login", "=", "bench_read")]),
        "Manage user (~90%)": env["res.users"].search([("login", "=", "bench_manage")]),
    }
    total = env["crm_support.company"].search_count([])
    calls = {
        (label, name): call
        for label, user in users.items()
        for name, call in calls_of(env, user).items()
    }
    visible = {label: calls[label, "count"]() for label in users}
    print(
        f"\ncrm_support.company: {total} companies; medians of {args.runs} runs "
        f"after {args.warmup} warm-up runs, record cache emptied before each call; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )

    worst = report(
        "Elapsed time (what a user waits; it moves with the machine's load)",
        sample(env, calls, args, time.perf_counter),
        users,
        visible,
        total,
    )
    clock = cpu_clock(env.cr)
    if clock is None:
        print("\nCPU time: PostgreSQL is not a local process, not measured")
    else:
        # one process does all the work, so that its CPU time is all of it
        env.cr.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        worst = report(
            "CPU time of this process and its PostgreSQL backend, parallel query "
            "off (what the rules cost; other processes move it far less)",
            sample(env, calls, args, clock),
            users,
            visible,
            total,
        )
    if args.explain:
        explain(env, users)
    return worst


def main():
    args = parse_args()
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    created = False
    if not database_exists(args.db):
        create_database(args)
        created = True
    try:
        odoo.tools.config.parse_config(
            [f"--addons-path={addons_path()}", *pg_options(), "--log-level=warn"]
        )
        registry = Registry(args.db)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            if "crm_support.company" not in env:
                sys.exit(f"{args.db}: crm_support is not installed")
            signature = env["ir.config_parameter"].get_param(MARKER) or None
            if signature not in (None, data_signature(args)):
                sys.exit(f"{args.db} holds other bench data ({signature})")
            if signature is None:
                build_data(env, args)
                cr.commit()
        vacuum(args.db)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            measure(env, args)
            cr.rollback()
    finally:
        if created and not args.keep:
            odoo.sql_db.close_all()
            drop_database(args.db)
            log(f"dropped {args.db}")


if __name__ == "__main__":
    main()
