/**
 * Privacy: envelope encryption with Tink ({@code keys}: the master key, a key-encryption keyset
 * per tenant, a data key per dataset, rotation with background rewrap, crypto-shredding, an
 * append-only audit) and the differential-privacy accountant ({@code accountant}: RDP of the
 * Poisson-subsampled Gaussian mechanism, converted to (ε, δ)).
 */
package dev.braid.privacy;
