-- The source of truth for training: any instance claims a job with FOR UPDATE SKIP LOCKED and
-- holds it with a lease it renews; an expired lease lets another instance take the job over.
create table job (
    id               uuid primary key,
    tenant_id        text             not null,
    dataset_id       uuid             not null,
    status           text             not null check (status in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    epochs           integer          not null,
    batch_size       integer          not null,
    learning_rate    double precision not null,
    seed             bigint           not null,
    epoch            integer          not null default 0,
    step             integer          not null default 0,
    steps            integer          not null default 0,
    metrics          jsonb,
    model_id         uuid,
    error            text,
    attempt          integer          not null default 0,
    max_attempts     integer          not null,
    lease_owner      text,
    lease_expires_at timestamptz,
    cancel_requested boolean          not null default false,
    created_at       timestamptz      not null default now(),
    started_at       timestamptz,
    finished_at      timestamptz
);

create index job_tenant_idx on job (tenant_id, created_at, id);
create index job_claimable_idx on job (created_at) where status in ('QUEUED', 'RUNNING');

-- Progress and metrics as they happen, for the job's history and event stream.
create table job_event (
    id         bigserial primary key,
    job_id     uuid        not null references job (id) on delete cascade,
    type       text        not null,
    data       jsonb       not null,
    created_at timestamptz not null default now()
);

create index job_event_job_idx on job_event (job_id, id);
