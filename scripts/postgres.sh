# Sourced by scripts/test, scripts/cluster and bench/run.sh: makes sure the local PostgreSQL 15 cluster runs on
# 127.0.0.1:5432 (installing the server with apt if missing, starting it with pg_ctlcluster) and that a login
# role and a database of the given name exist. Needs root or sudo, as on the project's machines.
#   ensure_postgres NAME [CREATEDB]   → role NAME (password NAME) owning database NAME; CREATEDB lets it create more

as_postgres() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

ensure_postgres() {
  local name=$1 createdb=${2:-}
  if [[ ! -x /usr/lib/postgresql/15/bin/postgres ]]; then
    echo "postgres: installing PostgreSQL 15" >&2
    apt-get install -y postgresql-15 >&2
  fi
  if ! pg_lsclusters --no-header 2>/dev/null | awk '$1 == "15" && $2 == "main" { print $4 }' | grep -q online; then
    echo "postgres: starting PostgreSQL 15" >&2
    pg_ctlcluster 15 main start
  fi
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 1
  done
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    echo "postgres: PostgreSQL does not answer on 127.0.0.1:5432" >&2
    return 1
  fi
  as_postgres psql -v ON_ERROR_STOP=1 -q -c \
    "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$name') THEN CREATE ROLE $name LOGIN PASSWORD '$name'; END IF; END \$\$;" >&2
  if [[ $createdb == CREATEDB ]]; then
    as_postgres psql -v ON_ERROR_STOP=1 -q -c "ALTER ROLE $name CREATEDB" >&2
  fi
  if [[ -z $(as_postgres psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'") ]]; then
    as_postgres psql -v ON_ERROR_STOP=1 -q -c "CREATE DATABASE $name OWNER $name" >&2
  fi
}
