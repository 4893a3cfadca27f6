package dev.millwright.control.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.control.ControllerContext;
import dev.millwright.fleet.FleetKinds;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import java.util.Optional;
import java.util.function.Predicate;

/** Tallies the machines a node pool names, from their observed status: those that exist, those ready, their GPUs. */
final class PoolNodes {
    private PoolNodes() {
    }

    /** Machines that exist, those whose status passes {@code ready}; their GPUs are added to {@code gpus}. */
    record Tally(int present, int ready) {
    }

    static Tally tally(ControllerContext ctx, JsonNode machineNames, Predicate<JsonNode> ready, GpuSummary gpus) {
        int present = 0;
        int readyCount = 0;
        for (JsonNode name : machineNames) {
            Optional<Resource> m = ctx.get(ResourceKey.platform(FleetKinds.MACHINE, name.asText()));
            if (m.isEmpty()) continue;
            present++;
            gpus.addMachine(m.get().status());
            if (ready.test(m.get().status())) readyCount++;
        }
        return new Tally(present, readyCount);
    }
}
