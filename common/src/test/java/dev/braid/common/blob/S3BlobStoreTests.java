package dev.braid.common.blob;

import java.io.IOException;
import java.net.URI;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import dev.braid.common.BraidPlatformAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The S3 store against a real S3 server in this JVM: S3Proxy (its S3 protocol, authentication and multipart
 * uploads) over an in-memory jclouds store, reached over HTTP by the AWS SDK as MinIO or AWS would be.
 */
class S3BlobStoreTests extends BlobStoreContract {

    private static final String ACCESS_KEY = "braid-test-access";
    private static final String SECRET_KEY = "braid-test-secret-key";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private static BlobStoreContext backend;
    private static S3Proxy server;
    private static S3Client client;

    private String bucket;
    private S3BlobStore store;

    @BeforeAll
    static void startServer() throws Exception {
        backend = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .overrides(new Properties()).build(BlobStoreContext.class);
        server = S3Proxy.builder().blobStore(backend.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        server.start();
        client = S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED).build();
    }

    @AfterAll
    static void stopServer() throws Exception {
        client.close();
        server.stop();
        backend.close();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Override
    BlobStore store() {
        bucket = "braid-" + BUCKETS.incrementAndGet();
        client.createBucket(b -> b.bucket(bucket));
        store = new S3BlobStore(client(), bucket, "");
        return store;
    }

    @Override
    void assertNothingLeftBehind(BlobStore store) {
        assertThat(client.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
        assertThat(client.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
    }

    @Test
    void shouldKeepInstallationsThatShareABucketApartByPrefix() throws IOException {
        store();
        try (S3BlobStore staging = new S3BlobStore(client(), bucket, "/staging/");
                S3BlobStore production = new S3BlobStore(client(), bucket, "production")) {
            staging.put("models/m1/model.zip", new byte[] {1});
            production.put("models/m1/model.zip", new byte[] {2});

            assertThat(read(staging, "models/m1/model.zip")).containsExactly(1);
            assertThat(staging.delete("models")).isTrue();
            assertThat(staging.exists("models/m1/model.zip")).isFalse();
            assertThat(read(production, "models/m1/model.zip")).containsExactly(2);
            assertThat(client.headObject(b -> b.bucket(bucket).key("production/models/m1/model.zip")).contentLength())
                    .isEqualTo(1);
        }
    }

    @Test
    void shouldDeleteMoreObjectsThanOneDeleteRequestTakes() throws IOException {
        BlobStore store = store();
        for (int i = 0; i < 1_005; i++) {
            store.put("records/dataset-1/r" + i, new byte[] {(byte) i});
        }
        store.put("records/dataset-2/r0", new byte[] {1});

        assertThat(store.delete("records/dataset-1")).isTrue();

        assertThat(client.listObjectsV2(b -> b.bucket(bucket).prefix("records/")).contents())
                .extracting(o -> o.key()).containsExactly("records/dataset-2/r0");
        // this server refuses the SDK's multi-object delete (501), so the store fell back to one request per object
        assertThat(store).extracting("batchDeletes").isEqualTo(false);
    }

    @Test
    void shouldDeleteInBatchesWhereTheServerTakesThem() throws Exception {
        S3Proxy lenient = S3Proxy.builder().blobStore(backend.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).ignoreUnknownHeaders(true)
                .build();
        lenient.start();
        try {
            store();
            try (S3BlobStore batching = new S3BlobStore(client(URI.create("http://127.0.0.1:" + lenient.getPort())),
                    bucket, "")) {
                for (int i = 0; i < 1_003; i++) {
                    batching.put("records/dataset-1/r" + i, new byte[] {(byte) i});
                }
                assertThat(batching.delete("records/dataset-1")).isTrue();
                assertThat(client.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
                assertThat(batching).extracting("batchDeletes").isEqualTo(true);
            }
        }
        finally {
            lenient.stop();
        }
    }

    @Test
    void shouldBeWhatThePlatformConfiguresFromItsSettingsAndCreateItsBucket() {
        String configured = "braid-configured-" + BUCKETS.incrementAndGet();
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        try {
            ApplicationContextRunner platform = new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(BraidPlatformAutoConfiguration.class))
                    .withPropertyValues("braid.platform.internal-secret=" + "s".repeat(32),
                            "BRAID_BLOB_STORE=s3", "BRAID_S3_ENDPOINT=" + endpoint(), "BRAID_S3_BUCKET=" + configured,
                            "BRAID_S3_PREFIX=site-a", "BRAID_S3_CREATE_BUCKET=true");
            platform.run(context -> {
                        assertThat(context).hasNotFailed();
                        BlobStore blobs = context.getBean(BlobStore.class);
                        assertThat(blobs).isInstanceOf(S3BlobStore.class);
                        blobs.put("models/m1/model.zip", new byte[] {5, 6});
                        assertThat(client.getObjectAsBytes(b -> b.bucket(configured).key("site-a/models/m1/model.zip"))
                                .asByteArray()).containsExactly(5, 6);
                    });
            // a second service (or a restart) finds the bucket there and its objects kept
            platform.run(context -> assertThat(read(context.getBean(BlobStore.class), "models/m1/model.zip"))
                    .containsExactly(5, 6));
        }
        finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    @Test
    void shouldRefuseToStartWithoutABucketOrWithAStoreItDoesNotKnow() {
        assertRefusedToStart("filesystem or s3, not gcs", "BRAID_BLOB_STORE=gcs");
        assertRefusedToStart("braid.platform.s3.bucket", "BRAID_BLOB_STORE=s3");
    }

    private static void assertRefusedToStart(String because, String... settings) {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(BraidPlatformAutoConfiguration.class))
                .withPropertyValues("braid.platform.internal-secret=" + "s".repeat(32))
                .withPropertyValues(settings)
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining(because));
    }

    private static URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getPort());
    }

    /** A client of the store's own, closed with it. */
    private static S3Client client() {
        return client(endpoint());
    }

    private static S3Client client(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED).build();
    }
}
