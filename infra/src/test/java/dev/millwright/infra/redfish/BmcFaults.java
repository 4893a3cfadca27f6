package dev.millwright.infra.redfish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Faults a {@link TestBmc} injects, set by a test while the BMC runs. Rules match a request by method and a piece of
 * its path (case-insensitive; null matches any); counted rules fire that many times, then stop.
 */
public final class BmcFaults {
    private record Rule(String method, String pathPart, int status, int[] remaining) {
        boolean matches(String m, String path) {
            return remaining[0] > 0 && (method == null || method.equalsIgnoreCase(m))
                    && (pathPart == null || path.toLowerCase(java.util.Locale.ROOT).contains(pathPart.toLowerCase(java.util.Locale.ROOT)));
        }
    }

    private final List<Rule> statuses = new ArrayList<>();
    private final List<Rule> malformed = new ArrayList<>();
    private final List<Rule> staleEtags = new ArrayList<>();
    private final List<Rule> delays = new ArrayList<>();
    private Duration delay = Duration.ZERO;
    private int sessionEpoch;
    private String taskFailure;

    BmcFaults() {
    }

    /** The next {@code times} requests (any method, any path) answer {@code status} with a Redfish error. */
    public synchronized BmcFaults failNext(int times, int status) {
        return failNext(times, status, null, null);
    }

    /** The next {@code times} requests of {@code method} (null: any) to a path containing {@code pathPart} answer {@code status}. */
    public synchronized BmcFaults failNext(int times, int status, String method, String pathPart) {
        statuses.add(new Rule(method, pathPart, status, new int[] {times}));
        return this;
    }

    /** The next {@code times} GETs of a path containing {@code pathPart} answer 200 with a body that is not JSON. */
    public synchronized BmcFaults malformed(int times, String pathPart) {
        malformed.add(new Rule("GET", pathPart, 200, new int[] {times}));
        return this;
    }

    /** Every request waits {@code d} before it is answered (a client with a shorter timeout gives up). */
    public synchronized BmcFaults delayAll(Duration d) {
        delay = d;
        return this;
    }

    /** The next {@code times} requests to a path containing {@code pathPart} wait {@code d}. */
    public synchronized BmcFaults delayNext(int times, String pathPart, Duration d) {
        delays.add(new Rule(null, pathPart, (int) d.toMillis(), new int[] {times}));
        return this;
    }

    /** The BMC forgets every session, as after a restart: the next request with an old token gets 401. */
    public synchronized BmcFaults dropSessions() {
        sessionEpoch++;
        return this;
    }

    /**
     * The next {@code times} PATCHes of a path containing {@code pathPart} find the resource changed by someone
     * else since it was read: its ETag moves on, and the PATCH answers 412.
     */
    public synchronized BmcFaults staleEtag(int times, String pathPart) {
        staleEtags.add(new Rule("PATCH", pathPart, 412, new int[] {times}));
        return this;
    }

    /** Update tasks that end from now on end in Exception with {@code message}; null makes them succeed again. */
    public synchronized BmcFaults failTasks(String message) {
        taskFailure = message;
        return this;
    }

    synchronized int forcedStatus(String method, String path) {
        return take(statuses, method, path);
    }

    synchronized boolean malformed(String method, String path) {
        return take(malformed, method, path) != 0;
    }

    synchronized boolean staleEtag(String method, String path) {
        return take(staleEtags, method, path) != 0;
    }

    synchronized Duration delay(String method, String path) {
        int ms = take(delays, method, path);
        return ms > 0 ? Duration.ofMillis(ms) : delay;
    }

    synchronized int sessionEpoch() {
        return sessionEpoch;
    }

    synchronized String taskFailure() {
        return taskFailure;
    }

    private static int take(List<Rule> rules, String method, String path) {
        for (Rule r : rules) {
            if (r.matches(method, path)) {
                r.remaining()[0]--;
                return r.status();
            }
        }
        return 0;
    }
}
