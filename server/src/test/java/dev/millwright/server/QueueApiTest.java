package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.assertError;
import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.ApiFixtures.expect;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Queues: a tenant's share and its projects' shares of it, consistent in themselves and with each other. */
class QueueApiTest {
    private static TestServer server;
    private static String anna;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        create(server, "/api/v1/users", ApiFixtures.user("anna"));
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme", "anna", "tenant-admin"));
        anna = ApiFixtures.token(server, "anna");
        create(server, "/api/v1/tenants/acme/projects", ApiFixtures.project("vision", "Vision"));
        create(server, "/api/v1/tenants/acme/queues", queue("acme", "", "{\"H100 80GB\":{\"guaranteed\":32,\"limit\":64}}"));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static String queue(String name, String parent, String gpus) {
        return "{\"kind\":\"Queue\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                + (parent.isEmpty() ? "" : "\"parent\":\"" + parent + "\",") + "\"gpus\":" + gpus + "}}";
    }

    @Test
    void projectQueuesDivideTheTenantsGuaranteeAndNoMore() {
        expect(server.call("POST", "/api/v1/tenants/acme/queues", anna, queue("research", "acme", "{\"H100 80GB\":{\"guaranteed\":16}}")), 201);
        assertError(server.call("POST", "/api/v1/tenants/acme/queues", anna, queue("prod", "acme", "{\"NVIDIA H100 80GB HBM3\":{\"guaranteed\":20}}")), 422,
                "the queues under acme would be guaranteed 36", "more than its 32");
        expect(server.call("POST", "/api/v1/tenants/acme/queues", anna, queue("prod", "acme", "{\"H100 80GB\":{\"guaranteed\":16,\"lendingLimit\":8}}")), 201);
        // nor may the parent shrink below what it handed out
        assertError(server.call("PUT", "/api/v1/tenants/acme/queues/acme", server.adminToken(), queue("acme", "", "{\"H100 80GB\":{\"guaranteed\":24}}")), 422,
                "would be guaranteed 32", "more than its 24");
    }

    @Test
    void aShareIsConsistentAndTheHierarchyHasNoCycle() {
        assertError(server.call("POST", "/api/v1/tenants/acme/queues", anna, queue("odd", "acme", "{\"L40S\":{\"guaranteed\":4,\"limit\":2,\"lendingLimit\":5}}")), 422,
                "limit", "is below the guarantee (4)", "lendingLimit", "a queue lends only what it is guaranteed");
        assertError(server.call("POST", "/api/v1/tenants/acme/queues", anna, queue("orphan", "ghost", "{}")), 422, "spec.parent", "Queue ghost not found");
        expect(server.call("POST", "/api/v1/tenants/acme/queues", anna, queue("a", "", "{}")), 201);
        expect(server.call("POST", "/api/v1/tenants/acme/queues", anna, queue("b", "a", "{}")), 201);
        assertError(server.call("PUT", "/api/v1/tenants/acme/queues/a", anna, queue("a", "b", "{}")), 422, "spec.parent", "would be a cycle");
    }
}
