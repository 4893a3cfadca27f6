package dev.millwright.control;

import dev.millwright.resource.ResourceKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The queue of keys to reconcile, with the guarantees of client-go's work queue: a key waiting to be
 * processed is held once however often it is added; a key is never processed by two workers at once (added
 * while in process, it is processed again afterwards); failed keys come back after an exponential backoff.
 */
final class WorkQueue {
    /** First retry delay after a failure; doubles with each further failure. */
    static final Duration BASE_BACKOFF = Duration.ofMillis(50);
    /** Longest retry delay. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** @GuardedBy("lock") keys ready to process, in arrival order, each once. */
    private final LinkedHashSet<ResourceKey> ready = new LinkedHashSet<>();
    /** @GuardedBy("lock") */
    private final Set<ResourceKey> processing = new HashSet<>();
    /** @GuardedBy("lock") keys added while being processed. */
    private final Set<ResourceKey> dirty = new HashSet<>();
    /** @GuardedBy("lock") keys that become ready later, soonest first; at most one entry per key. */
    private final PriorityQueue<Delayed> waiting = new PriorityQueue<>();
    /** @GuardedBy("lock") when each waiting key is due, so a key waits once, for its earliest time. */
    private final Map<ResourceKey, Long> due = new HashMap<>();
    /** @GuardedBy("lock") consecutive failures per key. */
    private final Map<ResourceKey, Integer> failures = new HashMap<>();
    /** @GuardedBy("lock") */
    private boolean shutDown;

    private record Delayed(ResourceKey key, long dueNanos) implements Comparable<Delayed> {
        @Override
        public int compareTo(Delayed o) {
            return Long.compare(dueNanos, o.dueNanos);
        }
    }

    void add(ResourceKey key) {
        lock.lock();
        try {
            if (processing.contains(key)) dirty.add(key);
            else if (ready.add(key)) changed.signal();
        } finally {
            lock.unlock();
        }
    }

    void addAfter(ResourceKey key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        lock.lock();
        try {
            long at = System.nanoTime() + delay.toNanos();
            Long current = due.get(key);
            if (current != null && current - at <= 0) return; // already due sooner
            if (current != null) waiting.remove(new Delayed(key, current));
            due.put(key, at);
            waiting.add(new Delayed(key, at));
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Schedules a retry after the key's backoff, which doubles with each consecutive failure. */
    Duration retry(ResourceKey key) {
        Duration delay;
        lock.lock();
        try {
            int n = failures.merge(key, 1, Integer::sum);
            long millis = BASE_BACKOFF.toMillis() << Math.min(n - 1, 20);
            delay = Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
        } finally {
            lock.unlock();
        }
        addAfter(key, delay);
        return delay;
    }

    /** Clears the key's failure count after a successful pass. */
    void forget(ResourceKey key) {
        lock.lock();
        try {
            failures.remove(key);
        } finally {
            lock.unlock();
        }
    }

    /** The next key to process, waiting for one; null once the queue is shut down. */
    ResourceKey take() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (shutDown) return null;
                long now = System.nanoTime();
                while (!waiting.isEmpty() && waiting.peek().dueNanos() - now <= 0) {
                    ResourceKey k = waiting.poll().key();
                    due.remove(k);
                    if (processing.contains(k)) dirty.add(k);
                    else ready.add(k);
                }
                Iterator<ResourceKey> it = ready.iterator();
                if (it.hasNext()) {
                    ResourceKey key = it.next();
                    it.remove();
                    processing.add(key);
                    return key;
                }
                if (waiting.isEmpty()) changed.await();
                else changed.awaitNanos(waiting.peek().dueNanos() - now);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Marks the key processed; if it was added meanwhile, it is ready again. */
    void done(ResourceKey key) {
        lock.lock();
        try {
            processing.remove(key);
            if (dirty.remove(key)) {
                ready.add(key);
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    int depth() {
        lock.lock();
        try {
            return ready.size() + waiting.size();
        } finally {
            lock.unlock();
        }
    }

    void shutDown() {
        lock.lock();
        try {
            shutDown = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

}
