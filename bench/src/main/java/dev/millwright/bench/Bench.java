package dev.millwright.bench;

import java.util.Arrays;

/**
 * Entry point of the benchmark jar: {@code api} runs the load generator, {@code jmh} the JMH benchmarks,
 * {@code twin} the digital twin at fleet scale.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.out.println("usage: millwright-bench api [--seconds N --threads N --subscribers N --objects N --server URL --token T]");
            System.out.println("       millwright-bench jmh [JMH options]");
            System.out.println("       millwright-bench twin [--nodes 12500 --days 1 --seed 42]");
            System.out.println("       millwright-bench rollout [--scenario fleet|bad|chaos --nodes N --parallel N --seed 42]");
            System.out.println("       millwright-bench dock [--machines 1000 --rack 40 --seed 42]");
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "api" -> ApiLoad.main(rest);
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            case "twin" -> TwinBench.main(rest);
            case "rollout" -> RolloutBench.main(rest);
            case "dock" -> DockBench.main(rest);
            default -> throw new IllegalArgumentException("unknown benchmark " + args[0]);
        }
    }
}
