#!/bin/sh
# Runs once, when the postgres container initialises an empty data directory.
# Creates the two roles the application uses (see README, "Docker compose"):
#   FENGQIAO_DB_OWNER         owns the database and every table; only `migrate` logs in as it
#   FENGQIAO_DB_RUNTIME_ROLE  web, worker and beat: no superuser, no owner; its table grants
#                             come from `manage.py grant_runtime_role` after each migrate
# POSTGRES_USER stays the cluster's superuser, for the administrator only.
set -eu

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v db="$POSTGRES_DB" \
  -v owner="$FENGQIAO_DB_OWNER" -v owner_password="$FENGQIAO_DB_OWNER_PASSWORD" \
  -v runtime="$FENGQIAO_DB_RUNTIME_ROLE" -v runtime_password="$FENGQIAO_DB_RUNTIME_PASSWORD" \
  <<'SQL'
CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'owner_password';
CREATE ROLE :"runtime" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  NOINHERIT PASSWORD :'runtime_password';
ALTER DATABASE :"db" OWNER TO :"owner";
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"owner", :"runtime";
GRANT USAGE ON SCHEMA public TO :"runtime";
SQL
