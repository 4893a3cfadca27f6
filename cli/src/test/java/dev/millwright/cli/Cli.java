package dev.millwright.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@link Main#run} in this JVM and captures what it prints.
 *
 * <p>The commands print through {@code System.out} and {@code System.err}, so each call swaps them. The stand-ins
 * route by thread rather than hold one buffer: a {@code watch} running in a background thread and an {@code apply}
 * in the test thread then each get their own output, where a plain swap would interleave them or hand the watch's
 * lines to whichever call swapped last. Threads that are not capturing write to the original streams.
 */
final class Cli {
    /** What one run printed, and its exit code. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** The output of a run in progress, readable while it runs (for watch). */
    static final class Capture {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();

        String out() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }

        String err() {
            synchronized (err) {
                return err.toString(StandardCharsets.UTF_8);
            }
        }
    }

    private static final PrintStream ORIGINAL_OUT = System.out;
    private static final PrintStream ORIGINAL_ERR = System.err;
    private static final ThreadLocal<Capture> CURRENT = new ThreadLocal<>();
    /** Guards System.in, which cannot be routed by thread; only apply and delete -f read it. */
    private static final Object STDIN = new Object();

    private Cli() {
    }

    static Result run(String... args) {
        return run(new Capture(), args);
    }

    /** The arguments followed by --server and --token (options may follow the positionals). */
    static String[] against(dev.millwright.server.TestServer server, String token, String... args) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(args));
        all.addAll(java.util.List.of("--server", server.url(), "--token", token));
        return all.toArray(String[]::new);
    }

    /** Runs against {@code server} as its platform admin. */
    static Result asAdmin(dev.millwright.server.TestServer server, String... args) {
        return run(against(server, server.adminToken(), args));
    }

    /** Runs with {@code stdin} as the standard input, for {@code -f -}. */
    static Result runWithStdin(String stdin, String... args) {
        synchronized (STDIN) {
            InputStream saved = System.in;
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            try {
                return run(args);
            } finally {
                System.setIn(saved);
            }
        }
    }

    /** Runs in the calling thread, printing into {@code capture}, which another thread may read meanwhile. */
    static Result run(Capture capture, String... args) {
        install();
        Capture previous = CURRENT.get();
        CURRENT.set(capture);
        int exit;
        try {
            exit = Main.run(args);
        } finally {
            System.out.flush();
            System.err.flush();
            CURRENT.set(previous);
        }
        return new Result(exit, capture.out(), capture.err());
    }

    private static synchronized void install() {
        if (System.out instanceof Routing) return;
        System.setOut(new Routing(ORIGINAL_OUT, true));
        System.setErr(new Routing(ORIGINAL_ERR, false));
    }

    /** A stream that writes to the current thread's capture, or to the original stream. */
    private static final class Routing extends PrintStream {
        Routing(PrintStream original, boolean stdout) {
            super(new OutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    Capture c = CURRENT.get();
                    if (c == null) {
                        original.write(b, off, len);
                        return;
                    }
                    ByteArrayOutputStream target = stdout ? c.out : c.err;
                    synchronized (target) {
                        target.write(b, off, len);
                    }
                }

                @Override
                public void flush() {
                    original.flush();
                }
            }, true, StandardCharsets.UTF_8);
        }
    }
}
