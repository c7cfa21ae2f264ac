# Shared helpers of scripts/serve and scripts/test (sourced, not run).
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=${CRM_SUPPORT_STATE:-$ROOT/.local}
PYTHON=${PYTHON:-python3}

say() { printf '%s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

have_odoo() { "$PYTHON" -c 'import odoo' >/dev/null 2>&1; }

# The folder holding Odoo's community addons, next to the odoo package in a
# source checkout, inside it when Odoo was installed as a package.
odoo_addons_path() {
    "$PYTHON" - "$ROOT" <<'PY'
import os, sys
import odoo
here = os.path.dirname(os.path.abspath(odoo.__file__))
paths = [os.path.join(os.path.dirname(here), "addons"), os.path.join(here, "addons")]
found = [p for p in paths if os.path.isdir(os.path.join(p, "crm"))]
print(",".join(found + [sys.argv[1]]))
PY
}

# Debian packages the addon needs at run time (PDFs) or its tests need.
apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null || die "missing packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    say "installing ${missing[*]}"
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# PostgreSQL refuses to run as root: a root caller runs it as the postgres
# account, which must then be able to reach the data folder.
pg_run() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "${PG_OS_USER:-postgres}" -- "$@"
    else
        "$@"
    fi
}

pg_bin() {
    local name=$1 dir
    if command -v "$name" >/dev/null; then command -v "$name"; return; fi
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/$name" ] && { echo "$dir/$name"; return; }
    done
    die "PostgreSQL's $name was not found"
}

# Start (creating it if needed) a private cluster in $1 listening on 127.0.0.1:$2.
pg_start() {
    local data=$1 port=$2
    PGDATA_DIR=$data
    if [ "$(id -u)" -eq 0 ]; then
        id "${PG_OS_USER:-postgres}" >/dev/null 2>&1 \
            || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin \
                "${PG_OS_USER:-postgres}"
        mkdir -p "$data"
        chown "${PG_OS_USER:-postgres}" "$data"
        if ! pg_run test -w "$data"; then
            # the checkout sits where the postgres account cannot go
            data=${TMPDIR:-/tmp}/crm_support-pg-$(echo "$ROOT" | md5sum | cut -c1-8)-$(basename "$data")
            mkdir -p "$data"
            chown "${PG_OS_USER:-postgres}" "$data"
            chmod 700 "$data"
            PGDATA_DIR=$data
            say "PostgreSQL cannot reach the checkout as ${PG_OS_USER:-postgres}; cluster in $data"
        fi
    fi
    if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
        pg_run "$(pg_bin initdb)" -D "$PGDATA_DIR" -U odoo --auth=trust -E UTF8 \
            --locale=C >/dev/null || die "initdb failed"
    fi
    if ! pg_run "$(pg_bin pg_ctl)" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
        # a session of its own: Ctrl-C in the terminal stops Odoo, and the
        # caller's exit trap stops PostgreSQL after it, not while Odoo closes
        pg_run setsid --wait "$(pg_bin pg_ctl)" -D "$PGDATA_DIR" -w -l "$PGDATA_DIR/server.log" \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $PGDATA_DIR -c fsync=off" \
            start >/dev/null || die "PostgreSQL did not start; see $PGDATA_DIR/server.log"
    fi
    export PGHOST=127.0.0.1 PGPORT=$port PGUSER=odoo
}

pg_stop() {
    [ -n "${PGDATA_DIR:-}" ] || return 0
    pg_run "$(pg_bin pg_ctl)" -D "$PGDATA_DIR" -m fast stop >/dev/null 2>&1 || true
}

odoo_cmd() {
    "$PYTHON" -m odoo --addons-path="$(odoo_addons_path)" \
        --db_host=127.0.0.1 --db_port="$PGPORT" --db_user=odoo "$@"
}
