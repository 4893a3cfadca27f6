package dev.millwright.infra.twin;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Advances a twin against the wall clock: {@code speed} simulated seconds per real second (60 for a demo). */
public final class TwinDriver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TwinDriver.class);
    /** Real time between two advances. */
    static final Duration STEP = Duration.ofMillis(100);

    private final Thread thread;
    private volatile boolean running = true;

    private TwinDriver(Twin twin, double speed) {
        if (speed <= 0) throw new IllegalArgumentException("speed must be positive");
        Duration step = Duration.ofNanos((long) (STEP.toNanos() * speed));
        thread = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(STEP.toMillis());
                    twin.advance(step);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.error("the twin failed to advance; it stops here", e);
                    return;
                }
            }
        }, "twin-driver");
        thread.setDaemon(true);
    }

    public static TwinDriver start(Twin twin, double speed) {
        TwinDriver d = new TwinDriver(twin, speed);
        d.thread.start();
        return d;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
