package dev.millwright.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.resource.ResourceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The work queue's guarantees: a key is held once however often it is added, is never handed to two workers
 * at once, comes back after done() when added while in process, waits once (for its earliest time) however
 * often it is delayed, and backs off exponentially up to a cap.
 */
class WorkQueueTest {
    private static final ResourceKey A = new ResourceKey("Project", "acme", "a");
    private static final ResourceKey B = new ResourceKey("Project", "acme", "b");

    private final WorkQueue queue = new WorkQueue();

    @AfterEach
    void shutDown() {
        queue.shutDown();
    }

    /** take() on another thread, so that a test can bound how long it waits. */
    private CompletableFuture<ResourceKey> takeAsync() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    private static ResourceKey within(CompletableFuture<ResourceKey> f, Duration timeout) throws Exception {
        return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static boolean stillWaitingAfter(CompletableFuture<ResourceKey> f, Duration d) throws Exception {
        try {
            f.get(d.toMillis(), TimeUnit.MILLISECONDS);
            return false;
        } catch (TimeoutException e) {
            return true;
        }
    }

    @Test
    void aKeyAddedManyTimesWhileWaitingIsProcessedOnce() throws Exception {
        for (int i = 0; i < 100; i++) queue.add(A);
        queue.add(B);
        assertThat(queue.depth()).isEqualTo(2);

        assertThat(queue.take()).isEqualTo(A);
        queue.done(A);
        assertThat(queue.take()).as("A is not handed out a second time").isEqualTo(B);
        queue.done(B);
        assertThat(queue.depth()).isZero();
        assertThat(stillWaitingAfter(takeAsync(), Duration.ofMillis(100))).as("nothing left to take").isTrue();
    }

    @Test
    void aKeyAddedWhileBeingProcessedIsProcessedAgainAfterDoneAndNotBefore() throws Exception {
        queue.add(A);
        assertThat(queue.take()).isEqualTo(A);
        for (int i = 0; i < 10; i++) queue.add(A);
        assertThat(queue.depth()).as("not ready while in process").isZero();

        CompletableFuture<ResourceKey> second = takeAsync();
        assertThat(stillWaitingAfter(second, Duration.ofMillis(100))).as("no second worker gets A while it is in process").isTrue();
        queue.done(A);
        assertThat(within(second, Duration.ofSeconds(2))).as("processed again after done(), once").isEqualTo(A);
        queue.done(A);
        assertThat(queue.depth()).isZero();
    }

    @Test
    void retryBacksOffDoublingPerFailureUpToTheMaximumAndForgetResetsIt() {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 30; i++) delays.add(queue.retry(A).toMillis());
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long doubled = WorkQueue.BASE_BACKOFF.toMillis() * (1L << Math.min(i, 40));
            expected.add(Math.min(doubled, WorkQueue.MAX_BACKOFF.toMillis()));
        }
        assertThat(delays).isEqualTo(expected);
        assertThat(delays.subList(0, 4)).containsExactly(50L, 100L, 200L, 400L);
        assertThat(delays.get(29)).isEqualTo(WorkQueue.MAX_BACKOFF.toMillis());
        assertThat(queue.depth()).as("thirty retries, one pending entry").isEqualTo(1);

        queue.forget(A);
        assertThat(queue.retry(A)).isEqualTo(WorkQueue.BASE_BACKOFF);
        assertThat(queue.retry(B)).as("failures are counted per key").isEqualTo(WorkQueue.BASE_BACKOFF);
        assertThat(queue.retry(A)).isEqualTo(WorkQueue.BASE_BACKOFF.multipliedBy(2));
    }

    @Test
    void addAfterOfOneKeyManyTimesKeepsOneEntryDueAtTheEarliestTime() throws Exception {
        long start = System.nanoTime();
        queue.addAfter(A, Duration.ofHours(1));
        for (int i = 0; i < 100; i++) queue.addAfter(A, Duration.ofMinutes(10 + i));
        queue.addAfter(A, Duration.ofMillis(50));
        for (int i = 0; i < 100; i++) queue.addAfter(A, Duration.ofSeconds(5 + i));
        assertThat(queue.depth()).isEqualTo(1);

        assertThat(within(takeAsync(), Duration.ofSeconds(2))).as("due at the earliest time asked for").isEqualTo(A);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        queue.done(A);
        assertThat(queue.depth()).as("no later entries left behind").isZero();
        assertThat(stillWaitingAfter(takeAsync(), Duration.ofMillis(100))).isTrue();
    }

    @Test
    void aDelayedKeyDueWhileInProcessIsProcessedAgainAfterDone() throws Exception {
        queue.add(A);
        assertThat(queue.take()).isEqualTo(A);
        queue.addAfter(A, Duration.ofMillis(20));
        CompletableFuture<ResourceKey> next = takeAsync();
        assertThat(stillWaitingAfter(next, Duration.ofMillis(150))).as("not handed out while in process").isTrue();
        queue.done(A);
        assertThat(within(next, Duration.ofSeconds(2))).isEqualTo(A);
    }

    @Test
    void shutDownMakesTakeReturnNull() throws Exception {
        CompletableFuture<ResourceKey> blocked = takeAsync();
        assertThat(stillWaitingAfter(blocked, Duration.ofMillis(50))).isTrue();
        queue.shutDown();
        assertThat(within(blocked, Duration.ofSeconds(2))).as("a waiting worker is released").isNull();
        queue.add(A);
        assertThat(queue.take()).as("after shutdown, even with work queued").isNull();
    }
}
