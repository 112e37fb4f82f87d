-- When the reconciler last tried to settle the job's ledger entry: it tries the longest-untried first, so a job it
-- cannot settle goes to the back of the line instead of holding its place at the front.
alter table training.job add column settle_attempted_at timestamptz;
