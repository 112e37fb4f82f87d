-- A model version: what it was trained on and by which job (one version per job), and where its artifact is.
create table model (
    id           uuid primary key,
    tenant_id    text        not null,
    dataset_id   uuid        not null,
    job_id       uuid        not null unique,
    labels       text[]      not null,
    metrics      jsonb       not null,
    artifact_key text        not null,
    created_at   timestamptz not null default now()
);

create index model_tenant_idx on model (tenant_id, created_at, id);

-- The model each dataset's predictions use; deploying another version (older or newer) swaps it.
create table deployment (
    dataset_id  uuid primary key,
    tenant_id   text        not null,
    model_id    uuid        not null references model (id),
    deployed_at timestamptz not null default now()
);
