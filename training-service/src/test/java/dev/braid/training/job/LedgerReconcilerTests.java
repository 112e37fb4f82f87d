package dev.braid.training.job;

import java.io.IOException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.braid.testing.EmbeddedPostgresExtension;
import dev.braid.testing.ServiceTestClient;
import dev.braid.testing.StubHttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reconciler against a ledger that refuses some settlements for good: more such jobs than it settles in a round
 * do not keep a newer job from being settled, and the ones it cannot settle are counted where an operator looks.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {ServiceTestClient.SECRET_PROPERTY,
        "braid.training.worker.enabled=false", "braid.training.reconcile.interval=1h"})
class LedgerReconcilerTests {

    /** The jobs whose commit the ledger refuses (409), as one whose entry is final for other figures. */
    static final Set<String> refused = ConcurrentHashMap.newKeySet();
    static final Set<String> committed = ConcurrentHashMap.newKeySet();
    static final StubHttpServer ledger = StubHttpServer.start().on("/internal/", LedgerReconcilerTests::answer);

    @Autowired
    JobRepository jobs;

    @Autowired
    LedgerReconciler reconciler;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void privacyService(DynamicPropertyRegistry registry) {
        registry.add("braid.training.services.privacy", ledger::url);
    }

    @AfterAll
    static void stop() {
        ledger.close();
    }

    @BeforeEach
    void emptyQueue() {
        jdbc.sql("delete from training.job").update();
    }

    @Test
    void shouldSettleANewerJobPastMoreStuckOnesThanARoundTakesAndCountTheStuck() {
        for (int i = 0; i < LedgerReconciler.BATCH + 20; i++) {
            refused.add(ended(1000 - i).toString()); // ended long ago, before the job below
        }
        UUID newer = ended(1);

        reconciler.reconcile();
        reconciler.reconcile();

        assertThat(committed).as("settled in the second round at the latest").contains(newer.toString());
        assertThat(jobs.find("acme", newer).orElseThrow().privacyReport()).isNotNull();
        assertThat(meters.get("braid.training.ledger.unsettled").gauge().value()).as("the stuck ones, counted")
                .isEqualTo(LedgerReconciler.BATCH + 20);
        assertThat(jdbc.sql("select count(*) from training.job where settle_attempted_at is not null").query(Long.class).single())
                .as("every stuck one was tried").isEqualTo(LedgerReconciler.BATCH + 21);
    }

    /** A private job that failed {@code minutesAgo} after running 5 steps, its settlement not recorded. */
    private UUID ended(int minutesAgo) {
        UUID id = UUID.randomUUID();
        jobs.insert(id, "acme", UUID.randomUUID(), 1, 8, 0.01, 7, 3, new JobPrivacy(1.0, 1.0, 0.1, 10, 10, null, null, 1.0, 1e-5,
                null, null, true), true, false, null, null);
        jdbc.sql("update training.job set status = 'FAILED', private_steps = 5, finished_at = now() - make_interval(mins => ?)"
                + " where id = ?").params(minutesAgo, id).update();
        return id;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        StubHttpServer.respond(exchange, status, status >= 400 ? "application/problem+json" : "application/json", body);
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getPath().split("/");
        if (exchange.getRequestURI().getPath().startsWith("/internal/reservations/open")) {
            respond(exchange, 200, "[]");
        }
        else if (parts.length == 7 && parts[6].equals("commit")) {
            String job = parts[5];
            if (refused.contains(job)) {
                respond(exchange, 409, "{\"type\":\"https://braid.dev/problems/entry-final\",\"status\":409}");
            }
            else {
                committed.add(job);
                respond(exchange, 200, "{\"jobId\":\"" + job + "\",\"epsilon\":0.5,\"state\":\"COMMITTED\",\"at\":\"2026-12-08T00:00:00Z\"}");
            }
        }
        else {
            respond(exchange, 404, "{}");
        }
    }
}
