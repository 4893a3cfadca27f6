package dev.millwright.sched.packing;

/**
 * A pod as the engine works with it: its request with the GPU models it accepts turned into a mask over the
 * cluster's model indexes, and a shape number shared by all pods that ask for exactly the same thing (copies made
 * by tuning share the very same object), so per-node caches can be keyed by shape.
 */
final class Request {
    final PackingPod pod;
    final long cpu;
    final long mem;
    final int num;
    final int milli;
    final long requestMilli;
    /** Accepted models by cluster model index; null means any model, including none. */
    final boolean[] allowed;
    /** Dense number of this request's shape, from 0. */
    final int shape;

    Request(PackingPod pod, boolean[] allowed, int shape) {
        this.pod = pod;
        this.cpu = pod.cpuMilli();
        this.mem = pod.memoryMib();
        this.num = pod.numGpu();
        this.milli = pod.gpuMilli();
        this.requestMilli = pod.gpuRequestMilli();
        this.allowed = allowed;
        this.shape = shape;
    }

    /** Whether GPUs of the cluster model {@code model} (-1: none or unknown) may serve it. */
    boolean allows(int model) {
        return allowed == null || (model >= 0 && allowed[model]);
    }

    /** A share of one GPU rather than whole GPUs. */
    boolean sharesGpu() {
        return num > 0 && milli < 1000;
    }

    /**
     * The CPU request as the FGD simulator's scores see it: Kubernetes scores a container without a CPU request
     * as if it asked for 100 milli (schedutil.GetNonzeroRequests).
     */
    long scoredCpu() {
        return cpu == 0 ? 100 : cpu;
    }
}
