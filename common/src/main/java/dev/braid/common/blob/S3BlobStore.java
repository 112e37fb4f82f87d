package dev.braid.common.blob;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A blob store in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, ...), the option for more than one machine.
 *
 * <p>A blob key is an object key under an optional prefix, so one bucket can hold several installations. A write
 * is atomic as S3 makes it: one {@code PutObject} for up to {@value #PART_SIZE} bytes, otherwise a multipart upload
 * that becomes visible only when it is completed and is aborted when the content fails, so readers see the whole
 * object or none, as with the file-system store. Memory stays at two parts (the one being sent and the next, read
 * ahead to know whether it is the last) whatever the object's size.
 *
 * <p>Checksums are sent only where S3 requires them: older MinIO and Ceph releases refuse the trailing checksums
 * the SDK now adds by default, and what Braid stores is sealed with an AEAD, which detects any change when read.
 * Credentials come from the SDK's default chain (environment, profile, web identity, instance role).
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {

    /** The size of a multipart upload's parts, and the largest object written in one request. */
    static final int PART_SIZE = 8 * 1024 * 1024;

    private static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private volatile boolean batchDeletes = true;

    S3BlobStore(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = normalisePrefix(prefix);
    }

    /**
     * A store over a client built from the settings.
     *
     * @param endpoint the server's URL, or null for AWS S3 in the region
     * @param region the signing region (MinIO and Ceph accept any, conventionally {@code us-east-1})
     * @param pathStyle whether the bucket goes in the path rather than the host name (MinIO and Ceph need it)
     * @param bucket the bucket
     * @param prefix a key prefix inside the bucket, or empty
     * @param createBucket whether to create the bucket when it does not exist
     */
    public static S3BlobStore connect(URI endpoint, String region, boolean pathStyle, String bucket, String prefix,
            boolean createBucket) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(region))
                .forcePathStyle(pathStyle)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        S3Client client = builder.build();
        try {
            if (createBucket) {
                createBucketIfMissing(client, bucket);
            }
            return new S3BlobStore(client, bucket, prefix);
        }
        catch (RuntimeException ex) {
            client.close();
            throw ex;
        }
    }

    private static void createBucketIfMissing(S3Client client, String bucket) {
        try {
            client.headBucket(b -> b.bucket(bucket));
            return;
        }
        catch (NoSuchBucketException ex) {
            // create it below
        }
        catch (S3Exception ex) {
            if (ex.statusCode() != 404) {
                throw ex;
            }
        }
        try {
            client.createBucket(b -> b.bucket(bucket));
        }
        catch (BucketAlreadyOwnedByYouException ex) {
            // another service created it between the two calls (training and inference start together)
        }
    }

    @Override
    public void put(String key, InputStream content) throws IOException {
        String object = objectKey(key);
        byte[] first = content.readNBytes(PART_SIZE);
        byte[] next = first.length < PART_SIZE ? new byte[0] : content.readNBytes(PART_SIZE);
        if (next.length == 0) {
            putWhole(object, first);
            return;
        }
        putInParts(object, first, next, content);
    }

    @Override
    public void put(String key, byte[] content) throws IOException {
        String object = objectKey(key);
        if (content.length <= PART_SIZE) {
            putWhole(object, content);
            return;
        }
        put(key, new ByteArrayInputStream(content));
    }

    private void putWhole(String object, byte[] content) throws IOException {
        try {
            s3.putObject(b -> b.bucket(bucket).key(object), body(content));
        }
        catch (SdkException ex) {
            throw new IOException("could not write blob " + object, ex);
        }
    }

    private void putInParts(String object, byte[] first, byte[] second, InputStream rest) throws IOException {
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(object)).uploadId();
        }
        catch (SdkException ex) {
            throw new IOException("could not start writing blob " + object, ex);
        }
        try {
            List<CompletedPart> parts = new ArrayList<>();
            byte[] part = first;
            byte[] following = second;
            while (part.length > 0) {
                parts.add(uploadPart(object, uploadId, parts.size() + 1, part));
                part = following;
                following = part.length < PART_SIZE ? new byte[0] : rest.readNBytes(PART_SIZE);
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(object).uploadId(uploadId)
                    .multipartUpload(u -> u.parts(parts)));
        }
        catch (IOException | RuntimeException ex) {
            abort(object, uploadId, ex);
            if (ex instanceof SdkException sdk) {
                throw new IOException("could not write blob " + object, sdk);
            }
            throw ex;
        }
    }

    private CompletedPart uploadPart(String object, String uploadId, int number, byte[] content) {
        String etag = s3.uploadPart(b -> b.bucket(bucket).key(object).uploadId(uploadId).partNumber(number),
                body(content)).eTag();
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }

    /** The bytes as a request body without the copy {@link RequestBody#fromBytes} makes. */
    private static RequestBody body(byte[] content) {
        return RequestBody.fromInputStream(new ByteArrayInputStream(content), content.length);
    }

    private void abort(String object, String uploadId, Exception cause) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(object).uploadId(uploadId));
        }
        catch (SdkException ex) {
            // the bucket's lifecycle rule for incomplete uploads removes what is left; the caller sees the cause
            cause.addSuppressed(ex);
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        String object = objectKey(key);
        try {
            return s3.getObject(b -> b.bucket(bucket).key(object));
        }
        catch (NoSuchKeyException ex) {
            throw new BlobNotFoundException(key);
        }
        catch (SdkException ex) {
            throw new IOException("could not read blob " + object, ex);
        }
    }

    @Override
    public boolean exists(String key) {
        String object = objectKey(key);
        try {
            return present(object);
        }
        catch (SdkException ex) {
            throw new UncheckedIOException(new IOException("could not look up blob " + object, ex));
        }
    }

    @Override
    public boolean delete(String key) throws IOException {
        String object = objectKey(key);
        try {
            List<ObjectIdentifier> batch = new ArrayList<>();
            boolean removed = false;
            if (present(object)) {
                batch.add(ObjectIdentifier.builder().key(object).build());
            }
            for (S3Object below : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(object + "/")).contents()) {
                batch.add(ObjectIdentifier.builder().key(below.key()).build());
                if (batch.size() == DELETE_BATCH) {
                    removed |= deleteBatch(batch);
                }
            }
            return deleteBatch(batch) || removed;
        }
        catch (SdkException ex) {
            throw new IOException("could not delete blob " + object, ex);
        }
    }

    /** Whether the bucket holds the object; any failure but "not found" is thrown as it came. */
    private boolean present(String object) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(object));
            return true;
        }
        catch (NoSuchKeyException ex) {
            return false;
        }
        catch (S3Exception ex) {
            if (ex.statusCode() == 404) {
                return false;
            }
            throw ex;
        }
    }

    private boolean deleteBatch(List<ObjectIdentifier> batch) throws IOException {
        if (batch.isEmpty()) {
            return false;
        }
        if (batchDeletes) {
            try {
                var response = s3.deleteObjects(b -> b.bucket(bucket)
                        .delete(Delete.builder().objects(batch).quiet(true).build()));
                if (response.hasErrors() && !response.errors().isEmpty()) {
                    var error = response.errors().get(0);
                    throw new IOException("could not delete blob " + error.key() + ": " + error.code());
                }
                batch.clear();
                return true;
            }
            catch (S3Exception ex) {
                if (ex.statusCode() != 501) {
                    throw ex;
                }
                // the server does not take a multi-object delete with the checksum the SDK sends (S3Proxy, older
                // Ceph and MinIO releases): one request per object from now on
                batchDeletes = false;
            }
        }
        for (ObjectIdentifier object : batch) {
            s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
        }
        batch.clear();
        return true;
    }

    @Override
    public void close() {
        s3.close();
    }

    private String objectKey(String key) {
        return prefix + BlobStore.checkKey(key);
    }

    private static String normalisePrefix(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            return "";
        }
        String trimmed = prefix.strip().replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? "" : BlobStore.checkKey(trimmed) + "/";
    }
}
