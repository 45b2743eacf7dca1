-- Shop database bootstrap. Per service (users, items, orders, inventory) it
-- makes a schema owned by a NOLOGIN role <svc>_owner, which migrations run
-- as, and a LOGIN role <svc>_svc limited to DML on that schema, which the
-- service runs as. Idempotent, and safe to run concurrently.
--
-- Run it through bootstrap.sh, which supplies:
--   psql variable db       the database to create and prepare
--   env <SVC>_DB_PASSWORD  runtime role passwords, read with \getenv so they
--                          never appear on a command line
-- as a superuser connected to any existing database (the "admin database").

-- The postgres image also runs every *.sql in /docker-entrypoint-initdb.d by
-- itself, without our variables: that run must do nothing.
\if :{?db}
\else
  \echo 'bootstrap.sql: no "db" variable, skipping (run bootstrap.sh instead)'
  \quit
\endif

\set services '{users,items,orders,inventory}'
\getenv users_password USERS_DB_PASSWORD
\getenv items_password ITEMS_DB_PASSWORD
\getenv orders_password ORDERS_DB_PASSWORD
\getenv inventory_password INVENTORY_DB_PASSWORD

SET client_min_messages = warning;
-- DO blocks cannot see psql variables; session settings carry them in.
SET shop.services = :'services';
SET shop.users_password = :'users_password';
SET shop.items_password = :'items_password';
SET shop.orders_password = :'orders_password';
SET shop.inventory_password = :'inventory_password';

-- Roles belong to the whole cluster, so every bootstrap (one per parallel test
-- database too) touches the same rows: concurrent ALTER ROLEs would fail with
-- "tuple concurrently updated". Callers share one admin database, so a session
-- advisory lock there serialises them; it also covers CREATE DATABASE below.
DO $$ BEGIN PERFORM pg_advisory_lock(7310001); END $$;

DO $$
DECLARE
  svc text;
BEGIN
  FOREACH svc IN ARRAY current_setting('shop.services')::text[] LOOP
    IF coalesce(current_setting('shop.' || svc || '_password'), '') = '' THEN
      RAISE EXCEPTION 'no password for role %_svc (set %_DB_PASSWORD)', svc, upper(svc);
    END IF;
    -- A creator that bypasses the lock above may still win the race.
    BEGIN
      EXECUTE format('CREATE ROLE %I NOLOGIN', svc || '_owner');
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
    BEGIN
      EXECUTE format('CREATE ROLE %I LOGIN', svc || '_svc');
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
    -- Re-assert attributes so roles that already existed end up the same.
    EXECUTE format('ALTER ROLE %I NOLOGIN', svc || '_owner');
    EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L',
                   svc || '_svc', current_setting('shop.' || svc || '_password'));
  END LOOP;
END $$;

-- CREATE DATABASE cannot run inside a DO block or a transaction, hence \gexec.
SELECT format('CREATE DATABASE %I', :'db')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec

DO $$ BEGIN PERFORM pg_advisory_unlock(7310001); END $$;

-- Everything below lives in the target database, so bootstrapping
-- shop_test_abc never touches shop. Same host, port and user as before.
\connect :"db"
SET client_min_messages = warning;
SET shop.services = :'services';

DO $$
DECLARE
  svc text;
  owner_role text;
  runtime_role text;
BEGIN
  -- Serialises bootstraps of this one database (the lock space is per database).
  PERFORM pg_advisory_xact_lock(7310001);

  -- Nobody connects or creates anything unless granted below.
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
  REVOKE CREATE ON SCHEMA public FROM PUBLIC;

  FOREACH svc IN ARRAY current_setting('shop.services')::text[] LOOP
    owner_role := svc || '_owner';
    runtime_role := svc || '_svc';

    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', svc, owner_role);
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', svc, owner_role);

    -- The runtime role may reach its own schema and use its data, nothing more:
    -- no CREATE anywhere, so all DDL goes through migrations run as the owner.
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), runtime_role);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', svc, runtime_role);

    -- Tables and sequences the owner creates later (migrations) ...
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I '
                   'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I',
                   owner_role, svc, runtime_role);
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I '
                   'GRANT USAGE, SELECT ON SEQUENCES TO %I',
                   owner_role, svc, runtime_role);
    -- ... and those that already exist when bootstrap runs again.
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I',
                   svc, runtime_role);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I',
                   svc, runtime_role);
  END LOOP;
END $$;
