package dev.millwright.control.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.resource.Json;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceCodec;
import dev.millwright.sched.PriorityClass;
import dev.millwright.sched.Scheduler;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Queue objects as the engine takes them: project shares carved out of the tenant's, and which queue a workload uses. */
class QueueBookTest {
    private static final String H100 = "NVIDIA H100 80GB HBM3";

    private static Resource object(String kind, String name, String spec) {
        return object(kind, "acme", name, spec);
    }

    private static Resource object(String kind, String tenant, String name, String spec) {
        try {
            return ResourceCodec.fromTree(Json.MAPPER.readTree("{\"kind\":\"" + kind + "\",\"metadata\":{\"name\":\"" + name
                    + "\",\"tenant\":\"" + tenant + "\"},\"spec\":" + spec + "}"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final QueueBook BOOK = new QueueBook(List.of(
            object("Queue", "acme", "{\"gpus\":{\"H100 80GB\":{\"guaranteed\":24}}}"),
            object("Queue", "vision", "{\"parent\":\"acme\",\"project\":\"vision\",\"gpus\":{\"H100 80GB\":{\"guaranteed\":8}}}"),
            object("Queue", "nlp", "{\"parent\":\"acme\",\"project\":\"nlp\",\"gpus\":{\"H100 80GB\":{\"guaranteed\":8,\"lendingLimit\":4}}}"),
            object("Queue", "batch", "{\"parent\":\"acme\",\"gpus\":{}}")));

    @Test
    void aWorkloadUsesTheQueueItNamesElseItsProjectsElseItsTenantsRoot() {
        assertThat(BOOK.queueOf(object("Workload", "w", "{\"queue\":\"batch\",\"project\":\"vision\"}"))).isEqualTo("acme/batch");
        assertThat(BOOK.queueOf(object("Workload", "w", "{\"project\":\"vision\"}"))).isEqualTo("acme/vision");
        assertThat(BOOK.queueOf(object("Workload", "w", "{\"project\":\"other\"}"))).isEqualTo("acme/acme");
        assertThat(BOOK.queueOf(object("Workload", "w", "{}"))).isEqualTo("acme/acme");
        assertThat(BOOK.queueOf(object("Workload", "globex", "w", "{}"))).isEqualTo("globex/" + QueueBook.DEFAULT);
    }

    @Test
    void theRootKeepsWhatItsProjectsAreNotGivenAndLendingLimitsHoldBack() {
        Scheduler engine = new Scheduler();
        for (int n = 0; n < 3; n++) engine.addNode("n" + n, H100, 8);
        BOOK.register(engine, Set.of(H100), Set.of("acme"));
        // vision may borrow nlp's 4 lendable and the root's own 8 (24 - 8 - 8): 12 beyond its 8
        engine.submit(new Scheduler.Request("acme/too-big", "acme/vision", PriorityClass.TRAINING, 6, 4, H100, 1));
        List<Scheduler.Decision> first = engine.cycle();
        assertThat(first).singleElement().isInstanceOf(Scheduler.Wait.class);
        assertThat(((Scheduler.Wait) first.get(0)).reason()).contains("queue acme/vision", "12 GPUs lendable");
        engine.release("acme/too-big");
        engine.submit(new Scheduler.Request("acme/fits", "acme/vision", PriorityClass.TRAINING, 5, 4, H100, 2));
        assertThat(engine.cycle()).singleElement().isInstanceOf(Scheduler.Bind.class);
        assertThat(engine.used("acme/vision", H100)).isEqualTo(20);
    }
}
