package dev.millwright.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import dev.millwright.resource.ResourceKey;
import dev.millwright.store.Database;
import dev.millwright.store.FencedException;
import dev.millwright.store.ResourceStore;
import dev.millwright.store.TestDatabases;
import dev.millwright.store.WriteContext;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two {@code millwright up} replicas on one database: exactly one runs the controllers; kill -9 it and the other
 * takes over within the lease time, and the dead leader's lease token can no longer write.
 */
class LeaderFailoverTest {
    /** The replicas' --lease-seconds (see {@link ServerProcesses#start}). */
    private static final Duration LEASE = Duration.ofSeconds(2);
    /** Failover must finish within the lease plus this: a renewal period, a poll, and slack for a loaded machine. */
    private static final Duration MARGIN = Duration.ofSeconds(4);
    private static final ResourceKey PROJECT = new ResourceKey("Project", "failover", "vision");

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @Test
    void anotherReplicaLeadsWithinTheLeaseTimeAndTheOldLeaseTokenIsFenced() throws Exception {
        String url = TestDatabases.freshUrl("failover");
        String[] db = {"--db-url", url, "--db-user", "postgres"};
        ServerProcesses.Server a = servers.start(servers.newDir("replica-a"), db);
        ServerProcesses.Server b = servers.start(servers.newDir("replica-b"), db);
        a.awaitUp();
        b.awaitUp();
        String token = a.adminToken();

        // 1. exactly one replica leads, and it holds the lease row
        ServerProcesses.Server leader = awaitSingleLeader(a, b);
        ServerProcesses.Server follower = leader == a ? b : a;
        String leaderIdentity = ready(leader).path("identity").asText();
        LeaseRow old = lease(url);
        assertThat(old.holder()).as("lease holder").isEqualTo(leaderIdentity);
        assertThat(ready(follower).path("leader").asBoolean()).isFalse();

        // 2. the controllers run: a project naming an unknown user gets its status written
        created(follower.call("POST", "/api/v1/tenants", token, """
                {"kind":"Tenant","metadata":{"name":"failover"},"spec":{}}"""));
        created(follower.call("POST", "/api/v1/tenants/failover/projects", token, """
                {"kind":"Project","metadata":{"name":"vision"},"spec":{"members":[{"user":"ghost","role":"practitioner"}]}}"""));
        JsonNode status = awaitObservedGeneration(follower, token, 1);
        assertThat(status.path("conditions").get(0).path("message").asText()).isEqualTo("unknown users: ghost");

        // 3. kill -9 the leader; the follower must lead within the lease time plus a margin
        long killedAt = System.nanoTime();
        leader.kill();
        long deadline = killedAt + Duration.ofSeconds(15).toNanos();
        boolean leads = false;
        while (!leads && System.nanoTime() < deadline) {
            leads = ready(follower).path("leader").asBoolean();
            if (!leads) Thread.sleep(20);
        }
        Duration failover = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.printf("leader failover with a %d s lease took %d ms (kill -9 to /readyz leader:true)%n",
                LEASE.toSeconds(), failover.toMillis());
        assertThat(leads).as("the surviving replica leads within 15 s").isTrue();
        assertThat(failover).isLessThan(LEASE.plus(MARGIN));
        LeaseRow current = lease(url);
        assertThat(current.holder()).isEqualTo(ready(follower).path("identity").asText());
        assertThat(current.fence()).as("fencing token").isGreaterThan(old.fence());

        // 4. the new leader's controllers follow a spec change
        var patched = follower.call("PATCH", "/api/v1/tenants/failover/projects/vision", token, """
                {"spec":{"members":[{"user":"ghost","role":"practitioner"},{"user":"admin","role":"viewer"}]}}""");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        awaitObservedGeneration(follower, token, 2);

        // 5. a write under the dead leader's lease token is refused; under the current one it goes through
        try (Database database = Database.connect(url, "postgres", null)) {
            ResourceStore store = new ResourceStore(database, Clock.systemUTC());
            WriteContext stale = new WriteContext("x", new WriteContext.Fence("controllers", old.holder(), old.fence()));
            assertThatThrownBy(() -> store.update(PROJECT, r -> r.withMetadata(r.metadata().withLabels(Map.of("fenced", "old"))), stale, "update"))
                    .isInstanceOf(FencedException.class);
            assertThat(store.get(PROJECT).orElseThrow().metadata().labels()).doesNotContainKey("fenced");

            LeaseRow now = lease(url);
            WriteContext fresh = new WriteContext("x", new WriteContext.Fence("controllers", now.holder(), now.fence()));
            store.update(PROJECT, r -> r.withMetadata(r.metadata().withLabels(Map.of("fenced", "current"))), fresh, "update");
            assertThat(store.get(PROJECT).orElseThrow().metadata().labels()).containsEntry("fenced", "current");
        }
    }

    private static ServerProcesses.Server awaitSingleLeader(ServerProcesses.Server a, ServerProcesses.Server b) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            boolean aLeads = ready(a).path("leader").asBoolean();
            boolean bLeads = ready(b).path("leader").asBoolean();
            assertThat(aLeads && bLeads).as("both replicas claim to lead").isFalse();
            if (aLeads) return a;
            if (bLeads) return b;
            Thread.sleep(50);
        }
        throw new AssertionError("no replica took the controller lease within 15 s");
    }

    private static JsonNode ready(ServerProcesses.Server s) {
        var r = s.call("GET", "/readyz", null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.tree(r.body());
    }

    private static JsonNode awaitObservedGeneration(ServerProcesses.Server s, String token, long generation) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        JsonNode project = null;
        while (System.nanoTime() < deadline) {
            var r = s.call("GET", "/api/v1/tenants/failover/projects/vision", token, null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            project = Json.tree(r.body());
            if (project.path("status").path("observedGeneration").asLong() == generation) return project.path("status");
            Thread.sleep(50);
        }
        throw new AssertionError("status.observedGeneration did not reach " + generation + " within 15 s: " + project);
    }

    private static void created(java.net.http.HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    /** The controller lease's holder and fencing token, read with plain JDBC. */
    private record LeaseRow(String holder, long fence) {
    }

    private static LeaseRow lease(String url) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        try (Connection c = DriverManager.getConnection(url, props); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT holder, fence FROM leases WHERE name = 'controllers'")) {
            assertThat(rs.next()).as("a controllers lease row").isTrue();
            return new LeaseRow(rs.getString("holder"), rs.getLong("fence"));
        }
    }
}
