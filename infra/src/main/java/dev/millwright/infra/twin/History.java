package dev.millwright.infra.twin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What happened in the twin, in order: the newest entries for people and tests, and a running SHA-256 over
 * all of them, so two runs with the same seed can be compared in one line.
 */
final class History {
    /** Entries kept in memory; the digest covers every entry ever recorded. */
    static final int KEPT = 10_000;

    private final ArrayDeque<String> recent = new ArrayDeque<>();
    private final MessageDigest digest;
    private long count;

    History() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void record(long nanos, String machine, String what) {
        String line = String.format(java.util.Locale.ROOT, "%012.3f %s %s", nanos / 1e9, machine, what);
        digest.update(line.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        count++;
        if (recent.size() == KEPT) recent.removeFirst();
        recent.addLast(line);
    }

    List<String> recent() {
        return new ArrayList<>(recent);
    }

    long count() {
        return count;
    }

    /** Hex digest of every entry so far (the digest itself keeps running). */
    String digest() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
