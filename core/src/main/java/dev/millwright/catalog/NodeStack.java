package dev.millwright.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * The next change that brings one node's installed packs to a stack: install the first pack (in layer
 * order) whose version differs, then remove packs an earlier stack put there that this one no longer has.
 * Packs the node came with that no stack of Millwright's ever named (its OS image, say) are left alone.
 * Pure, so a controller can call it on every pass and a crash between steps only repeats a look.
 */
public final class NodeStack {
    private NodeStack() {
    }

    /** One change to a node: install {@code pack} at {@code version}, or remove it when version is null. */
    public record Step(String pack, String version) {
        public boolean removal() {
            return version == null;
        }

        @Override
        public String toString() {
            return removal() ? "remove " + pack : "install " + pack + " " + version;
        }
    }

    /**
     * @param desired the packs of the stack, in layer order
     * @param managed the packs earlier stacks of the same owner installed (removed when no longer desired)
     * @param installed what the node reports now
     */
    public static Optional<Step> next(List<Pack> desired, Set<String> managed, SortedMap<String, String> installed) {
        for (Pack p : desired) {
            String version = p.version().toString();
            if (!version.equals(installed.get(p.name()))) return Optional.of(new Step(p.name(), version));
        }
        Set<String> wanted = new java.util.HashSet<>();
        for (Pack p : desired) wanted.add(p.name());
        for (Map.Entry<String, String> e : installed.entrySet()) {
            if (managed.contains(e.getKey()) && !wanted.contains(e.getKey())) return Optional.of(new Step(e.getKey(), null));
        }
        return Optional.empty();
    }

    /** Whether the node runs exactly the desired versions (packs outside the stack may remain). */
    public static boolean inSync(List<Pack> desired, SortedMap<String, String> installed) {
        for (Pack p : desired) {
            if (!p.version().toString().equals(installed.get(p.name()))) return false;
        }
        return true;
    }

    /** What a node runs that its template does not say, one line a pack: the drift an operator is shown. */
    public static java.util.List<String> differences(List<Pack> desired, Set<String> managed, SortedMap<String, String> installed) {
        java.util.List<String> out = new java.util.ArrayList<>();
        Set<String> wanted = new java.util.HashSet<>();
        for (Pack p : desired) {
            wanted.add(p.name());
            String running = installed.get(p.name());
            if (running == null) out.add(p.name() + ": missing, the template has " + p.version());
            else if (!running.equals(p.version().toString())) out.add(p.name() + ": runs " + running + ", the template has " + p.version());
        }
        installed.forEach((pack, version) -> {
            if (managed.contains(pack) && !wanted.contains(pack)) out.add(pack + ": runs " + version + ", the template has none");
        });
        return out;
    }
}
