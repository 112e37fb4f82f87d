package dev.braid.common.security;

/** What an API key may do: members use their tenant's data; admins also manage keys and rotate encryption keys. */
public enum Role {
    MEMBER, ADMIN
}
