-- the branches a job trains: a private job trains its text branch alone unless asked for both
alter table training.job add column train_text boolean not null default true;
alter table training.job add column train_image boolean not null default true;
