package dev.millwright.sched.packing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.sched.trace.OpenbNode;
import dev.millwright.sched.trace.OpenbPod;
import dev.millwright.sched.trace.OpenbTrace;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The FGD paper's packing experiment on the real openb default trace (copied under test resources): 1523 nodes,
 * 6212 GPUs, 8152 pods tuned to 130% of GPU capacity.
 */
class OpenbReplayTest {
    private static List<PackingNode> nodes;
    private static List<PackingPod> pods;

    @BeforeAll
    static void read() {
        nodes = OpenbTrace.readNodes("openb_node_list_all_node.csv", open("openb_node_list_all_node.csv")).stream().map(OpenbNode::toPacking).toList();
        pods = OpenbTrace.readPods("openb_pod_list_default.csv", open("openb_pod_list_default.csv")).stream().map(OpenbPod::toPacking).toList();
    }

    private static Reader open(String file) {
        return new InputStreamReader(Objects.requireNonNull(OpenbReplayTest.class.getResourceAsStream("/traces/openb/" + file), file), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("the trace is read whole: 1523 nodes with 6212 GPUs, 8152 pods asking for 6086.8 GPUs")
    void readsTheWholeTrace() {
        assertThat(nodes).hasSize(1523);
        assertThat(nodes.stream().mapToInt(PackingNode::gpus).sum()).isEqualTo(6212);
        assertThat(pods).hasSize(8152);
        assertThat(pods.stream().mapToLong(PackingPod::gpuRequestMilli).sum()).isEqualTo(6_086_800);
    }

    @Test
    @DisplayName("millwright allocates at least 95% of GPUs at 130% arrived demand and, over seeds 1-3, more than fgd")
    void millwrightBeatsFgdOnOpenb() {
        double millwright = 0;
        double fgd = 0;
        for (long seed = 1; seed <= 3; seed++) {
            PackingResult m = PackingReplay.run(nodes, pods, "millwright", seed, 1.3);
            PackingResult f = PackingReplay.run(nodes, pods, "fgd", seed, 1.3);
            assertThat(m.pods()).isEqualTo(f.pods());
            assertThat(m.arrivedPercentAtEnd()).isBetween(129.9, 130.0);
            assertThat(m.allocationAt(130)).as("millwright, seed " + seed).isGreaterThanOrEqualTo(95.0);
            assertThat(f.allocationAt(130)).as("fgd, seed " + seed).isGreaterThanOrEqualTo(94.5);
            millwright += m.allocationAt(130);
            fgd += f.allocationAt(130);
        }
        assertThat(millwright / 3).isGreaterThan(fgd / 3);
    }
}
