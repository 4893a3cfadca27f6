package dev.millwright.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The policy set Millwright ships ({@code policy/default-policies.yaml}): the manifests, as written there. */
public final class DefaultPolicies {
    static final String RESOURCE = "/policy/default-policies.yaml";

    private DefaultPolicies() {
    }

    public static List<JsonNode> manifests() {
        try (InputStream in = DefaultPolicies.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the build");
            List<JsonNode> out = new ArrayList<>();
            try (MappingIterator<JsonNode> docs = Json.YAML.readerFor(JsonNode.class).readValues(in)) {
                while (docs.hasNext()) {
                    JsonNode doc = docs.next();
                    if (doc != null && !doc.isEmpty()) out.add(doc);
                }
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
