package dev.millwright.control.workload;

/**
 * Kubernetes resource quantities as the scheduler counts them. AppTemplate profiles give CPU as cores or
 * millicores ("8", "0.5", "500m") and memory with a binary suffix ("64Gi"), as their schema allows.
 */
final class Quantities {
    private Quantities() {
    }

    /** Millicores; 0 for none. */
    static int millicores(String cpu) {
        if (cpu == null || cpu.isEmpty()) return 0;
        if (cpu.endsWith("m")) return (int) Math.ceil(Double.parseDouble(cpu.substring(0, cpu.length() - 1)));
        return (int) Math.ceil(Double.parseDouble(cpu) * 1000);
    }

    /** MiB, rounded up; 0 for none. */
    static int mebibytes(String memory) {
        if (memory == null || memory.isEmpty()) return 0;
        String[][] units = {{"Ki", "1"}, {"Mi", "1024"}, {"Gi", "1048576"}, {"Ti", "1073741824"}};
        for (String[] u : units) {
            if (memory.endsWith(u[0])) {
                double kib = Double.parseDouble(memory.substring(0, memory.length() - 2)) * Long.parseLong(u[1]);
                return (int) Math.min(Integer.MAX_VALUE, Math.ceil(kib / 1024));
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.ceil(Double.parseDouble(memory) / (1024 * 1024)));
    }
}
