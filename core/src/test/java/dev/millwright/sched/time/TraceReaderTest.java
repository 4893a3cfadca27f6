package dev.millwright.sched.time;

import dev.millwright.sched.trace.TraceException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TraceReaderTest {
    private static List<Job> itp(String text) {
        return TraceReader.read("t", "t.csv", text, TraceFormat.ITP, 64);
    }

    private static TraceException itpError(String text) {
        try {
            itp(text);
        } catch (TraceException e) {
            return e;
        }
        throw new AssertionError("no error for " + text);
    }

    @Test
    @DisplayName("ITP rows become jobs of the file's tenant, in any column order, with their line numbers")
    void readsItpRows() {
        List<Job> jobs = itp("num_gpu,duration,job_id,submission_time\n8,3600,j1,10\n\n1,60,j2,20\n");

        assertThat(jobs).containsExactly(new Job("t", "j1", 10, 3600, 8, 2), new Job("t", "j2", 20, 60, 1, 4));
    }

    @Test
    @DisplayName("a missing column is named with line 1 of the file")
    void missingColumn() {
        TraceException e = itpError("job_id,submission_time,num_gpu\nj1,0,1\n");

        assertThat(e.file()).isEqualTo("t.csv");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.field()).isEqualTo("duration");
        assertThat(e.getMessage()).isEqualTo("t.csv line 1, field duration: missing column (the header must name "
                + "job_id,submission_time,duration,num_gpu)");
    }

    @Test
    @DisplayName("a negative duration, a non-number, a missing value and a GPU count out of range name their line and field")
    void badValues() {
        String header = "job_id,submission_time,duration,num_gpu\n";

        assertThat(itpError(header + "j1,0,10,1\nj2,5,-3,1\n").getMessage())
                .isEqualTo("t.csv line 3, field duration: must not be negative (got -3)");
        assertThat(itpError(header + "j1,soon,10,1\n").getMessage())
                .isEqualTo("t.csv line 2, field submission_time: not a number: 'soon'");
        assertThat(itpError(header + "j1,0,10\n").getMessage())
                .isEqualTo("t.csv line 2, field num_gpu: missing value");
        assertThat(itpError(header + "j1,0,10,0\n").getMessage())
                .isEqualTo("t.csv line 2, field num_gpu: must be at least 1 (got 0)");
        assertThat(itpError(header + "j1,0,10,65\n").getMessage())
                .isEqualTo("t.csv line 2, field num_gpu: asks for 65 GPUs, more than the whole fleet's 64: it could never run");
        assertThat(itpError(header + "j1,0,10,2.5\n").field()).isEqualTo("num_gpu");
        assertThat(itpError(header).getMessage()).isEqualTo("t.csv: has no jobs");
        assertThat(itpError("").line()).isEqualTo(1);
    }

    @Test
    @DisplayName("a Philly row's duration is its total steps over its job type's rate; the shortest job of a type runs 10^1.5 minutes")
    void derivesPhillyDurations() {
        String shortest = "ResNet-18 (batch size 16)\tcd x && python3 main.py\t--num_steps\t1\t93167\t12.5\t1\n";
        String longer = "ResNet-18 (batch size 16)\tcd x && python3 main.py\t--num_steps\t1\t931670\t40\t4\n";

        List<Job> jobs = TraceReader.read("vc", "vc.trace", shortest + longer, TraceFormat.PHILLY_VC, 8);

        assertThat(jobs).hasSize(2);
        assertThat(jobs.get(0).duration()).isEqualTo(Math.rint(PhillyRates.DURATION_FLOOR_SECONDS));
        assertThat(jobs.get(0).submit()).isEqualTo(12.5);
        assertThat(jobs.get(1).duration()).isCloseTo(10 * PhillyRates.DURATION_FLOOR_SECONDS, within(1.0));
        assertThat(jobs.get(1).gpus()).isEqualTo(4);
        assertThat(jobs.get(1).line()).isEqualTo(2);
    }

    @Test
    @DisplayName("a Philly row with too few fields or an unknown job type is refused with its line and field")
    void badPhillyRows() {
        assertThatThrownBy(() -> TraceReader.read("vc", "vc.trace", "A3C\tcmd\t-n\t1\t100\n", TraceFormat.PHILLY_VC, 8))
                .isInstanceOf(TraceException.class)
                .hasMessageStartingWith("vc.trace line 1, field arrival_time_s: missing field (expected 7 tab-separated fields");
        assertThatThrownBy(() -> TraceReader.read("vc", "vc.trace", "A3C\tcmd\t-n\t1\t100\t0\t1\nBERT\tcmd\t-n\t1\t100\t0\t1\n",
                TraceFormat.PHILLY_VC, 8))
                .isInstanceOf(TraceException.class)
                .hasMessageStartingWith("vc.trace line 2, field job_type: unknown job type 'BERT' (known: A3C, CycleGAN,");
    }
}
