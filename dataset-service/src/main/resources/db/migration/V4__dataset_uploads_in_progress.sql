-- An upload in progress. Its records are written batch by batch but stay invisible (to counts,
-- splits and the export to training) while this row exists; the row goes when the upload
-- succeeds. A refused upload deletes its records and the row; one whose process died, or whose
-- database went away, is swept with its records once it has been idle too long.
create table upload (
    id         uuid primary key,
    dataset_id uuid        not null references dataset (id) on delete cascade,
    created_at timestamptz not null default now(),
    active_at  timestamptz not null default now()
);

create index upload_active_idx on upload (active_at);
