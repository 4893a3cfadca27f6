package dev.millwright.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerSmokeTest {
    @Test
    void servesTenantsAndProjectsToTheAdmin() throws Exception {
        try (TestServer s = TestServer.start()) {
            assertThat(s.call("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
            assertThat(s.call("GET", "/api/v1/tenants", null, null).statusCode()).isEqualTo(401);
            var created = s.admin("POST", "/api/v1/tenants", """
                    {"apiVersion":"millwright.dev/v1","kind":"Tenant","metadata":{"name":"acme"},"spec":{"members":[{"user":"admin","role":"tenant-admin"}]}}""");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            var project = s.admin("POST", "/api/v1/tenants/acme/projects", """
                    {"kind":"Project","metadata":{"name":"vision"},"spec":{"members":[{"user":"bob","role":"practitioner"}]}}""");
            assertThat(project.statusCode()).as(project.body()).isEqualTo(201);
            var bad = s.admin("POST", "/api/v1/tenants/acme/projects", """
                    {"kind":"Project","metadata":{"name":"Bad_Name"},"spec":{"members":[{"user":"bob","role":"boss"}]}}""");
            assertThat(bad.statusCode()).isEqualTo(422);
            assertThat(bad.body()).contains("metadata.name").contains("spec.members[0].role");
            var list = s.admin("GET", "/api/v1/projects", null);
            assertThat(list.body()).contains("vision");
            var openapi = s.call("GET", "/api/v1/openapi.json", null, null);
            assertThat(openapi.body()).contains("ProjectSpec");
            // the controller reports status
            long deadline = System.currentTimeMillis() + 10_000;
            String body = "";
            while (System.currentTimeMillis() < deadline) {
                body = s.admin("GET", "/api/v1/tenants/acme/projects/vision", null).body();
                if (body.contains("UnknownMembers")) break;
                Thread.sleep(100);
            }
            assertThat(body).contains("\"observedGeneration\":1").contains("unknown users: bob");
            var events = s.admin("GET", "/api/v1/events?kind=Project&name=vision&tenant=acme", null);
            assertThat(events.body()).contains("UnknownMembers");
            var verify = s.admin("GET", "/api/v1/audit/verify", null);
            assertThat(verify.body()).contains("\"intact\":true");
            var metrics = s.admin("GET", "/metrics", null);
            assertThat(metrics.body()).contains("millwright_http_requests");
        }
    }
}
