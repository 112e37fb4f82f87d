-- The DP-SGD steps a job had run at its last checkpoint, kept on the job itself: the checkpoint
-- goes when the job ends, but a settlement of the ledger that failed then is retried from this.
alter table job add column private_steps bigint not null default 0;

update job j set private_steps = c.private_steps from checkpoint c where c.job_id = j.id;
