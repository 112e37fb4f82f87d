-- Envelope encryption. Each tenant's key-encryption keys are one Tink keyset, stored only
-- encrypted under the master key; each dataset's data key is stored only wrapped by its tenant's
-- keyset. Destroying a data key (wrapped set to null) makes the dataset's ciphertext unreadable.
create table tenant_kek (
    tenant_id      text primary key,
    keyset         bytea       not null,
    primary_key_id bigint      not null,
    created_at     timestamptz not null default now(),
    rotated_at     timestamptz
);

create table data_key (
    dataset_id   uuid primary key,
    tenant_id    text        not null,
    wrapped      bytea,
    kek_key_id   bigint,
    created_at   timestamptz not null default now(),
    destroyed_at timestamptz,
    check ((wrapped is null) = (destroyed_at is not null))
);

create index data_key_rewrap_idx on data_key (tenant_id, kek_key_id) where wrapped is not null;

-- Every key operation: who, what, when. Never key bytes. Append-only, enforced by the database.
create table key_audit (
    id         bigserial primary key,
    tenant_id  text        not null,
    actor      text        not null,
    operation  text        not null,
    dataset_id uuid,
    key_id     bigint,
    detail     text,
    at         timestamptz not null default now()
);

create index key_audit_tenant_idx on key_audit (tenant_id, at);

create function forbid_audit_change() returns trigger language plpgsql as $$
begin
    raise exception 'key_audit is append-only';
end
$$;

create trigger key_audit_append_only before update or delete or truncate on key_audit
    for each statement execute function forbid_audit_change();
