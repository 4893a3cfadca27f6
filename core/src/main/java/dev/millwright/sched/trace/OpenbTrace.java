package dev.millwright.sched.trace;

import java.io.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the openb format of the Alibaba GPU-sharing trace (cluster-trace-gpu-v2023, used by the FGD paper,
 * ATC'23): a node list and a pod list, both CSV with a header. Columns are found by name in any order and
 * columns not named here (qos, pod_phase, creation_time...) are ignored, since the packing experiment does not
 * use them.
 *
 * <p>Rules, each reported with file, line and column when broken: every required column is in the header; every
 * number is a whole, non-negative number; {@code gpu_milli} is 1..1000 when {@code num_gpu} is above 0 (a share of
 * one GPU below 1000); node names are unique; a file has at least one data row; no pod asks for more GPUs than
 * the largest node has ({@link #checkPodsFit}). A {@code gpu_milli} on a pod with {@code num_gpu} 0 is ignored,
 * as the FGD simulator's trace converter does. A {@code gpu_spec} naming a model no node has is not an error:
 * the pod simply fits nowhere.
 */
public final class OpenbTrace {
    /** Columns a node list must have. */
    public static final List<String> NODE_COLUMNS = List.of("sn", "cpu_milli", "memory_mib", "gpu", "model");
    /** Columns a pod list must have. */
    public static final List<String> POD_COLUMNS = List.of("name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli", "gpu_spec");

    /** Upper bound on CPU thousandths of one node or pod (a million cores); larger values are typos. */
    static final long MAX_CPU_MILLI = 1_000_000_000L;
    /** Upper bound on memory of one node or pod, in MiB (an exbibyte). */
    static final long MAX_MEMORY_MIB = 1L << 40;
    /** Upper bound on GPUs of one node or pod. */
    static final int MAX_GPUS = 1024;

    private OpenbTrace() {
    }

    /** @param file how messages name the source, usually its path */
    public static List<OpenbNode> readNodes(String file, Reader in) {
        CsvTable t = CsvTable.read(file, in, NODE_COLUMNS);
        if (t.rows().isEmpty()) throw new TraceException(file, 0, null, "no nodes: the file has a header but no rows");
        List<OpenbNode> out = new ArrayList<>(t.rows().size());
        Map<String, Integer> seen = new HashMap<>();
        for (CsvTable.Row r : t.rows()) {
            String name = t.text(r, "sn");
            if (name.isEmpty()) throw new TraceException(file, r.line(), "sn", "missing node name");
            Integer first = seen.putIfAbsent(name, r.line());
            if (first != null) throw new TraceException(file, r.line(), "sn", "node " + name + " is listed twice (first on line " + first + ")");
            long cpu = t.number(r, "cpu_milli", 0, MAX_CPU_MILLI);
            long mem = t.number(r, "memory_mib", 0, MAX_MEMORY_MIB);
            int gpus = (int) t.number(r, "gpu", 0, MAX_GPUS);
            out.add(new OpenbNode(name, cpu, mem, gpus, t.text(r, "model"), r.line()));
        }
        return List.copyOf(out);
    }

    /** @param file how messages name the source, usually its path */
    public static List<OpenbPod> readPods(String file, Reader in) {
        CsvTable t = CsvTable.read(file, in, POD_COLUMNS);
        if (t.rows().isEmpty()) throw new TraceException(file, 0, null, "no pods: the file has a header but no rows");
        List<OpenbPod> out = new ArrayList<>(t.rows().size());
        for (CsvTable.Row r : t.rows()) {
            String name = t.text(r, "name");
            if (name.isEmpty()) throw new TraceException(file, r.line(), "name", "missing pod name");
            long cpu = t.number(r, "cpu_milli", 0, MAX_CPU_MILLI);
            long mem = t.number(r, "memory_mib", 0, MAX_MEMORY_MIB);
            int numGpu = (int) t.number(r, "num_gpu", 0, MAX_GPUS);
            int gpuMilli = (int) t.number(r, "gpu_milli", 0, Integer.MAX_VALUE);
            if (numGpu == 0) {
                gpuMilli = 0;
            } else if (gpuMilli < 1 || gpuMilli > 1000) {
                throw new TraceException(file, r.line(), "gpu_milli", "value " + gpuMilli + " must be 1..1000 (thousandths of one GPU) when num_gpu is " + numGpu);
            }
            List<String> models = Arrays.stream(t.text(r, "gpu_spec").split("\\|")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
            out.add(new OpenbPod(name, cpu, mem, numGpu, gpuMilli, models, r.line()));
        }
        return List.copyOf(out);
    }

    /**
     * Refuses a pod list with a pod that asks for more GPUs than the largest node of the node list has: such a
     * pod could never run, and replaying it would only hide a mistake in the files.
     */
    public static void checkPodsFit(List<OpenbNode> nodes, String podsFile, List<OpenbPod> pods) {
        int largest = nodes.stream().mapToInt(OpenbNode::gpus).max().orElse(0);
        for (OpenbPod p : pods) {
            if (p.numGpu() > largest) {
                throw new TraceException(podsFile, p.line(), "num_gpu",
                        "pod " + p.name() + " asks for " + p.numGpu() + " GPUs but the largest node has " + largest);
            }
        }
    }
}
