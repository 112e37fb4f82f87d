-- API keys are stored only as SHA-256 hashes; the key itself is shown once, when it is created.
create table api_key (
    id          uuid primary key,
    tenant_id   text        not null,
    role        text        not null check (role in ('ADMIN', 'MEMBER')),
    name        text        not null,
    key_hash    bytea       not null unique,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);

create index api_key_tenant_idx on api_key (tenant_id);
