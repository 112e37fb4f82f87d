-- Records written from now on (ad_version 2) bind their ciphertexts to their label and split as well
-- as to their dataset, id and field, so a label or split changed in the table makes the record
-- undecryptable instead of silently relabelled; and their external id is sealed too (external_id_ct),
-- so it goes with the data key when the dataset is deleted. Older rows keep version 1 and their
-- external id in clear.
alter table record add column ad_version smallint not null default 1 check (ad_version in (1, 2));
alter table record add column external_id_ct bytea;
