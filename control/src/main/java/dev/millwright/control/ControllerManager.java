package dev.millwright.control;

import dev.millwright.resource.GoneException;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.store.Events;
import dev.millwright.store.FencedException;
import dev.millwright.store.Lease;
import dev.millwright.store.Leases;
import dev.millwright.store.ListOptions;
import dev.millwright.store.ResourcePage;
import dev.millwright.store.ResourceStore;
import dev.millwright.store.WriteContext;
import dev.millwright.watch.Change;
import dev.millwright.watch.ChangeFeed;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the controllers on exactly one replica: the one holding the {@code controllers} lease.
 *
 * <p>The election loop renews the lease every third of its duration. On winning it, each controller gets a
 * fresh work queue, lists its kind (enqueueing every object), then follows the change feed from the list's
 * revision, and relists at each resync. On losing it (another holder, or no successful renewal for two
 * thirds of the duration) everything stops. A replica that keeps running past that point, paused by GC for
 * example, still cannot write: every controller write carries the lease's fencing token, which the store
 * checks when the write commits.
 */
public final class ControllerManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControllerManager.class);
    /** The lease that elects the controller replica. */
    public static final String LEASE = "controllers";

    private final ResourceStore store;
    private final ChangeFeed feed;
    private final Events events;
    private final Leases leases;
    private final Clock clock;
    private final String identity;
    private final Duration leaseDuration;
    private final Duration resync;
    private final List<Controller> controllers;
    private final Map<String, ControllerStats> stats = new LinkedHashMap<>();
    private final Thread elector;
    private volatile boolean running = true;
    private volatile Lease lease;
    /** Threads of the current term; touched only by the elector thread. */
    private final List<Thread> term = new ArrayList<>();
    private final List<WorkQueue> queues = new ArrayList<>();

    /**
     * @param identity how this replica names itself in the lease ("host-pid")
     * @param leaseDuration how long a lease lasts without renewal; failover takes at most about this long
     * @param resync how often each controller reconciles every object even without changes
     */
    public ControllerManager(ResourceStore store, ChangeFeed feed, Events events, Leases leases, Clock clock,
                             String identity, Duration leaseDuration, Duration resync, List<Controller> controllers) {
        this.store = Objects.requireNonNull(store);
        this.feed = Objects.requireNonNull(feed);
        this.events = Objects.requireNonNull(events);
        this.leases = Objects.requireNonNull(leases);
        this.clock = Objects.requireNonNull(clock);
        this.identity = Objects.requireNonNull(identity);
        if (leaseDuration.toMillis() < 300) throw new IllegalArgumentException("leaseDuration must be at least 300ms");
        this.leaseDuration = leaseDuration;
        this.resync = resync;
        this.controllers = List.copyOf(controllers);
        for (Controller c : controllers) stats.put(c.name(), new ControllerStats());
        this.elector = new Thread(this::elect, "controller-election");
        elector.setDaemon(true);
    }

    /** Starts campaigning for the lease; controllers run while this replica holds it. */
    public void start() {
        elector.start();
    }

    public boolean isLeader() {
        return lease != null;
    }

    public String identity() {
        return identity;
    }

    /** Counters per controller name. */
    public Map<String, ControllerStats> stats() {
        return stats;
    }

    @Override
    public void close() {
        running = false;
        elector.interrupt();
        try {
            elector.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Lease held = lease;
        stopTerm();
        if (held != null) {
            try {
                leases.release(held); // the next replica need not wait for expiry
            } catch (RuntimeException e) {
                log.warn("could not release the controller lease: {}", e.toString());
            }
        }
    }

    private void elect() {
        long renewEvery = leaseDuration.toMillis() / 3;
        long lastRenewal = 0;
        while (running) {
            try {
                var acquired = leases.tryAcquire(LEASE, identity, leaseDuration);
                if (acquired.isPresent()) {
                    lastRenewal = System.nanoTime();
                    if (lease == null || lease.token() != acquired.get().token()) {
                        stopTerm();
                        lease = acquired.get();
                        log.info("{} leads the controllers (lease token {})", identity, lease.token());
                        startTerm(lease);
                    }
                } else if (lease != null) {
                    log.warn("{} lost the controller lease to another replica", identity);
                    stopTerm();
                }
            } catch (RuntimeException e) {
                log.warn("lease renewal failed: {}", e.toString());
                if (lease != null && System.nanoTime() - lastRenewal > leaseDuration.toNanos() * 2 / 3) {
                    log.warn("{} steps down: no renewal for {}", identity, leaseDuration);
                    stopTerm();
                }
            }
            try {
                Thread.sleep(renewEvery);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void startTerm(Lease held) {
        WriteContext writes = new WriteContext("controller", held.fence());
        for (Controller c : controllers) {
            WorkQueue queue = new WorkQueue();
            queues.add(queue);
            ControllerStats s = stats.get(c.name());
            s.queue = queue;
            ControllerContext ctx = new ControllerContext(store, events, clock,
                    new WriteContext("controller:" + c.name(), writes.fence()));
            term.add(daemon("informer-" + c.name(), () -> inform(c, queue)));
            term.add(daemon("reconcile-" + c.name(), () -> work(c, queue, ctx, s)));
        }
        term.forEach(Thread::start);
    }

    private void stopTerm() {
        lease = null;
        queues.forEach(WorkQueue::shutDown);
        term.forEach(Thread::interrupt);
        for (Thread t : term) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        term.clear();
        queues.clear();
        stats.values().forEach(s -> s.queue = null);
    }

    /** Lists the kind, then follows the feed; relists at every resync and when the feed has moved on. */
    private void inform(Controller c, WorkQueue queue) {
        Map<String, Function<Change, List<ResourceKey>>> watches = c.watches();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                long revision = enqueueAll(c, queue);
                ChangeFeed.Watch watch = feed.watch(revision);
                long resyncAt = System.nanoTime() + resync.toNanos();
                while (System.nanoTime() < resyncAt) {
                    for (Change change : watch.next(Duration.ofSeconds(1))) {
                        if (c.singleton() != null) {
                            if (change.key().kind().equals(c.kind()) || watches.containsKey(change.key().kind())) queue.add(c.singleton());
                            continue;
                        }
                        if (change.key().kind().equals(c.kind())) queue.add(change.key());
                        Function<Change, List<ResourceKey>> map = watches.get(change.key().kind());
                        if (map != null) map.apply(change).forEach(queue::add);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (GoneException e) {
                log.info("controller {} relists: {}", c.name(), e.getMessage());
            } catch (RuntimeException e) {
                log.warn("controller {} informer failed, relisting in 1s: {}", c.name(), e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private long enqueueAll(Controller c, WorkQueue queue) {
        String kind = c.kind();
        if (c.singleton() != null) {
            long revision = store.list(new ListOptions(kind, null, null, 1, null)).revision();
            queue.add(c.singleton());
            return revision;
        }
        String token = null;
        long revision = -1;
        do {
            ResourcePage page = store.list(new ListOptions(kind, null, null, ListOptions.MAX_LIMIT, token));
            if (revision < 0) revision = page.revision();
            for (Resource r : page.items()) queue.add(r.key());
            token = page.continueToken();
        } while (token != null);
        return revision;
    }

    private void work(Controller c, WorkQueue queue, ControllerContext ctx, ControllerStats s) {
        while (true) {
            ResourceKey key;
            try {
                key = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) return;
            try {
                Result r = c.reconcile(key, ctx);
                s.reconciles.incrementAndGet();
                queue.forget(key);
                if (!r.isDone()) queue.addAfter(key, r.requeueAfter());
            } catch (TerminalException e) {
                s.reconciles.incrementAndGet();
                s.terminalErrors.incrementAndGet();
                queue.forget(key);
                log.warn("controller {} gave up on {}: {}", c.name(), key, e.getMessage());
            } catch (FencedException e) {
                log.warn("controller {} was fenced off: {}", c.name(), e.getMessage());
                return; // the election loop notices the lost lease and stops this term
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                s.reconciles.incrementAndGet();
                s.errors.incrementAndGet();
                Duration delay = queue.retry(key);
                log.warn("controller {} failed on {}, retrying in {} ms: {}", c.name(), key, delay.toMillis(), e.toString());
            } finally {
                queue.done(key);
            }
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }
}
