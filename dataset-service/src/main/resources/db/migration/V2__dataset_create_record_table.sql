-- One row per distinct record of a dataset. Text and image are stored only encrypted with the
-- dataset's data key; fingerprint is an HMAC keyed from that key, so a re-upload adds nothing
-- while the stored value reveals nothing about the content.
create table record (
    id          uuid primary key,
    dataset_id  uuid        not null references dataset (id) on delete cascade,
    external_id text,
    label       text        not null,
    text_ct     bytea,
    image_ct    bytea,
    fingerprint bytea       not null,
    split       text        not null check (split in ('train', 'validation', 'test')),
    created_at  timestamptz not null default now(),
    unique (dataset_id, fingerprint),
    check (text_ct is not null or image_ct is not null)
);

create index record_dataset_split_idx on record (dataset_id, split);
