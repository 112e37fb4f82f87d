create table dataset (
    id             uuid primary key,
    tenant_id      text             not null,
    name           text             not null,
    labels         text[]           not null,
    epsilon_budget double precision,
    delta          double precision,
    created_at     timestamptz      not null default now()
);

create index dataset_tenant_idx on dataset (tenant_id, created_at, id);
