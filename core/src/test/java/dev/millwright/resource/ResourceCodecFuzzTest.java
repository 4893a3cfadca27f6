package dev.millwright.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.millwright.kinds.Kinds;
import dev.millwright.resource.ResourceCodec.Format;
import java.util.Optional;

/**
 * Request bodies are untrusted: whatever bytes arrive, parsing and validation answer with a
 * {@link MillwrightException} (a 4xx) or a resource, never with anything else (StackOverflowError,
 * NullPointerException, ClassCastException, OutOfMemoryError). Every input is tried as JSON and as YAML.
 *
 * <p>Under {@code mvn test} this replays the seeds in {@code ResourceCodecFuzzTestInputs/parsesRequestBodies}.
 * To fuzz: {@code JAZZER_FUZZ=1 mvn -o -pl core test -Dtest=ResourceCodecFuzzTest}; a crashing input is
 * written to that directory and stays there as a regression seed.
 */
class ResourceCodecFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void parsesRequestBodies(byte[] body) {
        for (Format format : Format.values()) {
            Resource r = parseOrNull(body, format);
            if (r == null) continue;
            Optional<KindDefinition> kind = Kinds.registry().find(r.kind());
            try {
                kind.ifPresent(k -> Validation.validate(k, r));
            } catch (MillwrightException expected) {
                // a 4xx is a fine answer to a bad object
            }
            // what the server writes it must read back; from JSON, to the same wire form (JSON does not tell 0.0
            // from 0, and neither does Jackson's tree, so the trees themselves may differ in node class)
            String written = Json.string(ResourceCodec.toJson(r));
            Resource back = ResourceCodec.parse(Json.utf8(written), Format.JSON);
            if (format == Format.JSON) assertThat(Json.string(ResourceCodec.toJson(back))).isEqualTo(written);
        }
    }

    private static Resource parseOrNull(byte[] body, Format format) {
        try {
            return ResourceCodec.parse(body, format);
        } catch (MillwrightException expected) {
            return null;
        }
    }
}
