-- A dataset's privacy budget and its ledger. A job reserves its planned cost before it starts,
-- commits what it really spent when it ends, or releases the reservation. Each entry keeps its RDP
-- curve at the default orders, so the dataset's spending composes in RDP space.
create table budget (
    dataset_id     uuid primary key,
    tenant_id      text             not null,
    epsilon_budget double precision not null check (epsilon_budget > 0),
    delta          double precision not null check (delta > 0 and delta < 1),
    created_at     timestamptz      not null default now()
);

create table ledger_entry (
    dataset_id       uuid               not null references budget (dataset_id),
    job_id           uuid               not null,
    state            text               not null check (state in ('RESERVED', 'COMMITTED', 'RELEASED')),
    sample_rate      double precision   not null,
    noise_multiplier double precision   not null,
    planned_steps    bigint             not null,
    spent_steps      bigint,
    epsilon_planned  double precision   not null,
    epsilon_spent    double precision,
    rdp              double precision[] not null,
    created_at       timestamptz        not null default now(),
    updated_at       timestamptz        not null default now(),
    primary key (dataset_id, job_id)
);
