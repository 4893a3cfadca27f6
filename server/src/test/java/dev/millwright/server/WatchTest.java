package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.MERGE_PATCH;
import static dev.millwright.server.ApiFixtures.assertError;
import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static dev.millwright.server.ApiFixtures.rv;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Watches as server-sent events: the current objects (without ids) then a bookmark at the revision they were
 * read at, every later change with its revision as the event id, and a resume after a disconnect that
 * delivers exactly the changes missed. The oracle for "exactly" is the change feed's own table, read with
 * SQL: controllers write status too, and their changes belong in the stream as much as the test's own.
 */
class WatchTest {
    private static final String WATCH = "/api/v1/tenants/acme/projects?watch=true";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static TestServer server;
    private static String gina;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        create(server, "/api/v1/users", ApiFixtures.user("gina"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("globex", "gina", "viewer"));
        create(server, "/api/v1/tenants/acme/projects", ApiFixtures.project("p1", "one", "team", "red"));
        create(server, "/api/v1/tenants/acme/projects", ApiFixtures.project("p2", "two", "team", "blue"));
        create(server, "/api/v1/tenants/acme/projects", ApiFixtures.project("p3", "three", "team", "red"));
        create(server, "/api/v1/tenants/globex/projects", ApiFixtures.project("elsewhere", "not acme's"));
        gina = ApiFixtures.token(server, "gina");
        ApiFixtures.awaitSettled(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** Project changes in acme after {@code after}, as "revision TYPE name", from the change feed's table. */
    private static List<String> feedAfter(long after) {
        return server.server().database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT revision, type, name FROM changes WHERE kind = 'Project' AND tenant = 'acme' AND revision > :after ORDER BY revision")
                .bind("after", after)
                .map((rs, ctx) -> rs.getLong("revision") + " " + rs.getString("type") + " " + rs.getString("name"))
                .list());
    }

    private static List<String> describe(List<SseStream.Event> events) {
        List<String> out = new ArrayList<>();
        for (SseStream.Event e : events) if (!e.type().equals("BOOKMARK")) out.add(e.id() + " " + e.type() + " " + e.name());
        return out;
    }

    /** The initial objects of a watch, as "resourceVersion ADDED name". */
    private static List<String> describeInitial(List<SseStream.Event> events) {
        List<String> out = new ArrayList<>();
        for (SseStream.Event e : events) if (!e.type().equals("BOOKMARK")) out.add(e.objectResourceVersion() + " " + e.type() + " " + e.name());
        return out;
    }

    /** Initial ADDED events carry no id: only the bookmark after them is a point to resume from. */
    private static void assertInitialEventsHaveNoIds(List<SseStream.Event> initial) {
        assertThat(initial).isNotEmpty();
        SseStream.Event bookmark = initial.get(initial.size() - 1);
        assertThat(bookmark.type()).isEqualTo("BOOKMARK");
        assertThat(bookmark.data().get("resourceVersion").asText()).isEqualTo(bookmark.id());
        for (SseStream.Event e : initial.subList(0, initial.size() - 1)) {
            assertThat(e.type()).as("%s", e).isEqualTo("ADDED");
            assertThat(e.id()).as("id of the initial %s", e).isNull();
            assertThat(e.objectResourceVersion()).as("%s was read at the bookmark's revision", e).isLessThanOrEqualTo(bookmark.revision());
            assertThat(e.data().at("/object/metadata/tenant").asText()).isEqualTo("acme");
        }
    }

    private static void assertIdsAreResourceVersions(List<SseStream.Event> events) {
        for (SseStream.Event e : events) {
            if (e.type().equals("BOOKMARK")) {
                assertThat(e.data().get("resourceVersion").asText()).isEqualTo(e.id());
            } else {
                assertThat(e.revision()).as("id of %s", e).isEqualTo(e.objectResourceVersion());
                assertThat(e.data().at("/object/metadata/tenant").asText()).isEqualTo("acme");
            }
        }
    }

    @Test
    void resumesAfterADisconnectWithExactlyTheMissedChanges() {
        ApiFixtures.awaitSettled(server);
        JsonNode list = expect(server.admin("GET", "/api/v1/tenants/acme/projects", null), 200);
        List<String> listed = new ArrayList<>();
        for (JsonNode item : list.get("items")) listed.add(rv(item) + " ADDED " + item.at("/metadata/name").asText());

        // 1. the current objects, then a bookmark at the list's revision
        long lastId;
        try (SseStream watch = SseStream.open(server, WATCH, server.adminToken())) {
            assertThat(watch.status()).isEqualTo(200);
            assertThat(watch.contentType()).startsWith("text/event-stream");
            List<SseStream.Event> initial = watch.until(e -> e.type().equals("BOOKMARK"), WAIT);
            assertThat(describeInitial(initial)).containsExactlyInAnyOrderElementsOf(listed);
            SseStream.Event bookmark = initial.get(initial.size() - 1);
            assertThat(bookmark.revision()).isGreaterThanOrEqualTo(Long.parseLong(list.at("/metadata/resourceVersion").asText()));
            assertInitialEventsHaveNoIds(initial);

            // 2. changes arrive as MODIFIED, DELETED and ADDED, with the revision of each write as their id
            long patched = rv(expect(server.call("PATCH", "/api/v1/tenants/acme/projects/p1", server.adminToken(),
                    "{\"metadata\":{\"labels\":{\"stage\":\"one\"}}}", MERGE_PATCH), 200));
            long deleted = rv(expect(server.admin("DELETE", "/api/v1/tenants/acme/projects/p2", null), 200));
            long added = rv(create(server, "/api/v1/tenants/acme/projects", ApiFixtures.project("p4", "four", "team", "blue")));
            List<SseStream.Event> live = watch.until(e -> !e.type().equals("BOOKMARK") && e.revision() >= added, WAIT);
            assertThat(describe(live)).contains(patched + " MODIFIED p1", deleted + " DELETED p2", added + " ADDED p4");
            assertIdsAreResourceVersions(live);
            lastId = live.get(live.size() - 1).revision();
            assertThat(describe(live)).as("no gap and no duplicate").isEqualTo(
                    feedAfter(bookmark.revision()).stream().filter(c -> Long.parseLong(c.split(" ")[0]) <= lastId).toList());
        }

        // 3. while nobody watches, more changes
        ObjectNode p3 = (ObjectNode) expect(server.admin("GET", "/api/v1/tenants/acme/projects/p3", null), 200);
        p3.with("spec").put("description", "three, revised");
        p3.remove("status");
        expect(server.admin("PUT", "/api/v1/tenants/acme/projects/p3", Json.string(p3)), 200);
        expect(server.admin("DELETE", "/api/v1/tenants/acme/projects/p4", null), 200);
        create(server, "/api/v1/tenants/acme/projects", ApiFixtures.project("p5", "five"));
        expect(server.call("PATCH", "/api/v1/tenants/acme/projects/p1", server.adminToken(),
                "{\"metadata\":{\"labels\":{\"stage\":\"two\"}}}", MERGE_PATCH), 200);
        ApiFixtures.awaitSettled(server);
        List<String> missed = feedAfter(lastId);
        assertThat(missed).anyMatch(c -> c.endsWith("DELETED p4")).anyMatch(c -> c.endsWith("ADDED p5"));

        // 4. a resume from the last id gets exactly the missed changes, in order, and nothing before them
        for (Map<String, String> header : List.of(Map.of("Last-Event-ID", Long.toString(lastId)), Map.<String, String>of())) {
            String path = header.isEmpty() ? WATCH + "&resourceVersion=" + lastId : WATCH;
            try (SseStream resumed = SseStream.open(server, path, server.adminToken(), header)) {
                assertThat(resumed.status()).isEqualTo(200);
                List<SseStream.Event> got = new ArrayList<>();
                while (describe(got).size() < missed.size()) got.addAll(resumed.until(e -> !e.type().equals("BOOKMARK"), WAIT));
                assertThat(describe(got)).as("resumed via %s", header.isEmpty() ? "resourceVersion" : "Last-Event-ID").isEqualTo(missed);
                assertIdsAreResourceVersions(got);
                assertThat(describe(resumed.drain(Duration.ofMillis(500)))).as("nothing more").isEmpty();
            }
        }
    }

    @Test
    void theBookmarkAfterTheInitialObjectsCarriesTheListRevisionAndResumingFromItGivesExactlyTheLaterChanges() {
        ApiFixtures.awaitSettled(server);
        JsonNode list = expect(server.admin("GET", "/api/v1/tenants/acme/projects", null), 200);
        long listRevision = Long.parseLong(list.at("/metadata/resourceVersion").asText());
        SseStream.Event bookmark;
        try (SseStream watch = SseStream.open(server, WATCH, server.adminToken())) {
            List<SseStream.Event> initial = watch.until(e -> e.type().equals("BOOKMARK"), WAIT);
            assertInitialEventsHaveNoIds(initial);
            assertThat(initial.subList(0, initial.size() - 1)).extracting(SseStream.Event::name)
                    .containsExactlyInAnyOrderElementsOf(ApiFixtures.names(list));
            bookmark = initial.get(initial.size() - 1);
            assertThat(bookmark.revision()).as("the revision the initial objects were read at; nothing was written since the list")
                    .isEqualTo(listRevision);
        }

        long added = rv(create(server, "/api/v1/tenants/acme/projects", ApiFixtures.project("after-bookmark", "later")));
        long patched = rv(expect(server.call("PATCH", "/api/v1/tenants/acme/projects/after-bookmark", server.adminToken(),
                "{\"metadata\":{\"labels\":{\"stage\":\"later\"}}}", MERGE_PATCH), 200));
        ApiFixtures.awaitSettled(server);
        List<String> later = feedAfter(bookmark.revision());
        assertThat(later).contains(added + " ADDED after-bookmark", patched + " MODIFIED after-bookmark");

        try (SseStream resumed = SseStream.open(server, WATCH, server.adminToken(), Map.of("Last-Event-ID", bookmark.id()))) {
            assertThat(resumed.status()).isEqualTo(200);
            List<SseStream.Event> got = new ArrayList<>();
            while (describe(got).size() < later.size()) got.addAll(resumed.until(e -> !e.type().equals("BOOKMARK"), WAIT));
            assertThat(describe(got)).as("exactly the changes after the bookmark, none of the initial objects again").isEqualTo(later);
            assertIdsAreResourceVersions(got);
            assertThat(describe(resumed.drain(Duration.ofMillis(500)))).as("nothing more").isEmpty();
        }
    }

    @Test
    void aWatchWithALabelSelectorGetsOnlyMatchingObjects() {
        create(server, "/api/v1/tenants/acme/projects", ApiFixtures.project("sel-red", "red one", "colour", "red"));
        create(server, "/api/v1/tenants/acme/projects", ApiFixtures.project("sel-blue", "blue one", "colour", "blue"));
        try (SseStream watch = SseStream.open(server, WATCH + "&labelSelector=colour%3Dred", server.adminToken())) {
            assertThat(watch.status()).isEqualTo(200);
            List<SseStream.Event> events = new ArrayList<>(watch.until(e -> e.type().equals("BOOKMARK"), WAIT));
            assertThat(describe(events)).hasSize(1).allMatch(e -> e.endsWith("ADDED sel-red"));

            create(server, "/api/v1/tenants/acme/projects", ApiFixtures.project("sel-blue-2", "blue two", "colour", "blue"));
            expect(server.call("PATCH", "/api/v1/tenants/acme/projects/sel-blue", server.adminToken(),
                    "{\"spec\":{\"description\":\"still blue\"}}", MERGE_PATCH), 200);
            long red = rv(create(server, "/api/v1/tenants/acme/projects", ApiFixtures.project("sel-red-2", "red two", "colour", "red")));
            events.addAll(watch.until(e -> !e.type().equals("BOOKMARK") && e.revision() >= red, WAIT));
            for (SseStream.Event e : events) {
                if (!e.type().equals("BOOKMARK")) assertThat(e.data().at("/object/metadata/labels/colour").asText()).as("%s", e).isEqualTo("red");
            }
            assertThat(describe(events)).contains(red + " ADDED sel-red-2").noneMatch(e -> e.contains("blue"));
        }
    }

    @Test
    void aWatchOfAnotherTenantIsNotFoundLikeAMissingTenant() {
        try (SseStream own = SseStream.open(server, "/api/v1/tenants/globex/projects?watch=true", gina)) {
            assertThat(own.status()).isEqualTo(200);
            assertThat(describe(own.until(e -> e.type().equals("BOOKMARK"), WAIT))).hasSize(1).allMatch(e -> e.endsWith("ADDED elsewhere"));
        }
        try (SseStream other = SseStream.open(server, WATCH, gina);
             SseStream missing = SseStream.open(server, "/api/v1/tenants/nowhere/projects?watch=true", gina)) {
            assertThat(other.status()).isEqualTo(404);
            assertThat(Json.tree(other.errorBody()).get("message").asText()).isEqualTo("Tenant acme not found");
            assertThat(missing.errorBody()).isEqualTo(other.errorBody().replace("acme", "nowhere"));
        }
        try (SseStream across = SseStream.open(server, "/api/v1/projects?watch=true", gina)) {
            assertThat(describe(across.until(e -> e.type().equals("BOOKMARK"), WAIT))).hasSize(1).allMatch(e -> e.endsWith("ADDED elsewhere"));
        }
        assertError(server.call("GET", WATCH, null, null), 401);
    }

    @Test
    void aWatchFromACompactedRevisionIsGone() {
        var jdbi = server.server().database().jdbi();
        jdbi.useHandle(h -> h.execute("UPDATE feed_compaction SET through = 2 WHERE id = 1"));
        try {
            try (SseStream old = SseStream.open(server, WATCH + "&resourceVersion=1", server.adminToken())) {
                assertThat(old.status()).isEqualTo(410);
                JsonNode error = Json.tree(old.errorBody());
                assertThat(error.get("title").asText()).isEqualTo("Gone");
                assertThat(error.get("message").asText()).contains("resourceVersion 1 is too old", "list again");
            }
            try (SseStream old = SseStream.open(server, WATCH, server.adminToken(), Map.of("Last-Event-ID", "1"))) {
                assertThat(old.status()).isEqualTo(410);
            }
            try (SseStream recent = SseStream.open(server, WATCH + "&resourceVersion=2", server.adminToken())) {
                assertThat(recent.status()).as("the compaction horizon itself can still be resumed from").isEqualTo(200);
            }
        } finally {
            jdbi.useHandle(h -> h.execute("UPDATE feed_compaction SET through = 0 WHERE id = 1"));
        }
    }
}
