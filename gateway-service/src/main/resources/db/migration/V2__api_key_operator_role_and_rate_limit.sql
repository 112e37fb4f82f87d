-- The platform operator manages every tenant's keys; an admin only its own tenant's.
-- Which existing key becomes the operator is decided at start-up from the bootstrap key itself
-- (BRAID_ADMIN_KEY or $BRAID_HOME/admin.key), never guessed from a name here.
alter table api_key drop constraint api_key_role_check;
alter table api_key add constraint api_key_role_check check (role in ('ADMIN', 'MEMBER', 'OPERATOR'));

-- A key's own rate limit; null means the gateway's configured default.
alter table api_key add column rate_limit_per_second integer check (rate_limit_per_second > 0);
alter table api_key add column rate_limit_burst integer check (rate_limit_burst > 0);
