package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Optimistic concurrency over HTTP: clients that read an object and write it back with the resourceVersion
 * they read never lose an acknowledged write; the losers of each race get 409 and retry.
 */
class ConcurrentWritersHttpTest {
    private static final int CLIENTS = 8;
    private static final int WRITES_PER_CLIENT = 8;
    private static final String COUNTER = "/api/v1/tenants/acme/projects/counter";

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme"));
        create(server, "/api/v1/tenants/acme/projects", ApiFixtures.project("counter", "0"));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void everyAcknowledgedWriteIsKeptAndEveryLostRaceIsAConflict() throws Exception {
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        Queue<Integer> written = new ConcurrentLinkedQueue<>();
        Queue<String> unexpected = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(pool.submit(() -> {
                go.await();
                int mine = 0;
                for (int attempt = 0; mine < WRITES_PER_CLIENT && attempt < 1000; attempt++) {
                    HttpResponse<String> read = server.admin("GET", COUNTER, null);
                    if (read.statusCode() != 200) {
                        unexpected.add("GET " + read.statusCode() + " " + read.body());
                        return null;
                    }
                    ObjectNode object = (ObjectNode) Json.tree(read.body());
                    int next = Integer.parseInt(object.at("/spec/description").asText()) + 1;
                    object.with("spec").put("description", Integer.toString(next));
                    HttpResponse<String> write = server.admin("PUT", COUNTER, Json.string(object));
                    if (write.statusCode() == 200) {
                        acknowledged.incrementAndGet();
                        written.add(next);
                        mine++;
                    } else if (write.statusCode() == 409) {
                        conflicts.incrementAndGet();
                    } else {
                        unexpected.add("PUT " + write.statusCode() + " " + write.body());
                        return null;
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : clients) f.get(60, TimeUnit.SECONDS);
        pool.shutdown();

        assertThat(unexpected).as("answers other than 200 and 409").isEmpty();
        assertThat(acknowledged.get()).isEqualTo(CLIENTS * WRITES_PER_CLIENT);
        JsonNode last = expect(server.admin("GET", COUNTER, null), 200);
        assertThat(Integer.parseInt(last.at("/spec/description").asText())).as("final counter").isEqualTo(acknowledged.get());
        assertThat(written).as("each acknowledged write wrote the next value").doesNotHaveDuplicates().hasSize(acknowledged.get());
        assertThat(last.at("/metadata/generation").asLong()).isEqualTo(1 + acknowledged.get());

        // the audit log saw the same: one 200 per acknowledged write and one 409 per lost race
        JsonNode records = expect(server.admin("GET", "/api/v1/audit?kind=Project&actor=user:admin&limit=5000", null), 200).get("items");
        int audited200 = 0;
        int audited409 = 0;
        for (JsonNode r : records) {
            if (!r.get("verb").asText().equals("update") || !r.get("name").asText().equals("counter")) continue;
            if (r.get("outcome").asInt() == 200) audited200++;
            if (r.get("outcome").asInt() == 409) audited409++;
        }
        assertThat(audited200).isEqualTo(acknowledged.get());
        assertThat(audited409).isEqualTo(conflicts.get());
    }
}
