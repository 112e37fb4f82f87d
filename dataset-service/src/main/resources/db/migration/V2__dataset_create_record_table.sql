-- One row per distinct record of a dataset; content_hash makes a re-upload add nothing.
create table record (
    id           uuid primary key,
    dataset_id   uuid        not null references dataset (id) on delete cascade,
    external_id  text,
    label        text        not null,
    text         text,
    image        bytea,
    content_hash bytea       not null,
    split        text        not null check (split in ('train', 'validation', 'test')),
    created_at   timestamptz not null default now(),
    unique (dataset_id, content_hash),
    check (text is not null or image is not null)
);

create index record_dataset_split_idx on record (dataset_id, split);
