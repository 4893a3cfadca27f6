package dev.millwright.sched.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.sched.time.TimeReplay.Options;
import dev.millwright.sched.time.TimeReplay.Result;
import dev.millwright.sched.time.TimeReplay.TenantResult;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Three real ITP clusters as three tenants (5,484 jobs; cluster01 submits 64-GPU gangs) on 72 GPUs, where
 * FIFO queues for hours; cluster10 and cluster05 have 16-GPU quotas, each at least their largest job, so that
 * their partitions are real; cluster01 only borrows.
 */
class ItpReplayTest {
    private static Options options() throws URISyntaxException {
        List<Path> files = List.of(resource("cluster01.csv"), resource("cluster10.csv"), resource("cluster05.csv"));
        return Options.of(files, TraceFormat.ITP, 72).withQuotas(Map.of("cluster10", 16, "cluster05", 16));
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ItpReplayTest.class.getResource("/traces/itp/" + name).toURI());
    }

    @Test
    @DisplayName("on real ITP clusters Millwright's average JCT is below Tiresias' and far below FIFO's, and every quota is kept")
    void millwrightBeatsTiresiasAndFifoAndKeepsQuotas() throws URISyntaxException {
        Options o = options();

        Result mw = TimeReplay.run(o.withPolicy("millwright"));
        Result tiresias = TimeReplay.run(o.withPolicy("tiresias"));
        Result fifo = TimeReplay.run(o.withPolicy("fifo"));

        assertThat(mw.figures().jobs()).isEqualTo(1595 + 260 + 3629);
        assertThat(mw.figures().avgJctSeconds()).isLessThan(tiresias.figures().avgJctSeconds());
        assertThat(tiresias.figures().avgJctSeconds()).isLessThan(fifo.figures().avgJctSeconds());
        assertThat(mw.figures().avgJctSeconds()).isLessThan(fifo.figures().avgJctSeconds() / 2);
        for (TenantResult t : mw.tenants()) {
            if (t.partition() == null) continue;
            assertThat(t.partitionUnschedulableJobs()).as(t.tenant()).isZero();
            assertThat(t.figures().avgQueueSeconds()).as(t.tenant() + " waits no longer than alone on its quota")
                    .isLessThanOrEqualTo(t.partition().avgQueueSeconds() + TimeReplay.GUARANTEE_SLACK_SECONDS);
            assertThat(t.figures().avgJctSeconds()).as(t.tenant()).isLessThan(t.partition().avgJctSeconds());
        }
        assertThat(mw.guaranteesKept()).isTrue();
        assertThat(mw.replaySeconds()).isLessThan(10);
    }
}
