-- A deleted dataset's models stop serving everywhere: the model row stays for audit, marked revoked
-- (its artifact is deleted), and the dataset is remembered so no model of it can be registered later.
alter table model add column revoked_at timestamptz;

create table revoked_dataset (
    tenant_id  text        not null,
    dataset_id uuid        not null,
    revoked_at timestamptz not null default now(),
    primary key (tenant_id, dataset_id)
);
