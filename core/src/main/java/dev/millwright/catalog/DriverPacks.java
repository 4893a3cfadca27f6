package dev.millwright.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The gpu-driver packs: one per NVIDIA Linux driver release the data names with a concrete version, from
 * three places: the latest release of each branch (endoflife.date), the default driver of each GPU Operator
 * release (its values.yaml), and the drivers each GPU Operator docs tag lists as supported. End of life comes
 * from the branch ({@link DriverBranches}). A branch the data dates but never names a release of is told to
 * the skip log, since there is no version to build a pack from.
 */
final class DriverPacks {
    static final String NAME = "gpu-driver";

    /** NVIDIA Linux driver versions: a three-digit branch, then one or two numbers ("570.26", "535.161.07"). */
    private static final Pattern DRIVER = Pattern.compile("^\\d{3}\\.\\d{1,3}(\\.\\d{1,3})?$");

    private DriverPacks() {
    }

    static List<Pack> build(CsvRows endOfLifeDate, CsvRows operatorComponents, CsvRows operatorDrivers,
                            DriverBranches branches, SkipLog skips) {
        Map<String, List<String>> sources = new LinkedHashMap<>();
        for (CsvRows.Row row : endOfLifeDate.rows()) {
            if (!row.get("product").equals("nvidia-driver")) continue;
            add(sources, row.get("latest"), row, "latest release of " + row.get("releaseCycle") + "; " + row.get("source"), skips);
        }
        for (CsvRows.Row row : operatorComponents.rows()) {
            add(sources, row.get("driver"), row, "default driver of GPU Operator " + row.get("gpu_operator") + "; " + row.get("source"), skips);
        }
        for (CsvRows.Row row : operatorDrivers.rows()) {
            for (String v : row.get("driver_versions_listed_in_component_matrix").split("\\s+")) {
                if (v.isEmpty()) continue;
                add(sources, v, row, "listed for GPU Operator docs tag " + row.get("gpu_operator_docs_tag") + "; " + row.get("source"), skips);
            }
        }

        List<Pack> packs = new ArrayList<>();
        Set<Integer> released = new TreeSet<>();
        sources.forEach((text, where) -> {
            Version version = Version.of(text);
            released.add(version.major());
            Optional<DriverBranches.EndOfLife> eol = branches.endOfLife(version.major());
            String source = NAME + " " + text + " from " + String.join("; ", where) + "; "
                    + eol.map(DriverBranches.EndOfLife::source).orElse("no end of life known for branch R" + version.major());
            packs.add(new Pack(Layer.GPU_DRIVER, NAME, version, List.of(), List.of(), Set.of(), false, false, List.of(),
                    eol.map(DriverBranches.EndOfLife::date).orElse(null), source));
        });
        for (int branch : branches.branches()) {
            if (!released.contains(branch)) {
                skips.skip(branches.firstRow(branch),
                        "branch R" + branch + " is dated but no driver release of it is named anywhere in the data, so it has no pack");
            }
        }
        return packs;
    }

    private static void add(Map<String, List<String>> sources, String version, CsvRows.Row row, String what, SkipLog skips) {
        if (version.isEmpty()) return;
        if (!DRIVER.matcher(version).matches()) {
            skips.skip(row, "driver version \"" + version + "\" is not an NVIDIA Linux driver version");
            return;
        }
        sources.computeIfAbsent(version, k -> new ArrayList<>()).add(row.where() + " (" + what + ")");
    }
}
