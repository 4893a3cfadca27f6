package dev.millwright.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.catalog.Layer;
import dev.millwright.catalog.Pack;
import dev.millwright.catalog.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A node moving Kubernetes up several minors installs each one in turn, as the version-skew policy requires. */
class KubernetesHopTest {
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final RolloutSettings SETTINGS = new RolloutSettings(1, 1, 0, 1, Duration.ofMinutes(60), Duration.ofMinutes(5),
            Duration.ofMinutes(2), 0.05, 1000, false, false);

    private static Pack kubernetes(String version) {
        return new Pack(Layer.KUBERNETES, "kubernetes", Version.of(version), List.of(), List.of(), Set.of(), false, false, List.of(), null, "test");
    }

    /** The action one pass asks for on a node that is upgrading and runs {@code running}. */
    private static NodeAction next(String running) {
        Map<String, NodeProgress> nodes = new LinkedHashMap<>();
        nodes.put("n1", new NodeProgress(NodePhase.UPGRADING, 0, "r1", false, true, true, NOW, null, null, null, null, null, false));
        var installed = new TreeMap<String, String>(Map.of("kubernetes", running));
        var out = RolloutEngine.pass(new RolloutEngine.Input(SETTINGS, true, List.of(kubernetes("1.34.1")), List.of(kubernetes("1.31.4")),
                Set.of("kubernetes"), nodes, Map.of("n1", new RolloutEngine.NodeInfo("n1", "r1", 8, 0, true, "")),
                Map.of("n1", new RolloutEngine.Observation(RolloutEngine.OpState.SUCCEEDED, "", installed, 0, Duration.ZERO, true, "")),
                NOW.plusSeconds(60), true, 0, RolloutEngine.ServiceHealth.NONE, -1, null,
                Map.of("kubernetes", List.of("1.32.9", "1.33.5"))));
        return out.actions().get(0);
    }

    @Test
    void eachMinorIsInstalledInTurnUpToTheTarget() {
        assertThat(next("1.31.4").version()).isEqualTo("1.32.9");
        assertThat(next("1.32.9").version()).isEqualTo("1.33.5");
        assertThat(next("1.33.5").version()).isEqualTo("1.34.1");
        assertThat(next("1.34.1").kind()).as("there: the health check").isEqualTo(NodeAction.Kind.VALIDATE);
    }
}
