package dev.braid.common.internalapi;

import java.util.UUID;

/**
 * Where a model's sealed artifact lives in the blob store and what it is sealed as: the one definition training
 * writes by, inference registers and opens by. The sealing context is the AEAD's associated data, so an artifact
 * cannot pass for another model's or for a checkpoint.
 */
public final class ModelArtifacts {

    private ModelArtifacts() {
    }

    /** The blob key of the model's artifact, under its tenant's prefix. */
    public static String key(String tenant, UUID modelId) {
        return prefix(tenant) + modelId + "/model.zip.sealed";
    }

    /** Whether a key is one of the tenant's model artifacts (a registration naming another's is refused). */
    public static boolean belongsTo(String key, String tenant) {
        return key.startsWith(prefix(tenant));
    }

    /** The associated data the artifact is sealed with under its dataset's data key. */
    public static String sealingContext(UUID modelId) {
        return "model/" + modelId;
    }

    private static String prefix(String tenant) {
        return "models/" + tenant + "/";
    }
}
