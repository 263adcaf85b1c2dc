#!/usr/bin/env bash
# elb_create_database [PORT]: the role and database Elb uses (elb/elb, database elb) in the local PostgreSQL cluster
# on PORT (default 5432), made if missing. Sourced by scripts/services.sh and bench/faults.sh (its own cluster).
elb_create_database() {
  runuser -u postgres -- psql -p "${1:-5432}" -q -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'elb') THEN
    CREATE ROLE elb LOGIN PASSWORD 'elb';
  END IF;
END $$;
SELECT 'CREATE DATABASE elb OWNER elb' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'elb')\gexec
SQL
}
