#!/usr/bin/env bash
# Runs the ActorScheduler vs Quartz.NET benchmark (bench/README.md); every argument goes to the harness:
#   bench/run.sh --quick --db both
#   bench/run.sh --db sqlite --scenario create,burst,steady
# With --db postgres or --db both it first makes sure the local PostgreSQL 15 cluster runs on 127.0.0.1:5432
# and has the bench role and database (asbench/asbench, database asbench), installing the server if it is
# missing. That part needs root (or sudo), as on the project's machines.
# The table goes to stdout; progress and build output to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

as_postgres() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

ensure_postgres() {
  if [[ ! -x /usr/lib/postgresql/15/bin/postgres ]]; then
    echo "bench/run.sh: installing PostgreSQL 15" >&2
    apt-get install -y postgresql-15 >&2
  fi
  if ! pg_lsclusters --no-header 2>/dev/null | awk '$1 == "15" && $2 == "main" { print $4 }' | grep -q online; then
    echo "bench/run.sh: starting PostgreSQL 15" >&2
    pg_ctlcluster 15 main start
  fi
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 1
  done
  pg_isready -h 127.0.0.1 -p 5432 >&2
  as_postgres psql -v ON_ERROR_STOP=1 -q -c \
    "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'asbench') THEN CREATE ROLE asbench LOGIN PASSWORD 'asbench'; END IF; END \$\$;"
  if [[ -z $(as_postgres psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'asbench'") ]]; then
    as_postgres psql -v ON_ERROR_STOP=1 -q -c "CREATE DATABASE asbench OWNER asbench"
  fi
}

args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [[ ${args[i]} == --db && ${args[i + 1]:-} =~ ^(postgres|both)$ ]]; then
    ensure_postgres
  fi
done

dotnet build -c Release -nologo -v quiet bench/ActorScheduler.Bench >&2
exec dotnet run -c Release --no-build --project bench/ActorScheduler.Bench -- "$@"
