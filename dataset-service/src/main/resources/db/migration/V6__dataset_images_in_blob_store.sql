-- Images leave PostgreSQL for the blob store. A record written from now on names its sealed image by key
-- (image_blob); rows written before keep image_ct until the service moves their ciphertext out (LegacyImages), the
-- same bytes under a key, so nothing is re-encrypted. Every blob of an upload lies under records/<dataset>/<upload>/,
-- and the upload's row, committed before its first blob is written, is the intent that lets a crash be cleaned up.
alter table record add column image_blob text;
alter table record drop constraint record_check;
alter table record add constraint record_has_content
    check (text_ct is not null or image_ct is not null or image_blob is not null);
create index record_image_ct_idx on record (dataset_id) where image_ct is not null;

-- An upload found idle past the limit is first marked, so its writer can no longer add records, and its blobs and
-- records are taken; the row goes one limit later, after a blob write still in flight at the mark has landed and been
-- taken too.
alter table upload add column abandoned_at timestamptz;

-- A deleted dataset's rows go at once; its blobs (records/<dataset>/) are deleted after the commit and again one
-- abandoned-upload limit later, for an upload that was still writing when the dataset went. The row is the intent.
create table deleted_dataset (
    id         uuid primary key,
    deleted_at timestamptz not null default now()
);

-- Staged images are blobs too; a staged row now only says why an image cannot be used.
