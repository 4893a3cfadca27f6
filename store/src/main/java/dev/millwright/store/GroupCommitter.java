package dev.millwright.store;

import dev.millwright.resource.MillwrightException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the mutations of this process in batches, one transaction and one disk flush per batch.
 *
 * <p>Why: revisions must become visible in the order they are numbered, so every mutation holds the global
 * revision lock until it commits, and a commit waits for the WAL to reach the disk (a few milliseconds on
 * these machines). One mutation per commit would cap the whole platform at a few hundred writes a second.
 * Here, writers hand their work to one committer thread, which takes the revision lock first (so batches of
 * different replicas never deadlock on row locks) and the audit chain's head, runs every waiting mutation in
 * one transaction, writes the new head and commits once. A writer is answered only after that commit: nothing unflushed is acknowledged.
 *
 * <p>A mutation that refuses (a {@link MillwrightException}: conflict, not found, invalid, fenced) has
 * written nothing by then, so it fails alone and the rest of the batch commits. A database error aborts the
 * whole transaction; the batch is then run again one mutation per transaction, so one bad write cannot fail
 * its neighbours.
 */
final class GroupCommitter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);
    /** Most mutations in one transaction. */
    static final int MAX_BATCH = 256;
    /** Longest a writer waits for its batch before giving up (the write may still commit). */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final Jdbi jdbi;
    private final BlockingQueue<Pending<?>> queue = new ArrayBlockingQueue<>(16_384);
    private final Thread thread;
    private volatile boolean running = true;

    private record Pending<T>(Function<Batch, T> work, CompletableFuture<T> done) {
    }

    /** What a mutation works with inside its batch: the transaction, and the audit chain's head. */
    record Batch(Handle handle, AuditChain audit) {
    }

    GroupCommitter(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.thread = new Thread(this::run, "group-commit");
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code work} inside a batch transaction and returns its result once that transaction committed. */
    <T> T write(Function<Batch, T> work) {
        CompletableFuture<T> done = new CompletableFuture<>();
        try {
            if (!queue.offer(new Pending<>(work, done), WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw unavailable("the write queue is full");
            }
            return done.get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while waiting for the commit");
        } catch (TimeoutException e) {
            // abandon the write: the committer skips it unless it is already in a transaction
            if (done.completeExceptionally(unavailable("abandoned"))) {
                throw unavailable("the database did not commit within " + WRITE_TIMEOUT.toSeconds() + " s; the write was abandoned; read before retrying");
            }
            try {
                return done.getNow(null);
            } catch (java.util.concurrent.CompletionException ce) {
                if (ce.getCause() instanceof RuntimeException r) throw r;
                throw ce;
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    private static MillwrightException unavailable(String why) {
        return new MillwrightException(503, "Unavailable", "store unavailable: " + why);
    }

    private void run() {
        List<Pending<?>> batch = new ArrayList<>();
        while (running) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            try {
                commit(batch);
            } catch (RuntimeException e) {
                if (batch.size() > 1) {
                    log.warn("a batch of {} writes failed ({}); running them one by one", batch.size(), e.toString());
                    for (Pending<?> p : batch) {
                        try {
                            commit(List.of(p));
                        } catch (RuntimeException single) {
                            p.done().completeExceptionally(single);
                        }
                    }
                } else {
                    batch.get(0).done().completeExceptionally(e);
                }
            }
            batch.clear();
        }
        for (Pending<?> p : queue) p.done().completeExceptionally(unavailable("the store is closing"));
    }

    /** One transaction for the batch; results are handed out only after the commit. */
    private void commit(List<Pending<?>> batch) {
        List<Runnable> answers = new ArrayList<>(batch.size());
        jdbi.useTransaction(h -> {
            answers.clear();
            h.createQuery("SELECT value FROM revision WHERE id = 1 FOR UPDATE").mapTo(Long.class).one();
            AuditChain audit = h.createQuery("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
                    .map((rs, ctx) -> new AuditChain(rs.getLong("seq"), rs.getBytes("hash"))).one();
            Batch tx = new Batch(h, audit);
            for (Pending<?> p : batch) {
                if (!p.done().isDone()) answers.add(run(tx, p)); // a writer that gave up is not written for
            }
            if (audit.advanced()) {
                h.createUpdate("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1")
                        .bind("seq", audit.seq()).bind("hash", audit.hash()).execute();
            }
            // one notification per batch wakes every replica's change feed when the batch commits
            h.createQuery("SELECT pg_notify('millwright_changes', '')").mapTo(String.class).findOne();
        });
        answers.forEach(Runnable::run);
    }

    private static <T> Runnable run(Batch tx, Pending<T> p) {
        try {
            T result = p.work().apply(tx);
            return () -> p.done().complete(result);
        } catch (JdbiException e) {
            throw e; // the transaction is aborted: fail the batch
        } catch (RuntimeException e) {
            return () -> p.done().completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
