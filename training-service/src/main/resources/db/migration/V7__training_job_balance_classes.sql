-- whether a job weights each class's records by n / (k · n_c): true as asked, false or null (left out) for the data as it is
alter table training.job add column balance_classes boolean;
