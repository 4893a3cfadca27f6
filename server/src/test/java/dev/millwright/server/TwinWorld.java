package dev.millwright.server;

import static dev.millwright.server.ApiFixtures.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.millwright.infra.twin.Twin;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Tests of what runs on nodes: a server whose still twin enrolls machines as ready nodes, moved on by hand. */
final class TwinWorld {
    private TwinWorld() {
    }

    static TestServer start(String hint) {
        return TestServer.start(TestServer.config(dev.millwright.store.TestDatabases.freshUrl(hint))
                .withTwin(ServerConfig.TwinSettings.MANUAL_READY_NODES));
    }

    /** Reads until {@code until} holds, moving the twin's clock on by {@code step} between reads. */
    static JsonNode awaitAdvancing(TestServer server, Supplier<JsonNode> read, Predicate<JsonNode> until, Duration step, String what) {
        return server.awaitAdvancing(read, until, step, what);
    }

    /**
     * Publishes StackTemplate llm 1.0.0 (driver, CUDA, Kubernetes, GPU Operator, vLLM, Kubeflow Trainer) and the
     * demo's AppTemplates: what an environment needs to run inference and training workloads.
     */
    static void publishLlmTemplateAndApps(TestServer server) {
        expect(server.admin("POST", "/api/v1/stacktemplates", """
                {"kind":"StackTemplate","metadata":{"name":"llm-1-0-0"},"spec":{"template":"llm","version":"1.0.0","layers":[
                  {"pack":"gpu-driver","version":"580.95.05"},{"pack":"cuda","version":"12.8.0"},{"pack":"kubernetes","version":"1.33"},
                  {"pack":"gpu-operator","version":"25.10.1"},{"pack":"vllm","version":"0.9.2"},{"pack":"kubeflow-trainer","version":"2.1.0"}]}}"""), 201);
        createAll(server, Path.of("../examples/demo/60-apptemplates.yaml"));
    }

    /** Creates every document of a YAML file as the platform admin (the demo's AppTemplates, say). */
    static void createAll(TestServer server, Path yaml) {
        try (MappingIterator<JsonNode> docs = Json.YAML.readerFor(JsonNode.class).readValues(Files.readString(yaml))) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                String plural = dev.millwright.kinds.Kinds.registry().require(doc.path("kind").asText()).plural();
                expect(server.admin("POST", "/api/v1/" + plural, Json.string(doc)), 201);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
