-- Which upload stored a record, so an archive refused half-way (a zip bomb, a corrupt archive)
-- can take back every record it had already written.
alter table record add column upload_id uuid;
create index record_upload_idx on record (upload_id);

-- Images that arrive in an archive before the manifest that names them wait here, encrypted with
-- the dataset's data key, until the manifest is read. Rows of an upload that died are swept.
create table staged_image (
    upload_id  uuid        not null,
    path       text        not null,
    dataset_id uuid        not null references dataset (id) on delete cascade,
    image_ct   bytea,
    reason     text,
    created_at timestamptz not null default now(),
    primary key (upload_id, path),
    check ((image_ct is null) <> (reason is null))
);
