package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.assertError;
import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.detailLines;
import static dev.millwright.server.ApiFixtures.expect;
import static dev.millwright.server.ApiFixtures.names;
import static dev.millwright.server.FleetFixtures.cluster;
import static dev.millwright.server.FleetFixtures.enc;
import static dev.millwright.server.FleetFixtures.get;
import static dev.millwright.server.FleetFixtures.machine;
import static dev.millwright.server.FleetFixtures.pool;
import static dev.millwright.server.FleetFixtures.site;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fleet kinds through the HTTP API on a server without the demo and with a still twin: creation, the
 * checks that need other objects (references, one pool per machine), field selectors and who sees what.
 * Each test works on objects of its own, so the order does not matter.
 */
class FleetApiTest {
    private static TestServer server;
    private static String pat;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        create(server, "/api/v1/users", ApiFixtures.user("pat"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("automaker", "pat", "practitioner"));
        pat = ApiFixtures.token(server, "pat");
        create(server, "/api/v1/sites", site("munich", "datacenter", "DE"));
        create(server, "/api/v1/sites", site("frankfurt", "cloud", "DE"));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void createsSitesMachinesClustersAndNodePools() {
        JsonNode edge = create(server, "/api/v1/sites", site("hamburg-port", "edge", "DE"));
        assertThat(edge.at("/spec/jurisdiction").asText()).isEqualTo("DE");
        create(server, "/api/v1/machines", machine("ham-n01", "hamburg-port", "twin://l40s-4x", 4));
        create(server, "/api/v1/machines", machine("ham-n02", "hamburg-port", "twin://l40s-4x", -1));
        JsonNode c = create(server, "/api/v1/clusters", cluster("ham-edge", "hamburg-port", "automaker"));
        assertThat(c.at("/spec/tenant").asText()).isEqualTo("automaker");
        JsonNode p = create(server, "/api/v1/nodepools", pool("ham-edge-l40s", "ham-edge", "ham-n01", "ham-n02"));
        assertThat(p.at("/spec/machines")).hasSize(2);

        assertThat(get(server, "/api/v1/machines/ham-n01").at("/spec/bmc/endpoint").asText()).isEqualTo("twin://l40s-4x");
        assertThat(names(get(server, "/api/v1/nodepools"))).contains("ham-edge-l40s");
        assertThat(names(get(server, "/api/v1/clusters"))).contains("ham-edge");
        // YAML works as well as JSON
        expect(server.call("POST", "/api/v1/sites", server.adminToken(), """
                kind: Site
                metadata: {name: yaml-site}
                spec: {kind: edge, region: de-bw, jurisdiction: DE, provider: {name: twin}}
                """, ApiFixtures.YAML), 201);
    }

    @Test
    void refusesAMachineAtAnUnknownSiteAndWritesNothing() {
        JsonNode error = assertError(server.admin("POST", "/api/v1/machines", machine("lost-n01", "nope", "twin://hgx-h100", 8)),
                422, "Site nope not found");
        assertThat(error.path("details").fieldNames()).toIterable().containsExactly("spec.site");
        assertThat(detailLines(error)).containsExactly("spec.site: Site nope not found");
        assertError(server.admin("GET", "/api/v1/machines/lost-n01", null), 404);
        assertThat(names(get(server, "/api/v1/machines"))).doesNotContain("lost-n01");
        List<JsonNode> audited = new java.util.ArrayList<>();
        get(server, "/api/v1/audit?kind=Machine&limit=1000").path("items").forEach(r -> {
            if (r.path("name").asText().equals("lost-n01")) audited.add(r);
        });
        assertThat(audited).as("audited once, as refused").singleElement()
                .satisfies(r -> assertThat(r.path("outcome").asInt()).as("%s", r).isEqualTo(422));
    }

    @Test
    void refusesAnInvalidMachineBeforeLookingAtItsReferences() {
        JsonNode error = assertError(server.admin("POST", "/api/v1/machines", machine("bad-n01", "nope", "ftp://x", 8)), 422,
                "spec.bmc.endpoint");
        assertThat(error.path("details").has("spec.site")).as("schema errors come first: %s", error).isFalse();
        assertError(server.admin("POST", "/api/v1/sites", site("bad-site", "edge", "XX")), 422, "spec.jurisdiction", "XX");
    }

    @Test
    void aMachineIsInAtMostOneNodePool() {
        create(server, "/api/v1/machines", machine("one-n01", "munich", "twin://hgx-h100", 8));
        create(server, "/api/v1/machines", machine("one-n02", "munich", "twin://hgx-h100", 8));
        create(server, "/api/v1/machines", machine("one-n03", "munich", "twin://hgx-h100", 8));
        create(server, "/api/v1/clusters", cluster("one-a", "munich", null));
        create(server, "/api/v1/clusters", cluster("one-b", "munich", null));
        create(server, "/api/v1/nodepools", pool("one-a-pool", "one-a", "one-n01", "one-n02"));

        JsonNode error = assertError(server.admin("POST", "/api/v1/nodepools", pool("one-b-pool", "one-b", "one-n03", "one-n02")),
                422, "one-n02", "one-a-pool");
        assertThat(detailLines(error)).containsExactly("spec.machines[1]: machine one-n02 is already in node pool one-a-pool");
        assertError(server.admin("GET", "/api/v1/nodepools/one-b-pool", null), 404);

        // a pool's own machines do not conflict with itself when it is changed
        expect(server.call("PATCH", "/api/v1/nodepools/one-a-pool", server.adminToken(),
                "{\"metadata\":{\"labels\":{\"x\":\"y\"}},\"spec\":{\"machines\":[\"one-n01\",\"one-n02\",\"one-n03\"]}}",
                ApiFixtures.MERGE_PATCH), 200);
        // and once it holds one-n03, no other pool may take it, by create or by update
        create(server, "/api/v1/nodepools", pool("one-b-pool", "one-b"));
        JsonNode patched = assertError(server.call("PATCH", "/api/v1/nodepools/one-b-pool", server.adminToken(),
                "{\"spec\":{\"machines\":[\"one-n03\"]}}", ApiFixtures.MERGE_PATCH), 422);
        assertThat(detailLines(patched)).containsExactly("spec.machines[0]: machine one-n03 is already in node pool one-a-pool");
        JsonNode replaced = assertError(server.admin("PUT", "/api/v1/nodepools/one-b-pool", pool("one-b-pool", "one-b", "one-n01")), 422);
        assertThat(detailLines(replaced)).containsExactly("spec.machines[0]: machine one-n01 is already in node pool one-a-pool");

        // freed by deleting the first pool, the machines may join another
        expect(server.admin("DELETE", "/api/v1/nodepools/one-a-pool", null), 200);
        expect(server.admin("PUT", "/api/v1/nodepools/one-b-pool", pool("one-b-pool", "one-b", "one-n01", "one-n02", "one-n03")), 200);
    }

    @Test
    void twoConcurrentPoolsCannotBothTakeOneMachine() throws Exception {
        create(server, "/api/v1/clusters", cluster("race-c", "munich", null));
        java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 10; i++) {
                String m = "race-n" + i;
                create(server, "/api/v1/machines", machine(m, "munich", "twin://hgx-h100", 8));
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
                List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
                for (String p : List.of("race-" + i + "-a", "race-" + i + "-b")) {
                    answers.add(executor.submit(() -> {
                        start.await();
                        return server.admin("POST", "/api/v1/nodepools", pool(p, "race-c", m)).statusCode();
                    }));
                }
                List<Integer> codes = List.of(answers.get(0).get(), answers.get(1).get());
                assertThat(codes).as("machine %s offered to two pools at once", m).containsExactlyInAnyOrder(201, 422);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void refusesANodePoolNamingAMissingMachineOrCluster() {
        create(server, "/api/v1/machines", machine("miss-n01", "munich", "twin://hgx-h100", 8));
        create(server, "/api/v1/clusters", cluster("miss-c", "munich", null));
        JsonNode error = assertError(server.admin("POST", "/api/v1/nodepools", pool("miss-pool", "miss-c", "miss-n01", "ghost")),
                422, "Machine ghost not found");
        assertThat(detailLines(error)).containsExactly("spec.machines[1]: Machine ghost not found");

        JsonNode both = assertError(server.admin("POST", "/api/v1/nodepools", pool("miss-pool", "no-cluster", "ghost")), 422);
        assertThat(detailLines(both)).containsExactlyInAnyOrder("spec.cluster: Cluster no-cluster not found", "spec.machines[0]: Machine ghost not found");
        assertError(server.admin("GET", "/api/v1/nodepools/miss-pool", null), 404);
    }

    @Test
    void refusesAClusterForAMissingTenantOrSite() {
        JsonNode error = assertError(server.admin("POST", "/api/v1/clusters", cluster("c-nobody", "munich", "nobody")), 422,
                "Tenant nobody not found");
        assertThat(detailLines(error)).containsExactly("spec.tenant: Tenant nobody not found");
        JsonNode site = assertError(server.admin("POST", "/api/v1/clusters", cluster("c-nowhere", "atlantis", null)), 422);
        assertThat(detailLines(site)).containsExactly("spec.site: Site atlantis not found");
        assertError(server.admin("GET", "/api/v1/clusters/c-nobody", null), 404);
    }

    @Test
    void checksReferencesOnUpdatesToo() {
        create(server, "/api/v1/machines", machine("upd-n01", "munich", "twin://hgx-h100", 8));
        JsonNode error = assertError(server.call("PATCH", "/api/v1/machines/upd-n01", server.adminToken(),
                "{\"spec\":{\"site\":\"nope\"}}", ApiFixtures.MERGE_PATCH), 422, "Site nope not found");
        assertThat(detailLines(error)).containsExactly("spec.site: Site nope not found");
        assertThat(get(server, "/api/v1/machines/upd-n01").at("/spec/site").asText()).isEqualTo("munich");
        expect(server.call("PATCH", "/api/v1/machines/upd-n01", server.adminToken(),
                "{\"spec\":{\"site\":\"frankfurt\"}}", ApiFixtures.MERGE_PATCH), 200);
    }

    @Test
    void filtersListsByFieldSelector() {
        create(server, "/api/v1/machines", machine("sel-muc-1", "munich", "twin://hgx-h100", 8));
        create(server, "/api/v1/machines", machine("sel-muc-2", "munich", "twin://hgx-h200", 8));
        create(server, "/api/v1/machines", machine("sel-fra-1", "frankfurt", "twin://hgx-h100", 8));

        List<String> munich = names(get(server, "/api/v1/machines?fieldSelector=spec.site=munich"));
        assertThat(munich).contains("sel-muc-1", "sel-muc-2").doesNotContain("sel-fra-1");
        assertThat(get(server, "/api/v1/machines?fieldSelector=" + enc("spec.site=munich")).path("items"))
                .allSatisfy(m -> assertThat(m.at("/spec/site").asText()).isEqualTo("munich"));
        assertThat(names(get(server, "/api/v1/machines?fieldSelector=" + enc("spec.site!=munich"))))
                .contains("sel-fra-1").doesNotContain("sel-muc-1", "sel-muc-2");
        assertThat(names(get(server, "/api/v1/machines?fieldSelector="
                + enc("spec.site=munich,spec.bmc.endpoint=twin://hgx-h200")))).containsExactly("sel-muc-2");
        // with a label selector, and paged
        assertThat(names(get(server, "/api/v1/machines?labelSelector=site%3Dfrankfurt&fieldSelector=" + enc("spec.rack=r01"))))
                .contains("sel-fra-1").doesNotContain("sel-muc-1");
        JsonNode page = get(server, "/api/v1/machines?limit=1&fieldSelector=" + enc("spec.site=munich"));
        assertThat(page.path("items")).hasSize(1);
        assertThat(page.at("/metadata/continue").asText()).isNotEmpty();
        // sites, visible to everyone, filter for a practitioner too
        JsonNode sites = expect(server.call("GET", "/api/v1/sites?fieldSelector=" + enc("spec.kind=cloud"), pat, null), 200);
        assertThat(names(sites)).contains("frankfurt").doesNotContain("munich");
    }

    @Test
    void refusesABadFieldSelectorNamingTheParameter() {
        for (String bad : List.of("site=munich", "metadata.name=x", "spec.site", "spec..x=1")) {
            JsonNode error = assertError(server.admin("GET", "/api/v1/machines?fieldSelector=" + enc(bad), null), 400);
            assertThat(error.path("details").fieldNames()).toIterable().as(bad).containsExactly("fieldSelector");
        }
        assertError(server.admin("GET", "/api/v1/machines?watch=true&fieldSelector=" + enc("nope"), null), 400, "fieldSelector");
    }

    @Test
    void watchesOnlyWhatTheFieldSelectorMatches() {
        String path = "/api/v1/machines?watch=true&fieldSelector=" + enc("spec.site=frankfurt");
        try (SseStream watch = SseStream.open(server, path, server.adminToken())) {
            assertThat(watch.status()).isEqualTo(200);
            List<SseStream.Event> initial = watch.until(e -> e.type().equals("BOOKMARK"), Duration.ofSeconds(10));
            assertThat(initial).filteredOn(e -> e.type().equals("ADDED"))
                    .allSatisfy(e -> assertThat(e.data().at("/object/spec/site").asText()).isEqualTo("frankfurt"));
            create(server, "/api/v1/machines", machine("watch-muc", "munich", "twin://hgx-h100", 8));
            create(server, "/api/v1/machines", machine("watch-fra", "frankfurt", "twin://hgx-h100", 8));
            List<SseStream.Event> live = watch.until(e -> e.type().equals("ADDED") && e.name().equals("watch-fra"), Duration.ofSeconds(10));
            assertThat(live).extracting(SseStream.Event::name).doesNotContain("watch-muc");
        }
    }

    @Test
    void machinesAndClustersArePlatformInternalsButSitesArePublic() {
        create(server, "/api/v1/machines", machine("vis-n01", "munich", "twin://hgx-h100", 8));
        create(server, "/api/v1/clusters", cluster("vis-c", "munich", "automaker"));

        assertError(server.call("GET", "/api/v1/machines/vis-n01", pat, null), 404);
        assertError(server.call("GET", "/api/v1/clusters/vis-c", pat, null), 404, "vis-c");
        // a list leaks nothing either: platform internals are not in it
        assertThat(names(expect(server.call("GET", "/api/v1/machines", pat, null), 200))).isEmpty();
        assertThat(names(expect(server.call("GET", "/api/v1/nodepools", pat, null), 200))).isEmpty();
        assertThat(names(expect(server.call("GET", "/api/v1/clusters?fieldSelector=" + enc("spec.tenant=automaker"), pat, null), 200)))
                .isEmpty();

        assertThat(names(expect(server.call("GET", "/api/v1/sites", pat, null), 200))).contains("munich", "frankfurt");
        assertThat(expect(server.call("GET", "/api/v1/sites/munich", pat, null), 200).at("/spec/jurisdiction").asText()).isEqualTo("DE");
        assertError(server.call("POST", "/api/v1/sites", pat, site("pat-site", "edge", "DE")), 403);
        assertError(server.call("DELETE", "/api/v1/sites/munich", pat, null), 403);
        assertError(server.call("POST", "/api/v1/machines", pat, machine("pat-n01", "munich", "twin://hgx-h100", 8)), 404);
        assertError(server.call("GET", "/api/v1/fleet", pat, null), 403);
        assertError(server.call("GET", "/api/v1/machines", null, null), 401);
    }
}
