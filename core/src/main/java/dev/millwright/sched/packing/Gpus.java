package dev.millwright.sched.packing;

/** Which GPUs of one node a pod uses, once the node is chosen. */
final class Gpus {
    private static final int[] NONE = new int[0];

    private Gpus() {
    }

    /**
     * Best fit: the {@code num} GPUs with the least left that still have {@code milli}, lowest index among equals.
     * A share goes onto the fullest GPU it fits on; whole GPUs are the lowest-numbered free ones. This is the
     * FGD simulator's default ("best") GPU selection, and what its NodeResource.Sub assumes.
     *
     * @return the indexes, or null when fewer than {@code num} GPUs have room
     */
    static int[] bestFit(int[] free, int num, int milli) {
        if (num == 0) return NONE;
        int[] out = new int[num];
        boolean[] taken = new boolean[free.length];
        for (int k = 0; k < num; k++) {
            int best = -1;
            for (int i = 0; i < free.length; i++) {
                if (!taken[i] && free[i] >= milli && (best < 0 || free[i] < free[best])) best = i;
            }
            if (best < 0) return null;
            taken[best] = true;
            out[k] = best;
        }
        return out;
    }

    /** First fit: the lowest-numbered {@code num} GPUs with {@code milli} left, or null when there are too few. */
    static int[] firstFit(int[] free, int num, int milli) {
        if (num == 0) return NONE;
        int[] out = new int[num];
        int k = 0;
        for (int i = 0; i < free.length && k < num; i++) {
            if (free[i] >= milli) out[k++] = i;
        }
        return k == num ? out : null;
    }
}
