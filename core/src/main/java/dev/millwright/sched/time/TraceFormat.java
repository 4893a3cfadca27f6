package dev.millwright.sched.time;

import dev.millwright.resource.BadRequestException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The job-trace formats a time replay reads. */
public enum TraceFormat {
    /**
     * Microsoft ITP clusters (ElasticFlow, ASPLOS'23): CSV with a header naming at least {@code job_id,
     * submission_time, duration, num_gpu}; times in seconds.
     */
    ITP("itp"),
    /**
     * Microsoft Philly per virtual cluster in Gavel's format: tab-separated, no header, {@code job_type, command,
     * num_steps_arg, needs_data_dir, total_steps, arrival_time_s, num_gpus}. The duration is derived from
     * {@code total_steps} and the job type's rate (see {@code PhillyRates}).
     */
    PHILLY_VC("philly-vc");

    private final String cliName;

    TraceFormat(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line: {@code itp} or {@code philly-vc}. */
    public String cliName() {
        return cliName;
    }

    /** The format named {@code name} ({@code itp}, {@code philly-vc}); a {@link BadRequestException} otherwise. */
    public static TraceFormat of(String name) {
        for (TraceFormat f : values()) if (f.cliName.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) return f;
        throw new BadRequestException("format", "unknown trace format '" + name + "' (known: "
                + Arrays.stream(values()).map(TraceFormat::cliName).collect(Collectors.joining(", ")) + ")");
    }
}
