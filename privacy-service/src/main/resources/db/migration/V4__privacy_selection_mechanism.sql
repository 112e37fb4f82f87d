-- A private job may run one more mechanism after DP-SGD: choosing its fusion weight by
-- report-noisy-max with Gaussian noise (sampling rate 1, one step). Reserved with the job,
-- charged only if it ran.
alter table privacy.ledger_entry add column selection_noise_multiplier double precision;
alter table privacy.ledger_entry add column selection_run boolean;
