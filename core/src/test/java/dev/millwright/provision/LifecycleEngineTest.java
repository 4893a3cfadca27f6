package dev.millwright.provision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.provision.LifecycleEngine.Observation;
import dev.millwright.provision.LifecycleEngine.OpState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class LifecycleEngineTest {
    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    private static final HardwareFacts H100 = new HardwareFacts(List.of("NVIDIA H100 80GB HBM3", "NVIDIA H100 80GB HBM3"), List.of(80, 80),
            Map.of("BIOS", "2.4.1", "BMC", "24.09.12"));
    private static final DockSettings SETTINGS = new DockSettings(
            List.of(Gate.dcgm(3), Gate.simple("nvlink"), Gate.simple("nccl"), Gate.stress(Duration.ofMinutes(60))),
            new HardwareExpectation("H100 80GB", 2, 80, Map.of("BIOS", "2.4.1")), 2, 1, 1, 3, Duration.ofMinutes(1), "ubuntu-24.04", "1.33.4");

    /** A batch driven pass by pass; {@code world} answers each operation in flight. */
    private static final class Batch {
        final Map<String, MachineLifecycle> machines = new LinkedHashMap<>();
        final Map<String, Integer> asked = new HashMap<>();
        final List<String> joined = new ArrayList<>();
        Instant now = T0;

        Batch(int n, String... racks) {
            for (int i = 0; i < n; i++) {
                String rack = racks.length == 0 ? "r1" : racks[i % racks.length];
                machines.put("m" + i, MachineLifecycle.registered(rack, "net", i, T0));
            }
        }

        LifecycleEngine.Output pass(BiFunction<String, MachineLifecycle, Observation> world) {
            Map<String, Observation> observed = new HashMap<>();
            machines.forEach((n, m) -> {
                if (m.inFlight()) observed.put(n, world.apply(n, m));
            });
            LifecycleEngine.Output out = LifecycleEngine.pass(new LifecycleEngine.Input(SETTINGS, machines, observed, now));
            machines.putAll(out.changed());
            for (LifecycleEngine.Action a : out.actions()) {
                asked.merge(a.machine() + " " + a.step().operationKind(), 1, Integer::sum);
                machines.put(a.machine(), machines.get(a.machine()).started("op-" + a.machine() + "-" + asked.size(), now));
            }
            joined.addAll(out.joined());
            return out;
        }

        MachineLifecycle get(String m) {
            return machines.get(m);
        }
    }

    /** Every operation succeeds with healthy figures. */
    private static Observation healthy(String machine, MachineLifecycle m) {
        return done(m, Map.of());
    }

    private static Observation done(MachineLifecycle m, Map<String, Double> override) {
        Map<String, Double> metrics = new HashMap<>(Map.of("gpusTested", 2.0, "linksUp", 36.0, "linksExpected", 36.0, "busBwGBps", 470.0,
                "maxTemperatureC", 78.0, "eccDisabledGpus", 0.0, "eccUncorrectable", 0.0));
        metrics.putAll(override);
        return new Observation(OpState.SUCCEEDED, "", new CheckReading(metrics, List.of()), H100);
    }

    @Test
    void aHealthyMachineWalksEveryStateFromRegisteredToJoined() {
        Batch b = new Batch(1);
        List<LifecycleState> seen = new ArrayList<>();
        for (int i = 0; i < 20 && b.get("m0").state() != LifecycleState.JOINED; i++) {
            b.pass(LifecycleEngineTest::healthy);
            seen.add(b.get("m0").state());
        }
        assertThat(seen).containsSubsequence(LifecycleState.INSPECTING, LifecycleState.VALIDATING, LifecycleState.PROVISIONING,
                LifecycleState.DEPLOYED, LifecycleState.JOINED);
        assertThat(b.get("m0").entered()).containsKeys("Registered", "Inspecting", "Validating", "Available", "Provisioning", "Deployed", "Joined");
        assertThat(b.joined).containsExactly("m0");
        assertThat(b.get("m0").evidence()).anySatisfy(e -> assertThat(e).contains("NCCL all-reduce bus bandwidth 470.0 GB/s (at least 400.0)"));
        assertThat(b.asked.values()).as("each step asked for once").allMatch(n -> n == 1);
        assertThat(b.asked).hasSize(SETTINGS.plan().size());
    }

    @Test
    void aMachineBetweenTwoResourcesWaitsAvailableForTheImageServer() {
        Batch b = new Batch(2, "r1", "r2");
        // run both through the burn-in; one install at a time
        for (int i = 0; i < 7; i++) b.pass(LifecycleEngineTest::healthy);
        long provisioning = b.machines.values().stream().filter(m -> m.state() == LifecycleState.PROVISIONING).count();
        long available = b.machines.values().stream().filter(m -> m.state() == LifecycleState.AVAILABLE).count();
        assertThat(provisioning).isEqualTo(1);
        assertThat(available).isEqualTo(1);
        assertThat(b.machines.values()).filteredOn(m -> m.state() == LifecycleState.AVAILABLE)
                .allSatisfy(m -> assertThat(m.message()).isEqualTo("waiting for the image server: 1/1 installs"));
    }

    @Test
    void aRackNeverHasMoreMachinesInBurnInThanItsPowerBudget() {
        Batch b = new Batch(4);
        for (int i = 0; i < 40; i++) {
            b.pass(LifecycleEngineTest::healthy);
            long burning = b.machines.values().stream().filter(m -> m.state() == LifecycleState.VALIDATING && m.inFlight()).count();
            assertThat(burning).isLessThanOrEqualTo(SETTINGS.perRackPower());
        }
        assertThat(b.joined).hasSize(4);
    }

    @Test
    void aBmcNetworkPowersOnNoMoreThanItsLimitAtOnce() {
        Batch b = new Batch(5);
        b.pass((n, m) -> new Observation(OpState.RUNNING, "", null, null));
        assertThat(b.machines.values()).filteredOn(MachineLifecycle::inFlight).hasSize(SETTINGS.perBmcNetwork());
        assertThat(b.get("m4").state()).isEqualTo(LifecycleState.REGISTERED);
        assertThat(b.get("m4").message()).isEqualTo("waiting for BMC network net: 2/2 machines powering on or inspecting");
    }

    @Test
    void aGateThatFailsQuarantinesTheMachineWithItsEvidenceAndNeverJoinsIt() {
        Batch b = new Batch(1);
        for (int i = 0; i < 20; i++) {
            b.pass((n, m) -> m.pending() != null && m.pending().equals("check:nccl") || m.message() != null && m.message().equals("NCCL all-reduce")
                    ? done(m, Map.of("busBwGBps", 231.5)) : healthy(n, m));
        }
        MachineLifecycle m = b.get("m0");
        assertThat(m.state()).isEqualTo(LifecycleState.QUARANTINED);
        assertThat(m.reason()).isEqualTo("NCCL all-reduce bus bandwidth 231.5 GB/s (at least 400.0)");
        assertThat(m.evidence()).last().isEqualTo(m.reason());
        assertThat(m.evidence()).anySatisfy(e -> assertThat(e).startsWith("DCGM r3: 2 GPUs passed"));
        assertThat(b.joined).isEmpty();
        assertThat(b.asked).doesNotContainKey("m0 install");
    }

    @Test
    void anInventoryThatContradictsTheOrderIsQuarantinedAtInspection() {
        Batch b = new Batch(1);
        HardwareFacts l40s = new HardwareFacts(List.of("NVIDIA L40S"), List.of(48), Map.of("BIOS", "1.9.2"));
        for (int i = 0; i < 5; i++) {
            b.pass((n, m) -> new Observation(OpState.SUCCEEDED, "", new CheckReading(Map.of("eccDisabledGpus", 0.0), List.of()), l40s));
        }
        assertThat(b.get("m0").state()).isEqualTo(LifecycleState.QUARANTINED);
        assertThat(b.get("m0").reason()).isEqualTo("inventory contradicts the order: expected 2 GPUs, the BMC reports 1; "
                + "GPU 0 is NVIDIA L40S, expected H100 80GB; GPU 0 has 48 GiB, expected 80");
    }

    @Test
    void firmwareBelowTheBaselineAndEccOffAreQuarantinedWithWhatWasFound() {
        HardwareExpectation e = new HardwareExpectation(null, -1, 0, Map.of("BIOS", "2.4.1", "GPU*", "96.00.99.00.01"));
        HardwareFacts old = new HardwareFacts(List.of(), List.of(), Map.of("BIOS", "2.3.0", "GPU0 VBIOS", "96.00.99.00.01", "GPU1 VBIOS", "96.00.5E.00.01"));
        assertThat(e.judgeFirmware(old).evidence()).isEqualTo("firmware below the baseline: BIOS runs 2.3.0, the baseline is 2.4.1; "
                + "GPU1 VBIOS runs 96.00.5E.00.01, the baseline is 96.00.99.00.01");
        assertThat(HardwareExpectation.ANY.judgeInventory(H100, new CheckReading(Map.of("eccDisabledGpus", 1.0), List.of())).evidence())
                .isEqualTo("inventory contradicts the order: ECC is disabled on 1 GPU");
    }

    @Test
    void aFailedOperationIsRetriedAfterABackoffThenFailsTheMachineWithTheReason() {
        Batch b = new Batch(1);
        BiFunction<String, MachineLifecycle, Observation> refused = (n, m) -> new Observation(OpState.FAILED, "BMC does not answer", null, null);
        b.pass(refused); // asks power-on
        b.pass(refused); // fails: retry in 1 min
        assertThat(b.get("m0").attempts()).isEqualTo(1);
        assertThat(b.get("m0").notBefore()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
        b.pass(refused);
        assertThat(b.get("m0").inFlight()).as("no try before the backoff ends").isFalse();
        b.now = T0.plus(Duration.ofMinutes(1));
        b.pass(refused); // second try asked
        b.pass(refused); // fails: retry in 2 min
        assertThat(b.get("m0").notBefore()).isEqualTo(b.now.plus(Duration.ofMinutes(2)));
        b.now = b.now.plus(Duration.ofMinutes(2));
        b.pass(refused);
        b.pass(refused);
        assertThat(b.get("m0").state()).isEqualTo(LifecycleState.FAILED);
        assertThat(b.get("m0").reason()).isEqualTo("power on failed 3 times: BMC does not answer");
        assertThat(b.asked.get("m0 power-on")).isEqualTo(3);
    }

    @Test
    void refusedCredentialsFailTheMachineAtOnceWithTheReasonWhileOtherFailuresAreRetried() {
        Batch b = new Batch(2);
        BiFunction<String, MachineLifecycle, Observation> world = (n, m) -> n.equals("m0")
                ? new Observation(OpState.REFUSED, "HTTP 401 Unauthorized from the BMC: the credentials were refused", null, null)
                : new Observation(OpState.FAILED, "HTTP 503 Service Unavailable", null, null);
        b.pass(world); // asks power-on of both
        b.pass(world);
        assertThat(b.get("m0").state()).isEqualTo(LifecycleState.FAILED);
        assertThat(b.get("m0").reason()).isEqualTo("power on failed, not retried: HTTP 401 Unauthorized from the BMC: the credentials were refused");
        assertThat(b.get("m1").state()).as("a 5xx may pass: tried again after the backoff").isEqualTo(LifecycleState.INSPECTING);
        assertThat(b.get("m1").attempts()).isEqualTo(1);
        b.now = T0.plus(Duration.ofMinutes(10));
        b.pass(world);
        assertThat(b.asked.get("m0 power-on")).isEqualTo(1);
        assertThat(b.asked.get("m1 power-on")).isEqualTo(2);
    }

    @Test
    void aStepPastItsTimeoutIsTriedAgain() {
        Batch b = new Batch(1);
        BiFunction<String, MachineLifecycle, Observation> stuck = (n, m) -> new Observation(OpState.RUNNING, "", null, null);
        b.pass(stuck);
        b.now = T0.plus(Duration.ofMinutes(11)); // power-on: 3 x 4 min, at least 10
        b.pass(stuck);
        assertThat(b.get("m0").inFlight()).isTrue();
        b.now = T0.plus(Duration.ofMinutes(12));
        b.pass(stuck);
        assertThat(b.get("m0").attempts()).isEqualTo(1);
        assertThat(b.get("m0").message()).isEqualTo("retrying after: power on: power on did not finish within 12 min");
    }

    @Test
    void progressReadBackFromItsJsonResumesWhereItWasWithoutRepeatingAStep() {
        Batch b = new Batch(3, "r1", "r2");
        for (int i = 0; i < 5; i++) b.pass(LifecycleEngineTest::healthy);
        // the server dies; the next reads every machine's progress back from the store
        Batch resumed = new Batch(0);
        resumed.now = b.now;
        b.machines.forEach((n, m) -> resumed.machines.put(n, MachineLifecycle.fromJson(m.toJson(SETTINGS.plan()))));
        assertThat(resumed.machines).isEqualTo(b.machines);
        resumed.asked.putAll(b.asked);
        for (int i = 0; i < 40; i++) resumed.pass(LifecycleEngineTest::healthy);
        assertThat(resumed.machines.values()).allSatisfy(m -> assertThat(m.state()).isEqualTo(LifecycleState.JOINED));
        assertThat(resumed.asked.values()).as("no step asked twice across the restart").allMatch(n -> n == 1);
    }

    @Test
    void settledMachinesAreLeftAlone() {
        Batch b = new Batch(0);
        b.machines.put("gone", MachineLifecycle.refused("r1", "net", 0, "credentials secret bmc-r1 does not exist", T0));
        LifecycleEngine.Output out = b.pass(LifecycleEngineTest::healthy);
        assertThat(out.actions()).isEmpty();
        assertThat(out.changed()).isEmpty();
        assertThat(b.get("gone").state()).isEqualTo(LifecycleState.FAILED);
    }

    @Test
    void theEstimateSchedulesTheRestAsTheEngineDoesAtNominalTimes() {
        Map<String, MachineLifecycle> four = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) four.put("m" + i, MachineLifecycle.registered("r1", "net", i, T0));
        // per machine: power-on 4 + inspect 6 (two BMCs at once) + burn-in 30 + 2 + 10 + 60 (one at a time in rack r1)
        // + install 18 (one at a time) + join 6. m2 and m3 are inspected by minute 20, but m3 burns in from 316 to 418:
        // a bound of work / limit (4 x 102 = 408) leaves out the first inspections and the last install and join
        assertThat(DockEstimate.remaining(SETTINGS, four, T0)).isEqualTo(Duration.ofMinutes(10 + 4 * 102 + 18 + 6));
        assertThat(DockEstimate.remaining(SETTINGS, Map.of("m0", four.get("m0")), T0)).isEqualTo(Duration.ofMinutes(136));
    }

    @Test
    void theEstimateCountsWhatIsLeftOfAStepInFlightAndTheBackoffOfARetry() {
        List<Step> plan = SETTINGS.plan();
        MachineLifecycle powering = MachineLifecycle.registered("r1", "net", 0, T0).starting(plan.get(0), T0);
        assertThat(DockEstimate.remaining(SETTINGS, Map.of("a", powering), T0.plus(Duration.ofMinutes(3)))).isEqualTo(Duration.ofMinutes(133));

        MachineLifecycle retrying = powering.retrying("BMC busy", T0.plus(Duration.ofMinutes(30)));
        assertThat(DockEstimate.remaining(SETTINGS, Map.of("b", retrying), T0)).isEqualTo(Duration.ofMinutes(30 + 136));
        // a retrying machine keeps its BMC slot while it waits: with one slot, another machine in another rack powers on
        // only once the retry is through its inspection (minute 40), not at once
        DockSettings oneBmc = new DockSettings(SETTINGS.gates(), SETTINGS.expected(), 1, 1, 10, 3, Duration.ofMinutes(1), "ubuntu-24.04", "1.33.4");
        Map<String, MachineLifecycle> two = new LinkedHashMap<>();
        two.put("b", retrying);
        two.put("d", MachineLifecycle.registered("r3", "net", 1, T0));
        assertThat(DockEstimate.remaining(oneBmc, two, T0)).isEqualTo(Duration.ofMinutes(40 + 136));

        MachineLifecycle done = MachineLifecycle.refused("r1", "net", 0, "gone", T0);
        assertThat(DockEstimate.remaining(SETTINGS, Map.of("x", done), T0)).isZero();
    }
}
