-- A private job's DP-SGD settings as submitted (noise, clipping, sampling rate and steps fixed at
-- submit time, when their ε was reserved), and what it spent once it ran.
alter table training.job add column privacy jsonb;
alter table training.job add column privacy_report jsonb;

-- The latest whole-epoch checkpoint of a running job, sealed under its dataset's data key.
-- Written only by the lease holder; gone with the job.
create table training.checkpoint (
    job_id        uuid        primary key references training.job (id) on delete cascade,
    epoch         integer     not null,
    step          bigint      not null,
    private_steps bigint      not null,
    sealed        bytea       not null,
    created_at    timestamptz not null default now()
);
