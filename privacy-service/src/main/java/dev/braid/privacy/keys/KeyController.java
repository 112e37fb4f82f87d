package dev.braid.privacy.keys;

import java.util.Base64;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.braid.common.internalapi.DataKeysApi;
import dev.braid.common.openapi.Problems;
import dev.braid.common.problem.ApiException;
import dev.braid.common.security.CallerContext;

/**
 * Keys. {@code /internal/keys/**} is for the other services (no gateway route): create, unwrap and
 * destroy data keys. {@code /api/v1/privacy/keys} is public: key status, and rotation for admins.
 */
@RestController
@Tag(name = "Privacy")
class KeyController implements DataKeysApi {

    private final DataKeyService dataKeys;
    private final KeyRotation rotation;

    KeyController(DataKeyService dataKeys, KeyRotation rotation) {
        this.dataKeys = dataKeys;
        this.rotation = rotation;
    }

    @Schema(name = "KeyStatus", description = "The tenant's key-encryption key versions and the data keys still to rewrap")
    record KeyStatus(long primaryKeyVersion, List<Long> keyVersions, long dataKeys, long pendingRewrap) {
    }

    @Override
    @ResponseStatus(HttpStatus.CREATED)
    public CreatedDataKey create(@PathVariable UUID datasetId) {
        DataKeyService.DataKey key = dataKeys.create(datasetId);
        return new CreatedDataKey(datasetId, Base64.getEncoder().encodeToString(key.plaintext()),
                Base64.getEncoder().encodeToString(key.wrapped()), key.keyVersion());
    }

    @Override
    public DataKey unwrap(@PathVariable UUID datasetId, @RequestBody(required = false) Unwrap request) {
        byte[] wrapped = null;
        if (request != null && request.wrappedKey() != null) {
            try {
                wrapped = Base64.getDecoder().decode(request.wrappedKey());
            }
            catch (IllegalArgumentException ex) {
                throw ApiException.badRequest("invalid-wrapped-key", "wrappedKey is not base64");
            }
        }
        return new DataKey(datasetId, Base64.getEncoder().encodeToString(dataKeys.unwrap(datasetId, wrapped)));
    }

    @Override
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void destroy(@PathVariable UUID datasetId) {
        dataKeys.destroy(datasetId);
    }

    @GetMapping("/api/v1/privacy/keys")
    @Operation(operationId = "getKeyStatus", summary = "The tenant's key-encryption key versions and rewrap progress")
    KeyStatus status() {
        KeyRotation.Status status = rotation.status(CallerContext.tenant());
        return new KeyStatus(status.primaryKeyVersion(), status.keyVersions(), status.dataKeys(), status.pendingRewrap());
    }

    @PostMapping("/api/v1/privacy/keys/rotate")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(operationId = "rotateKeys", summary = "Rotate the tenant's key-encryption key (admins); data keys are rewrapped in the background")
    @Problems(403)
    KeyStatus rotate() {
        CallerContext.requireAdmin();
        KeyRotation.Status status = rotation.rotate(CallerContext.tenant());
        return new KeyStatus(status.primaryKeyVersion(), status.keyVersions(), status.dataKeys(), status.pendingRewrap());
    }
}
