package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.create;
import static dev.millwright.server.FleetFixtures.cluster;
import static dev.millwright.server.FleetFixtures.machine;
import static dev.millwright.server.FleetFixtures.pool;
import static dev.millwright.server.FleetFixtures.site;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An environment's bill of materials: its stack's packs with what they contain, and its workloads' images, as valid CycloneDX 1.6. */
class SbomTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TwinWorld.start("sbom");
        create(server, "/api/v1/tenants", ApiFixtures.tenant("acme"));
        create(server, "/api/v1/sites", site("muc", "datacenter", "DE"));
        create(server, "/api/v1/machines", machine("s1", "muc", "twin://hgx-h100/s1", 8));
        create(server, "/api/v1/clusters", cluster("c1", "muc", null));
        create(server, "/api/v1/nodepools", pool("p", "c1", "s1"));
        TwinWorld.publishLlmTemplateAndApps(server);
        create(server, "/api/v1/tenants/acme/environments", """
                {"kind":"Environment","metadata":{"name":"prod"},"spec":{"stage":"prod","template":{"name":"llm","version":"1.0.0"},"nodePools":["p"]}}""");
        create(server, "/api/v1/tenants/acme/workloads", """
                {"kind":"Workload","metadata":{"name":"chat"},"spec":{"environment":"prod","app":"vllm-inference","replicas":1,"gpusPerReplica":1,
                 "parameters":{"model":"meta-llama/Llama-3.1-8B-Instruct"}}}""");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** Every component, nested ones included. */
    private static List<JsonNode> all(JsonNode components) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode c : components) {
            out.add(c);
            out.addAll(all(c.path("components")));
        }
        return out;
    }

    /** CycloneDX's own 1.6 schema, with the two it refers to, from test resources. */
    private static List<String> schemaErrors(JsonNode bom) throws IOException {
        Map<String, String> schemas = new HashMap<>();
        for (String name : List.of("bom-1.6.schema.json", "spdx.schema.json", "jsf-0.82.schema.json")) {
            try (InputStream in = SbomTest.class.getResourceAsStream("/cyclonedx/" + name)) {
                schemas.put("http://cyclonedx.org/schema/" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7, b -> b.schemas(schemas));
        return registry.getSchema(SchemaLocation.of("http://cyclonedx.org/schema/bom-1.6.schema.json")).validate(bom).stream()
                .map(Object::toString).toList();
    }

    @Test
    void theEnvironmentsPacksTheirPackagesAndItsWorkloadsImagesAsValidCycloneDx() throws Exception {
        HttpResponse<String> r = server.admin("GET", "/api/v1/tenants/acme/environments/prod/sbom", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/vnd.cyclonedx+json"));
        JsonNode bom = Json.tree(r.body());

        assertThat(schemaErrors(bom)).as("CycloneDX 1.6 schema").isEmpty();
        var broken = bom.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.path("components").get(0)).put("type", "gadget");
        assertThat(schemaErrors(broken)).as("the schema check itself catches a bad component type").isNotEmpty();
        assertThat(bom.path("metadata").path("component").path("name").asText()).isEqualTo("prod");
        assertThat(bom.path("metadata").path("component").path("version").asText()).isEqualTo("llm@1.0.0");
        List<JsonNode> components = all(bom.path("components"));
        List<String> top = new ArrayList<>();
        bom.path("components").forEach(c -> top.add(c.path("name").asText()));
        assertThat(top).contains("gpu-driver", "cuda", "kubernetes", "gpu-operator", "vllm");
        assertThat(components).extracting(c -> c.path("purl").asText()).as("the vLLM pack's Python package").contains("pkg:pypi/vllm@0.9.2");
        assertThat(components).filteredOn(c -> c.path("type").asText().equals("container")).extracting(c -> c.path("name").asText())
                .as("the GPU Operator's images and the workload's").anySatisfy(n -> assertThat(n).contains("gpu-operator"))
                .anySatisfy(n -> assertThat(n).contains("vllm"));
        assertThat(components).filteredOn(c -> c.path("name").asText().equals("gpu-driver")).extracting(c -> c.path("type").asText())
                .containsExactly("device-driver");
        Set<String> refs = new HashSet<>();
        assertThat(components).allSatisfy(c -> assertThat(refs.add(c.path("bom-ref").asText())).as("bom-ref %s once", c.path("bom-ref")).isTrue());
        // every reference in the dependency graph names a component (or the environment)
        refs.add(bom.path("metadata").path("component").path("bom-ref").asText());
        bom.path("dependencies").forEach(d -> {
            assertThat(refs).contains(d.path("ref").asText());
            d.path("dependsOn").forEach(x -> assertThat(refs).contains(x.asText()));
        });
    }

    @Test
    void anUnknownEnvironmentIsNotFound() {
        HttpResponse<String> r = server.call("GET", "/api/v1/tenants/acme/environments/nope/sbom", server.adminToken(), null);
        assertThat(r.statusCode()).isEqualTo(404);
    }
}
