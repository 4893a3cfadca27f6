package dev.millwright.sched.time;

import static dev.millwright.sched.time.Replays.find;
import static dev.millwright.sched.time.Replays.job;
import static dev.millwright.sched.time.Replays.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SRTF, Tiresias and Millwright: who preempts whom, and when. */
class PreemptivePoliciesTest {
    @Test
    @DisplayName("SRTF preempts a running job for a shorter one; it resumes with the service it had")
    void srtfRunsTheShortestRemainingFirst() {
        Simulation s = run(Policy.SRTF, 1, 1, job("a", "long", 0, 100, 1), job("a", "short", 10, 20, 1));

        assertThat(find(s, "short").finish).isEqualTo(30);
        assertThat(find(s, "long").finish).isEqualTo(120);
        assertThat(find(s, "long").preemptions).isEqualTo(1);
    }

    @Test
    @DisplayName("without an oracle, two jobs in the same priority level do not preempt each other (LAS keeps the running one)")
    void lasKeepsTheRunningJobAmongEquals() {
        for (Policy p : List.of(Policy.TIRESIAS, Policy.MILLWRIGHT)) {
            Simulation s = run(p, 1, 1, job("a", "long", 0, 100, 1), job("a", "short", 10, 20, 1));

            assertThat(find(s, "long").finish).as(p.cliName).isEqualTo(100);
            assertThat(find(s, "short").finish).as(p.cliName).isEqualTo(120);
        }
    }

    @Test
    @DisplayName("Tiresias demotes a job when it has attained 3,600 GPU-seconds; a new job then preempts it")
    void tiresiasDemotion() {
        Simulation late = run(Policy.TIRESIAS, 1, 1, job("a", "long", 0, 10_000, 1), job("a", "new", 4_000, 100, 1));
        Simulation early = run(Policy.TIRESIAS, 1, 1, job("a", "long", 0, 10_000, 1), job("a", "new", 1_000, 100, 1));

        assertThat(find(late, "new").finish).isEqualTo(4_100);
        assertThat(find(late, "long").finish).isEqualTo(10_100);
        assertThat(find(late, "long").level).isEqualTo(1);
        assertThat(find(early, "new").firstStart).as("waits until long is demoted, at 3,600 s").isEqualTo(3_600);
        assertThat(find(early, "new").finish).isEqualTo(3_700);
        assertThat(find(early, "long").finish).isEqualTo(10_100);
    }

    @Test
    @DisplayName("attained service counts GPU-seconds: an 8-GPU job is demoted eight times sooner than a 1-GPU job")
    void tiresiasCountsGpuTime() {
        Simulation s = run(Policy.TIRESIAS, 8, 8, job("a", "wide", 0, 10_000, 8), job("a", "new", 1_000, 100, 1));

        assertThat(find(s, "new").finish).as("wide attained 8,000 GPU-seconds by then").isEqualTo(1_100);
        assertThat(find(s, "wide").finish).isEqualTo(10_100);
    }

    @Test
    @DisplayName("Millwright's finer levels let a new job overtake a job that Tiresias still keeps in its first queue")
    void millwrightLevels() {
        Job[] jobs = {job("a", "long", 0, 10_000, 1), job("a", "new", 700, 100, 1)};

        assertThat(find(run(Policy.MILLWRIGHT, 1, 1, jobs), "new").finish).isEqualTo(800);
        assertThat(find(run(Policy.TIRESIAS, 1, 1, jobs), "new").finish).as("demoted only at 3,600 s").isEqualTo(3_700);
        assertThat(MillwrightScheduler.levelLimit(0)).isEqualTo(600);
        assertThat(MillwrightScheduler.levelLimit(1)).isEqualTo(2_400);
    }

    @Test
    @DisplayName("a resumed job pays the restart penalty on its GPUs")
    void restartPenalty() {
        Simulation s = run(Policy.SRTF, 1, 1, List.of("a"), new int[] {0}, 30,
                job("a", "long", 0, 100, 1), job("a", "short", 10, 20, 1));

        assertThat(find(s, "long").finish).isEqualTo(150);
        assertThat(s.overheadGpuSeconds).isEqualTo(30);
        assertThat(s.busyGpuSeconds).isEqualTo(150);
    }
}
