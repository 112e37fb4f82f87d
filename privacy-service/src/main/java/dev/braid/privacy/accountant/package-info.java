/**
 * The differential-privacy accountant: RDP of the Poisson-subsampled Gaussian mechanism, composed
 * and converted to (ε, δ), and the noise-multiplier search.
 */
package dev.braid.privacy.accountant;
