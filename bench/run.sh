#!/usr/bin/env bash
# Runs the ActorScheduler vs Quartz.NET and Hangfire benchmark (bench/README.md); every argument goes to the harness:
#   bench/run.sh --quick --db both
#   bench/run.sh --db sqlite --scenario create,burst,steady
#   bench/run.sh --db postgres --systems hangfire      # compare with Hangfire only (default: --systems quartz,hangfire)
# With --db postgres or --db both it first makes sure the local PostgreSQL 15 cluster runs on 127.0.0.1:5432
# and has the bench role and database (asbench/asbench, database asbench; the role may create databases, one
# per ActorScheduler run; Quartz and Hangfire get a schema each), installing the server if it is missing. That part needs root (or sudo), as on the
# project's machines.
# The table goes to stdout; progress and build output to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/postgres.sh

args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [[ ${args[i]} == --db && ${args[i + 1]:-} =~ ^(postgres|both)$ ]]; then
    ensure_postgres asbench CREATEDB
  fi
done

dotnet build -c Release -nologo -v quiet bench/ActorScheduler.Bench >&2
exec dotnet run -c Release --no-build --project bench/ActorScheduler.Bench -- "$@"
