package dev.millwright.provision;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How long a batch still needs at the least, at nominal step durations: the longer of the slowest machine's
 * remaining path and, for each limited resource, the work still to be done on it divided by its limit. It is a
 * lower bound (nothing in it waits), so the ETA it gives is optimistic by the pipeline's fill and drain.
 */
public final class DockEstimate {
    private DockEstimate() {
    }

    public static Duration remaining(DockSettings settings, Map<String, MachineLifecycle> machines, Instant now) {
        List<Step> plan = settings.plan();
        long longestPath = 0;
        Map<String, Long> work = new HashMap<>();
        Map<String, Integer> limits = new HashMap<>();
        for (MachineLifecycle m : machines.values()) {
            if (m.state().settled()) continue;
            long path = 0;
            for (int i = m.next(); i < plan.size(); i++) {
                Step s = plan.get(i);
                long left = s.nominal().toMillis();
                if (i == m.next() && m.inFlight()) left = Math.max(0, left - Duration.between(m.since(), now).toMillis());
                path += left;
                if (s.limit() != Limit.NONE) {
                    String key = LifecycleEngine.key(s.limit(), m);
                    work.merge(key, left, Long::sum);
                    limits.put(key, settings.limit(s.limit()));
                }
            }
            longestPath = Math.max(longestPath, path);
        }
        long bound = longestPath;
        for (var e : work.entrySet()) bound = Math.max(bound, e.getValue() / limits.get(e.getKey()));
        return Duration.ofMillis(bound);
    }
}
