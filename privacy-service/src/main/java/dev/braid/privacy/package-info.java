/**
 * Privacy: the differential-privacy accountant (RDP of the Poisson-subsampled Gaussian
 * mechanism, converted to (ε, δ)) in {@code accountant}.
 */
package dev.braid.privacy;
