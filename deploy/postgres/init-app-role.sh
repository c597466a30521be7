#!/usr/bin/env bash
# Init script for the official postgres image (mounted into /docker-entrypoint-initdb.d; runs once, when the
# data volume is empty). It gives the subgraph's database the same two-role layout provisionDatabase() in
# packages/common/src/db/provision.ts creates for `npm start`:
#
#   - POSTGRES_USER owns the database: the service migrates and seeds as this role (MIGRATION_DATABASE_URL).
#     In this image it is a superuser, so it bypasses row-level security like the owner role of provisionDatabase().
#   - APP_DB_USER is the application role the service serves requests as (DATABASE_URL): it can log in, is no
#     superuser and never bypasses row-level security, and gets read/write access to every table and sequence the
#     owner creates in schema public (ALTER DEFAULT PRIVILEGES), so migrations need no GRANT statements.
#
# Environment (set on the database container): POSTGRES_USER, POSTGRES_DB (image), APP_DB_USER, APP_DB_PASSWORD.
set -e

: "${POSTGRES_USER:?POSTGRES_USER is not set}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
: "${APP_DB_USER:?set APP_DB_USER to the name of the application role}"
: "${APP_DB_PASSWORD:?set APP_DB_PASSWORD to the password of the application role}"

# The same rule as provisionDatabase(): lower-case letters, digits and _ (no quoting surprises).
if [[ ! "$APP_DB_USER" =~ ^[a-z_][a-z0-9_]{0,62}$ ]]; then
  echo "init-app-role: invalid APP_DB_USER \"$APP_DB_USER\": use lower-case letters, digits and _" >&2
  exit 1
fi
if [ "$APP_DB_USER" = "$POSTGRES_USER" ]; then
  echo "init-app-role: APP_DB_USER must differ from POSTGRES_USER (the owner role)" >&2
  exit 1
fi

# Values reach SQL only through psql variables (:"identifier", :'literal'), which quote them correctly.
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner="$POSTGRES_USER" -v database="$POSTGRES_DB" -v app_user="$APP_DB_USER" -v app_password="$APP_DB_PASSWORD" <<-'EOSQL'
	CREATE ROLE :"app_user" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'app_password';
	REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
	GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO :"app_user";
	REVOKE CREATE ON SCHEMA public FROM PUBLIC;
	GRANT USAGE ON SCHEMA public TO :"app_user";
	ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_user";
	ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app_user";
EOSQL

echo "init-app-role: application role \"$APP_DB_USER\" ready in database \"$POSTGRES_DB\" (owner \"$POSTGRES_USER\")"
