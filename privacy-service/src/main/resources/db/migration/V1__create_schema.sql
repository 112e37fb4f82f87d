-- Every accountant answer the service gave, for audit: which mechanisms, which δ, what ε came out.
create table accountant_query (
    id         bigserial primary key,
    tenant_id  text             not null,
    request    jsonb            not null,
    epsilon    double precision not null,
    best_order double precision,
    created_at timestamptz      not null default now()
);

create index accountant_query_tenant_idx on accountant_query (tenant_id, created_at);
