package dev.braid.common.security;

/**
 * What an API key may do. Members use their tenant's data; admins also manage their own tenant's
 * keys and rotate its encryption keys; the platform operator (the bootstrap key) is an admin that
 * may also manage every tenant's keys and see the whole platform's serving metrics.
 */
public enum Role {
    MEMBER, ADMIN, OPERATOR;

    /** Admin rights within the key's own tenant: an operator has them too. */
    public boolean isAdmin() {
        return this == ADMIN || this == OPERATOR;
    }
}
