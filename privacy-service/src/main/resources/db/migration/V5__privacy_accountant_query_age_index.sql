-- The audit rows are pruned by age (AccountantAudit), across tenants: an index on created_at alone.
create index accountant_query_created_idx on accountant_query (created_at);
