package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.assertError;
import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;
import static dev.millwright.server.ApiFixtures.names;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sites are visible to every authenticated caller, and a non-admin's list of them pages like any other list:
 * it honours {@code limit}, and following {@code continue} returns each site exactly once.
 */
class SiteListTest {
    private static final List<String> SITES = List.of("s1", "s2", "s3", "s4", "s5");

    private static TestServer server;
    private static String pat;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        create(server, "/api/v1/users", ApiFixtures.user("pat"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme", "pat", "practitioner"));
        for (String name : SITES) {
            create(server, "/api/v1/sites", "{\"kind\":\"Site\",\"metadata\":{\"name\":\"" + name + "\"},"
                    + "\"spec\":{\"kind\":\"datacenter\",\"region\":\"eu\",\"jurisdiction\":\"DE\"}}");
        }
        pat = ApiFixtures.token(server, "pat");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** Every page of {@code path} as {@code token}, following continue tokens; fails on more pages than sites. */
    private static List<JsonNode> pages(String path, String token) {
        List<JsonNode> out = new ArrayList<>();
        String next = null;
        do {
            assertThat(out.size()).as("pages so far, without an end").isLessThanOrEqualTo(SITES.size() + 1);
            JsonNode page = expect(server.call("GET", path + (next == null ? "" : "&continue=" + next), token, null), 200);
            out.add(page);
            next = page.path("metadata").path("continue").asText(null);
        } while (next != null);
        return out;
    }

    @Test
    void aPractitionerPagesThroughTheSitesSeeingEachOnce() {
        List<JsonNode> pages = pages("/api/v1/sites?limit=1", pat);
        List<String> seen = new ArrayList<>();
        for (JsonNode page : pages) {
            assertThat(page.get("items").size()).as("items on a page of limit 1").isLessThanOrEqualTo(1);
            seen.addAll(names(page));
        }
        assertThat(seen).containsExactlyElementsOf(SITES);
        assertThat(pages).hasSizeBetween(SITES.size(), SITES.size() + 1);

        List<String> byTwo = new ArrayList<>();
        for (JsonNode page : pages("/api/v1/sites?limit=2", pat)) byTwo.addAll(names(page));
        assertThat(byTwo).containsExactlyElementsOf(SITES);
        assertThat(names(expect(server.call("GET", "/api/v1/sites", pat, null), 200))).containsExactlyElementsOf(SITES);
    }

    @Test
    void aPractitionersSiteListRefusesABadLimitOrContinueToken() {
        assertError(server.call("GET", "/api/v1/sites?limit=0", pat, null), 400, "limit");
        assertError(server.call("GET", "/api/v1/sites?limit=1&continue=garbage", pat, null), 400, "continue");
    }
}
