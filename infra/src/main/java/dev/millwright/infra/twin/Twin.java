package dev.millwright.infra.twin;

import dev.millwright.infra.BootSource;
import dev.millwright.infra.GpuSample;
import dev.millwright.infra.Health;
import dev.millwright.infra.Health.GpuFault;
import dev.millwright.infra.Health.NodeState;
import dev.millwright.infra.Health.PowerState;
import dev.millwright.infra.Infrastructure;
import dev.millwright.infra.Inventory;
import dev.millwright.infra.MachineRef;
import dev.millwright.infra.Operation;
import dev.millwright.infra.PowerAction;
import dev.millwright.infra.UnreachableException;
import dev.millwright.infra.WorkloadObservation;
import dev.millwright.infra.WorkloadPlacement;
import dev.millwright.infra.twin.TwinMachine.TwinWorkload;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The digital twin: the whole infrastructure port as a discrete-event simulation on a virtual clock.
 *
 * <p><b>Model.</b> Each machine is a {@link TwinMachine}: power, what runs on it, faults, and its GPUs'
 * telemetry in primitive arrays (a 12,500-node, 100,000-GPU fleet is a few tens of megabytes). Operations
 * finish after realistic durations ({@link #POWER_ON}, {@link #INSTALL}, ...) with ±20% jitter, three times
 * slower on a slow machine. Telemetry is refreshed for every GPU of every running machine at each
 * {@code telemetryInterval}, which also advances the work of running workloads. Faults (see
 * {@link FaultRates}) arrive as Poisson processes over the whole fleet, drawn hour by hour.
 *
 * <p><b>Determinism.</b> Events run in (time, sequence) order on whichever thread advances the clock, and
 * every random draw comes from one {@link SplittableRandom} seeded at construction, in that order. So the
 * same seed, the same machines and the same calls give the same history, byte for byte
 * ({@link #historyDigest()}).
 *
 * <p><b>Time.</b> Nothing happens until {@link #advance} is called: as fast as possible in tests and
 * benchmarks, or paced against the wall clock by a {@link TwinDriver} for a demo. All state is guarded by one
 * lock, so controllers may call the port from any thread while a driver advances it.
 */
public final class Twin implements Infrastructure {
    /** Power-on self test until the BMC reports the host up. */
    static final Duration POWER_ON = Duration.ofMinutes(4);
    static final Duration POWER_OFF = Duration.ofSeconds(30);
    static final Duration RESTART = Duration.ofMinutes(5);
    /** PXE or virtual-media boot plus an unattended OS install. */
    static final Duration INSTALL = Duration.ofMinutes(18);
    static final Duration DRIVER = Duration.ofMinutes(9);
    static final Duration CUDA = Duration.ofMinutes(4);
    static final Duration KUBERNETES = Duration.ofMinutes(6);
    static final Duration OTHER_LAYER = Duration.ofMinutes(3);
    static final Duration CORDON = Duration.ofSeconds(2);
    /** Eviction overhead per workload on a drain, on top of its grace period. */
    static final Duration EVICTION = Duration.ofSeconds(30);
    static final Duration IMAGE_PULL = Duration.ofSeconds(20);
    static final long DAY_NANOS = Duration.ofDays(1).toNanos();

    private final Object lock = new Object();
    final VirtualClock clock;
    final SplittableRandom random;
    final FaultRates faults;
    private final long seed;
    private final GateRates gateRates;
    /** What each check operation measured, by operation id. */
    private final Map<String, dev.millwright.infra.CheckReport> reports = new HashMap<>();
    private final long telemetryNanos;
    private final NodeState enrolledAs;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final Map<String, TwinMachine> machines = new HashMap<>();
    final List<TwinMachine> byIndex = new ArrayList<>();
    private final Map<String, Operation> operations = new HashMap<>();
    private final Map<String, List<String>> operationsByMachine = new HashMap<>();
    /** Pack versions that break the GPUs of any node they are installed on ("gpu-driver@580.95.05"): a bad release. */
    private final java.util.Set<String> broken = new java.util.HashSet<>();
    private final Map<String, TwinMachine> workloadHost = new HashMap<>();
    /** Workloads that ended (succeeded, failed, stopped), kept so that {@link #workload} can say how. */
    private final Map<String, TwinWorkload> ended = new HashMap<>();
    final History history = new History();
    private final Faults faultProcess = new Faults(this);
    private long sequence;
    private long operationIds;
    private int gpuCount;

    private record Event(long at, long seq, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private Twin(Builder b) {
        this.clock = new VirtualClock(b.epoch);
        this.random = new SplittableRandom(b.seed);
        this.faults = b.faults;
        this.seed = b.seed;
        this.gateRates = b.gateRates;
        this.telemetryNanos = b.telemetryInterval.toNanos();
        this.enrolledAs = b.enrolledAs;
        schedule(telemetryNanos, this::telemetryTick);
        if (!faults.equals(FaultRates.NONE)) schedule(0, faultProcess::tick);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How a twin is set up; every setting has a default. */
    public static final class Builder {
        private long seed = 1;
        private Instant epoch = Instant.parse("2026-01-05T00:00:00Z");
        private FaultRates faults = FaultRates.NONE;
        private GateRates gateRates = GateRates.NONE;
        private Duration telemetryInterval = Duration.ofMinutes(1);
        private NodeState enrolledAs = NodeState.NONE;

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The virtual clock's start. */
        public Builder epoch(Instant epoch) {
            this.epoch = Objects.requireNonNull(epoch);
            return this;
        }

        public Builder faults(FaultRates faults) {
            this.faults = Objects.requireNonNull(faults);
            return this;
        }

        /** How often validation checks find faults (see {@link #check}). */
        public Builder gateFailures(GateRates rates) {
            this.gateRates = Objects.requireNonNull(rates);
            return this;
        }

        public Builder telemetryInterval(Duration interval) {
            if (interval.toMillis() < 1000) throw new IllegalArgumentException("telemetryInterval must be at least 1s");
            this.telemetryInterval = interval;
            return this;
        }

        /**
         * What a machine runs when enrolled: NONE (bare, powered off, as delivered) or READY (powered on, installed,
         * a Kubernetes node: a factory already in production, as the demo starts).
         */
        public Builder enrolledAs(NodeState state) {
            if (state != NodeState.NONE && state != NodeState.READY) throw new IllegalArgumentException("enrolledAs must be NONE or READY");
            this.enrolledAs = state;
            return this;
        }

        public Twin build() {
            return new Twin(this);
        }
    }

    // ---- simulation control (twin only, not part of the port)

    /** Runs every event up to {@code now + d}, then sets the clock there. */
    public void advance(Duration d) {
        if (d.isNegative()) throw new IllegalArgumentException("cannot advance by a negative duration");
        synchronized (lock) {
            long target;
            try {
                target = Math.addExact(clock.nanos(), d.toNanos());
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("cannot advance the twin by " + d + ": past the end of its clock");
            }
            while (!events.isEmpty() && events.peek().at <= target) {
                Event e = events.poll();
                clock.set(e.at);
                e.action.run();
            }
            clock.set(target);
        }
    }

    /** A fault, injected by hand (tests, demos); recorded in the history like a random one. */
    public void inject(String machine, FaultKind fault) {
        synchronized (lock) {
            TwinMachine m = require(machine);
            faultProcess.apply(fault, m, fault == FaultKind.GPU_XID ? random.nextInt(m.gpus()) : 0);
        }
    }

    /**
     * Makes a pack version bad, as a faulty release is: a node it is installed on loses GPU 0 (Xid 79) until
     * another version of the pack replaces it. For rollout tests and benchmarks.
     */
    public void breakVersion(String pack, String version) {
        synchronized (lock) {
            broken.add(pack + "@" + version);
        }
    }

    public int machineCount() {
        synchronized (lock) {
            return byIndex.size();
        }
    }

    public int gpuCount() {
        synchronized (lock) {
            return gpuCount;
        }
    }

    /** SHA-256 of the whole history: equal for equal seeds and calls. */
    public String historyDigest() {
        synchronized (lock) {
            return history.digest();
        }
    }

    /** The newest history lines ("seconds machine what"). */
    public List<String> history() {
        synchronized (lock) {
            return history.recent();
        }
    }

    public long historySize() {
        synchronized (lock) {
            return history.count();
        }
    }

    /** Kinds of fault the twin injects. */
    public enum FaultKind { MACHINE_DEATH, GPU_XID, BMC_UNREACHABLE, SLOW_NODE }

    // ---- the port

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public void enroll(MachineRef ref) {
        enroll(ref, enrolledAs);
    }

    /** A machine from the loading dock arrives bare and powered off, even in a twin whose fleet is in production. */
    @Override
    public void enrollDelivered(MachineRef ref) {
        enroll(ref, NodeState.NONE);
    }

    private void enroll(MachineRef ref, NodeState as) {
        synchronized (lock) {
            if (machines.containsKey(ref.name())) return;
            String profile = HardwareProfiles.profileOf(ref.bmcEndpoint());
            int index = byIndex.size();
            TwinMachine m = new TwinMachine(ref.name(), profile, index,
                    HardwareProfiles.build(profile, ref.name(), ref.name().hashCode(), HardwareProfiles.unitOf(ref.bmcEndpoint())));
            deliveryFaults(m, ref.bmcEndpoint());
            machines.put(ref.name(), m);
            byIndex.add(m);
            gpuCount += m.gpus();
            if (as == NodeState.READY) {
                m.power = PowerState.ON;
                m.node = NodeState.READY;
                m.layers.put("ubuntu", "24.04");
                m.layers.put("kubernetes", "1.33.4");
            }
            history.record(clock.nanos(), m.name, "enrolled " + profile + " " + m.node);
        }
    }

    /** The simulated hardware goes away with the machine's object: a namesake enrolled later is new hardware. */
    @Override
    public void release(String machine) {
        synchronized (lock) {
            TwinMachine m = machines.remove(machine);
            if (m == null) return;
            byIndex.remove(m);
            gpuCount -= m.gpus();
            stopAll(m, "the machine was released");
            history.record(clock.nanos(), m.name, "released");
        }
    }

    @Override
    public Inventory inventory(String machine) {
        synchronized (lock) {
            TwinMachine m = machines.get(machine);
            if (m == null) throw new UnreachableException("no BMC answers for machine " + machine);
            if (m.bmcDown(clock.nanos())) throw new UnreachableException("BMC of " + machine + " does not answer");
            if (m.bmcFault != null) throw new UnreachableException(m.bmcFault);
            if (m.dead) throw new UnreachableException("BMC of " + machine + " does not answer: the machine is dead");
            return m.inventory;
        }
    }

    @Override
    public Health health(String machine) {
        synchronized (lock) {
            TwinMachine m = machines.get(machine);
            if (m == null) return Health.unreachable("machine " + machine + " is not enrolled");
            long now = clock.nanos();
            if (m.dead) return new Health(false, PowerState.UNKNOWN, NodeState.UNKNOWN, true, List.of(), false,
                    "the machine does not respond to its BMC or the network");
            if (m.bmcDown(now)) return Health.unreachable("BMC does not answer");
            if (m.bmcFault != null) return Health.unreachable(m.bmcFault);
            List<GpuFault> gpuFaults = new ArrayList<>();
            for (int i = 0; i < m.gpus(); i++) {
                if (m.xid[i] != 0) gpuFaults.add(new GpuFault(i, m.xid[i], Faults.xidText(m.xid[i])));
            }
            String message = !gpuFaults.isEmpty() ? "GPU " + gpuFaults.get(0).gpu() + ": " + gpuFaults.get(0).description()
                    : m.slow ? "running at a third of the speed of its peers" : "";
            return new Health(true, m.power, m.power == PowerState.ON ? m.node : NodeState.NONE, false, gpuFaults, m.slow, message);
        }
    }

    @Override
    public Operation power(String machine, PowerAction action) {
        synchronized (lock) {
            TwinMachine m = require(machine);
            String kind = "power-" + action.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            if (m.bmcDown(clock.nanos())) return failedNow(m, kind, "BMC does not answer");
            if (m.bmcFault != null) return failedNow(m, kind, m.bmcFault);
            Duration d = switch (action) {
                case ON -> POWER_ON;
                case OFF, FORCE_OFF -> POWER_OFF;
                case RESTART -> RESTART;
            };
            return start(m, kind, d, () -> {
                if (m.dead) return "the machine did not come back: no response after " + kind;
                switch (action) {
                    case ON -> m.power = PowerState.ON;
                    case OFF, FORCE_OFF -> {
                        m.power = PowerState.OFF;
                        stopAll(m, "the machine was powered off");
                    }
                    case RESTART -> {
                        stopAll(m, "the machine restarted");
                        m.power = PowerState.ON;
                        java.util.Arrays.fill(m.xid, 0); // a reset brings fallen GPUs back
                        m.slow = false;
                        if (m.node == NodeState.CORDONED) m.node = NodeState.READY;
                    }
                    default -> throw new IllegalStateException("unexpected power action " + action);
                }
                return null;
            });
        }
    }

    @Override
    public Operation install(String machine, BootSource source, String image) {
        synchronized (lock) {
            TwinMachine m = require(machine);
            if (m.bmcDown(clock.nanos())) return failedNow(m, "install", "BMC does not answer");
            if (m.bmcFault != null) return failedNow(m, "install", m.bmcFault);
            if (m.power != PowerState.ON) return failedNow(m, "install", "the machine is powered off");
            return start(m, "install", INSTALL, () -> {
                if (!m.running()) return "the machine went down during the install";
                stopAll(m, "the machine was reinstalled");
                m.layers.clear();
                int dash = image.lastIndexOf('-'); // an OS image is named <pack>-<version>: ubuntu-24.04
                if (dash > 0) m.layers.put(image.substring(0, dash), image.substring(dash + 1));
                else m.layers.put("os", image);
                m.node = NodeState.OS;
                return null;
            });
        }
    }

    @Override
    public Operation burnIn(String machine, Duration length) {
        synchronized (lock) {
            TwinMachine m = require(machine);
            if (m.power != PowerState.ON) return failedNow(m, "burn-in", "the machine is powered off");
            boolean fails = random.nextDouble() < faults.burnInFailure();
            int gpu = m.gpus() == 0 ? 0 : random.nextInt(Math.max(1, m.gpus()));
            return start(m, "burn-in", length, () -> {
                if (!m.running()) return "the machine went down during the burn-in";
                for (int i = 0; i < m.gpus(); i++) {
                    if (m.xid[i] != 0) return "GPU " + i + " failed: " + Faults.xidText(m.xid[i]);
                }
                if (fails && m.gpus() > 0) {
                    m.xid[gpu] = 79;
                    return "GPU " + gpu + " failed the DCGM level-3 diagnostic: " + Faults.xidText(79);
                }
                return null;
            });
        }
    }

    @Override
    public Operation check(String machine, String check, Duration length) {
        synchronized (lock) {
            TwinMachine m = require(machine);
            String kind = "check:" + check;
            if (!TwinChecks.known(check)) return failedNow(m, kind, "unknown check " + check);
            if (m.bmcDown(clock.nanos())) return failedNow(m, kind, "BMC does not answer");
            if (m.bmcFault != null) return failedNow(m, kind, m.bmcFault);
            if (!m.running()) return failedNow(m, kind, "the machine is not running");
            TwinChecks.Planned plan = TwinChecks.plan(m, check, length, random, gateRates);
            String[] id = new String[1];
            Operation op = start(m, kind, plan.duration(), () -> {
                if (!m.running()) return "the machine went down during " + check;
                if (plan.breaksGpu() >= 0) m.xid[plan.breaksGpu()] = 79;
                reports.put(id[0], TwinChecks.report(m, check, plan));
                return null;
            });
            id[0] = op.id();
            return op;
        }
    }

    @Override
    public dev.millwright.infra.CheckReport checkReport(String operationId) {
        synchronized (lock) {
            dev.millwright.infra.CheckReport r = reports.get(operationId);
            if (r == null) throw new UnreachableException("no report for operation " + operationId + ": not a check that succeeded");
            return r;
        }
    }

    @Override
    public Operation installPack(String machine, String pack, String version) {
        synchronized (lock) {
            TwinMachine m = require(machine);
            String kind = "install:" + pack + "@" + version;
            if (!m.running()) return failedNow(m, kind, "the machine is not running");
            if (m.node == NodeState.NONE) return failedNow(m, kind, "no operating system is installed");
            Duration d = switch (pack) {
                case "gpu-driver" -> DRIVER;
                case "cuda" -> CUDA;
                case "kubernetes" -> KUBERNETES;
                default -> OTHER_LAYER;
            };
            return start(m, kind, d, () -> {
                if (!m.running()) return "the machine went down while installing " + pack + " " + version;
                String was = m.layers.put(pack, version);
                if (broken.contains(pack + "@" + version) && m.gpus() > 0) {
                    m.xid[0] = 79;
                } else if (was != null && broken.contains(pack + "@" + was)) {
                    java.util.Arrays.fill(m.xid, 0); // the bad version is gone, and with its reload the GPUs come back
                }
                if (pack.equals("kubernetes") && m.node == NodeState.OS) m.node = NodeState.READY;
                return null;
            });
        }
    }

    @Override
    public Operation removePack(String machine, String pack) {
        synchronized (lock) {
            TwinMachine m = require(machine);
            String kind = "remove:" + pack;
            if (!m.running()) return failedNow(m, kind, "the machine is not running");
            return start(m, kind, OTHER_LAYER, () -> {
                if (!m.running()) return "the machine went down while removing " + pack;
                m.layers.remove(pack);
                return null;
            });
        }
    }

    @Override
    public java.util.SortedMap<String, String> installedPacks(String machine) {
        synchronized (lock) {
            TwinMachine m = require(machine);
            if (m.dead || m.bmcDown(clock.nanos()) || !m.running()) throw new UnreachableException("the node agent of " + machine + " does not answer");
            return java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(m.layers));
        }
    }

    @Override
    public Operation cordon(String machine) {
        synchronized (lock) {
            TwinMachine m = require(machine);
            return start(m, "cordon", CORDON, () -> {
                if (m.node != NodeState.READY && m.node != NodeState.CORDONED) return "the machine is not a node";
                m.node = NodeState.CORDONED;
                return null;
            });
        }
    }

    @Override
    public Operation uncordon(String machine) {
        synchronized (lock) {
            TwinMachine m = require(machine);
            return start(m, "uncordon", CORDON, () -> {
                if (m.node != NodeState.READY && m.node != NodeState.CORDONED) return "the machine is not a node";
                m.node = NodeState.READY;
                return null;
            });
        }
    }

    @Override
    public Operation drain(String machine, Duration gracePeriod) {
        synchronized (lock) {
            TwinMachine m = require(machine);
            int running = m.workloads.size();
            // an empty node drains at once; otherwise each workload gets the grace period, then is evicted
            Duration d = running == 0 ? CORDON : gracePeriod.plus(EVICTION.multipliedBy(running));
            return start(m, "drain", d, () -> {
                if (m.node == NodeState.READY) m.node = NodeState.CORDONED;
                stopAll(m, "evicted by a drain");
                return null;
            });
        }
    }

    @Override
    public Operation startWorkload(WorkloadPlacement p) {
        synchronized (lock) {
            TwinMachine m = require(p.machine());
            String kind = "start:" + p.workload();
            TwinMachine host = workloadHost.get(p.workload());
            if (host != null && host.workloads.containsKey(p.workload())) return failedNow(m, kind, "workload " + p.workload() + " is already placed");
            if (m.node != NodeState.READY || !m.running()) return failedNow(m, kind, "the machine is not a schedulable node");
            if (p.gpuShare() < 1 || p.gpuShare() > 1000) return failedNow(m, kind, "gpuShare must be 1..1000");
            int[] gpus = p.gpus().stream().mapToInt(Integer::intValue).toArray();
            for (int g : gpus) {
                if (g < 0 || g >= m.gpus()) return failedNow(m, kind, "the machine has no GPU " + g);
                if (m.xid[g] != 0) return failedNow(m, kind, "GPU " + g + " has failed");
                if (m.allocated[g] + p.gpuShare() > 1000) return failedNow(m, kind, "GPU " + g + " is fully allocated");
            }
            TwinWorkload w = new TwinWorkload(p.workload(), gpus, p.gpuShare(), p.work());
            for (int g : gpus) m.allocated[g] += p.gpuShare();
            m.workloads.put(w.id, w);
            workloadHost.put(w.id, m);
            ended.remove(w.id); // an ended workload may start again (a restarted gang, a re-placed replica)
            return start(m, kind, IMAGE_PULL, () -> {
                if (w.state != WorkloadObservation.State.PENDING) return w.message;
                w.state = WorkloadObservation.State.RUNNING;
                return null;
            });
        }
    }

    @Override
    public Operation stopWorkload(String workload) {
        synchronized (lock) {
            TwinMachine m = workloadHost.get(workload);
            if (m == null) throw new UnreachableException("workload " + workload + " is not placed anywhere");
            return start(m, "stop:" + workload, Duration.ofSeconds(10), () -> {
                TwinWorkload w = m.workloads.get(workload);
                if (w != null) finish(m, w, WorkloadObservation.State.STOPPED, "stopped");
                return null;
            });
        }
    }

    @Override
    public WorkloadObservation workload(String workload) {
        synchronized (lock) {
            TwinMachine m = workloadHost.get(workload);
            TwinWorkload w = m == null ? null : m.workloads.getOrDefault(workload, ended.get(workload));
            if (w == null) return new WorkloadObservation(workload, WorkloadObservation.State.UNKNOWN, 0, 0, 0, "not placed");
            double progress = w.work == 0 ? 0 : Math.min(1, w.done / w.work);
            double errorRate = m.slow ? 0.02 : 0.001;
            double latency = (m.slow ? 3 : 1) * 45.0;
            return new WorkloadObservation(w.id, w.state, progress, errorRate, latency, w.message);
        }
    }

    @Override
    public List<GpuSample> gpuTelemetry(String machine) {
        synchronized (lock) {
            TwinMachine m = require(machine);
            if (m.dead || m.bmcDown(clock.nanos())) throw new UnreachableException("no telemetry from " + machine);
            Instant at = clock.instant();
            List<GpuSample> out = new ArrayList<>(m.gpus());
            for (int i = 0; i < m.gpus(); i++) {
                out.add(new GpuSample(i, at, m.utilization[i], m.temperature[i], m.powerWatts[i], m.memoryUsed[i], m.xid[i] == 0));
            }
            return out;
        }
    }

    @Override
    public List<Operation> operations(String machine) {
        synchronized (lock) {
            List<Operation> out = new ArrayList<>();
            for (String id : operationsByMachine.getOrDefault(machine, List.of())) out.add(operations.get(id));
            return out;
        }
    }

    @Override
    public Operation operation(String id) {
        synchronized (lock) {
            Operation op = operations.get(id);
            if (op == null) throw new UnreachableException("no operation " + id);
            return op;
        }
    }

    // ---- machinery

    /**
     * What a machine's endpoint says about its BMC ({@code bmc=unreachable|unauthorized|malformed}), and the faults it
     * was delivered with (old firmware, ECC off; {@code fail=<check>} for a part that always fails that check), drawn from a stream of its own so that enrolling never shifts the
     * twin's main random sequence.
     */
    private void deliveryFaults(TwinMachine m, String endpoint) {
        String bmc = HardwareProfiles.param(endpoint, "bmc");
        if ("unreachable".equals(bmc)) m.bmcDownUntil = Long.MAX_VALUE;
        else if ("unauthorized".equals(bmc)) {
            m.bmcFault = "HTTP 401 Unauthorized from the BMC: the credentials were refused";
            m.credentialsRefused = true;
        }
        else if ("malformed".equals(bmc)) m.bmcFault = "the BMC answered malformed JSON: Unexpected end-of-input in /redfish/v1/Systems/1 at line 1, column 212";
        m.failsCheck = HardwareProfiles.param(endpoint, "fail");
        if (gateRates.firmware() == 0 && gateRates.ecc() == 0) return;
        SplittableRandom own = new SplittableRandom(seed * 1_000_003L + m.name.hashCode());
        if (own.nextDouble() < gateRates.firmware()) {
            List<Inventory.Firmware> fw = new ArrayList<>();
            for (Inventory.Firmware f : m.inventory.firmware()) fw.add(f.component().equals("BIOS") ? new Inventory.Firmware("BIOS", "2.3.0") : f);
            Inventory i = m.inventory;
            m.inventory = new Inventory(i.cpuModel(), i.sockets(), i.cores(), i.memoryGiB(), i.gpus(), i.nics(), fw);
        }
        m.eccOff = m.gpus() > 0 && own.nextDouble() < gateRates.ecc();
    }

    private TwinMachine require(String machine) {
        TwinMachine m = machines.get(machine);
        if (m == null) throw new UnreachableException("machine " + machine + " is not enrolled");
        return m;
    }

    /** Starts an operation that completes after {@code base} (jittered); {@code effect} returns a failure or null. */
    private Operation start(TwinMachine m, String kind, Duration base, java.util.function.Supplier<String> effect) {
        String id = "op-" + (++operationIds);
        Instant started = clock.instant();
        Operation op = new Operation(id, m.name, kind, Operation.State.RUNNING, "", started, null);
        operations.put(id, op);
        operationsByMachine.computeIfAbsent(m.name, k -> new ArrayList<>()).add(id);
        long duration = (long) (base.toNanos() * (0.8 + 0.4 * random.nextDouble()) / m.speed());
        schedule(duration, () -> {
            String failure = effect.get();
            Operation done = new Operation(id, m.name, kind, failure == null ? Operation.State.SUCCEEDED : Operation.State.FAILED,
                    failure == null ? "" : failure, started, clock.instant());
            operations.put(id, done);
            history.record(clock.nanos(), m.name, kind + (failure == null ? " succeeded" : " failed: " + failure));
        });
        return op;
    }

    private Operation failedNow(TwinMachine m, String kind, String why) {
        String id = "op-" + (++operationIds);
        boolean refused = m.credentialsRefused && why.equals(m.bmcFault);
        Operation op = new Operation(id, m.name, kind, Operation.State.FAILED, why, clock.instant(), clock.instant(), refused);
        operations.put(id, op);
        operationsByMachine.computeIfAbsent(m.name, k -> new ArrayList<>()).add(id);
        history.record(clock.nanos(), m.name, kind + " refused: " + why);
        return op;
    }

    void schedule(long delayNanos, Runnable action) {
        events.add(new Event(clock.nanos() + Math.max(0, delayNanos), ++sequence, action));
    }

    void stopAll(TwinMachine m, String why) {
        for (TwinWorkload w : new ArrayList<>(m.workloads.values())) {
            finish(m, w, why.startsWith("evicted") ? WorkloadObservation.State.STOPPED : WorkloadObservation.State.FAILED, why);
        }
    }

    void finish(TwinMachine m, TwinWorkload w, WorkloadObservation.State state, String why) {
        w.state = state;
        w.message = why;
        for (int g : w.gpus) m.allocated[g] -= w.share;
        m.workloads.remove(w.id);
        ended.put(w.id, w);
        history.record(clock.nanos(), m.name, "workload " + w.id + " " + state + ": " + why);
    }

    /** Refreshes every GPU of every running machine and advances running workloads by one interval. */
    private void telemetryTick() {
        double seconds = telemetryNanos / 1e9;
        for (TwinMachine m : byIndex) {
            if (!m.running()) {
                m.coolDown();
                continue;
            }
            m.sampleGpus(random);
            if (!m.workloads.isEmpty()) {
                List<TwinWorkload> completed = m.progress(seconds);
                if (completed != null) {
                    for (TwinWorkload w : completed) finish(m, w, WorkloadObservation.State.SUCCEEDED, "completed");
                }
            }
        }
        schedule(telemetryNanos, this::telemetryTick);
    }
}
