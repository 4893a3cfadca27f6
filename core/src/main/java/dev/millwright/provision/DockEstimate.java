package dev.millwright.provision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How long a batch still needs, forecast: the rest of it scheduled as {@link LifecycleEngine#pass} schedules it (idle
 * machines start their next step in batch order where its resource has room; a machine keeps its slot between steps
 * of one resource; a retry waits for its backoff), with every step taking its nominal time and passing. So the fill
 * and drain of the limits are in it; failures, the jitter of real durations and the controller's pass interval are
 * not, and a real batch takes somewhat longer ({@code millwright-bench dock} prints by how much).
 *
 * <p>An event simulation: one pass over the machines per step that ends, a few milliseconds for a thousand machines.
 */
public final class DockEstimate {
    private DockEstimate() {
    }

    /** One machine in the forecast: its next step, and until when it is busy or must wait. */
    private static final class Forecast {
        final MachineLifecycle machine;
        int next;
        /** Milliseconds from now: when the step in flight ends, or -1 when idle. */
        long busyUntil = -1;
        /** Milliseconds from now before which an idle machine may not start (a retry's backoff). */
        long readyAt;
        /** The limited resource the machine holds a slot of, or null. */
        String holding;

        Forecast(MachineLifecycle machine) {
            this.machine = machine;
            this.next = machine.next();
        }
    }

    public static Duration remaining(DockSettings settings, Map<String, MachineLifecycle> machines, Instant now) {
        List<Step> plan = settings.plan();
        List<Forecast> open = new ArrayList<>();
        Map<String, Integer> held = new HashMap<>();
        List<Map.Entry<String, MachineLifecycle>> ordered = new ArrayList<>(machines.entrySet());
        ordered.sort(Comparator.comparingInt((Map.Entry<String, MachineLifecycle> e) -> e.getValue().order()).thenComparing(Map.Entry::getKey));
        for (var e : ordered) {
            MachineLifecycle m = e.getValue();
            if (m.state().settled() || m.next() >= plan.size() || LifecycleEngine.beyondDock(m)) continue;
            Forecast f = new Forecast(m);
            Step step = plan.get(f.next);
            if (step.limit() != Limit.NONE && LifecycleEngine.holds(m, plan)) {
                f.holding = LifecycleEngine.key(step.limit(), m);
                held.merge(f.holding, 1, Integer::sum);
            }
            if (m.inFlight()) {
                f.busyUntil = Math.max(0, step.nominal().toMillis() - Duration.between(m.since(), now).toMillis());
            } else if (m.notBefore() != null) {
                f.readyAt = Math.max(0, Duration.between(now, m.notBefore()).toMillis());
            }
            open.add(f);
        }

        long t = 0;
        while (!open.isEmpty()) {
            for (Forecast f : open) {
                if (f.busyUntil >= 0 || f.readyAt > t) continue;
                Step step = plan.get(f.next);
                if (step.limit() != Limit.NONE && f.holding == null) {
                    String key = LifecycleEngine.key(step.limit(), f.machine);
                    if (held.getOrDefault(key, 0) >= settings.limit(step.limit())) continue;
                    held.merge(key, 1, Integer::sum);
                    f.holding = key;
                }
                f.busyUntil = t + step.nominal().toMillis();
            }
            long next = Long.MAX_VALUE;
            for (Forecast f : open) next = Math.min(next, f.busyUntil >= 0 ? f.busyUntil : f.readyAt > t ? f.readyAt : Long.MAX_VALUE);
            if (next == Long.MAX_VALUE) break; // nothing runs and nothing waits for time: no step can start (a limit of 0)
            t = next;
            List<Forecast> still = new ArrayList<>(open.size());
            for (Forecast f : open) {
                if (f.busyUntil == t) {
                    f.busyUntil = -1;
                    f.next++;
                    boolean sameResource = f.next < plan.size() && plan.get(f.next).limit() == plan.get(f.next - 1).limit();
                    if (f.holding != null && !sameResource) {
                        held.merge(f.holding, -1, Integer::sum);
                        f.holding = null;
                    }
                }
                if (f.next < plan.size()) still.add(f);
            }
            open = still;
        }
        return Duration.ofMillis(t);
    }
}
