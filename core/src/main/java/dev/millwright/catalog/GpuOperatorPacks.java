package dev.millwright.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The gpu-operator packs: one per NVIDIA GPU Operator release in {@code gpu_operator_component_versions.csv},
 * with the software it deploys ({@link GpuOperatorImages}), requiring Kubernetes in the range its
 * platform-support page gives.
 *
 * <p>Matching a release to its platform-support page: a three-part docs tag (v24.9.2) is that release only; a
 * two-part tag (v25.10) documents the whole minor line (25.10.0, 25.10.1). A release with no matching tag gets
 * no Kubernetes requirement rather than a neighbour's range, and its source says so. The range is the union
 * over the page's OS rows (rows without a Kubernetes range are OpenShift-only and add nothing).
 */
final class GpuOperatorPacks {
    static final String NAME = "gpu-operator";

    private static final Pattern TWO_PART_TAG = Pattern.compile("^v\\d+\\.\\d+$");

    private GpuOperatorPacks() {
    }

    static List<Pack> build(CsvRows components, CsvRows platformSupport, CsvRows supportedDrivers, SkipLog skips) {
        List<Pack> packs = new ArrayList<>();
        for (CsvRows.Row row : components.rows()) {
            String tag = row.get("gpu_operator");
            String written = tag.startsWith("v") ? tag.substring(1) : tag;
            Version version;
            try {
                version = Version.of(written);
            } catch (IllegalArgumentException e) {
                skips.skip(row, "GPU Operator release \"" + tag + "\" is no version");
                continue;
            }
            List<CsvRows.Row> support = supportRows(tag, platformSupport);
            List<MinorRanges.Span> spans = new ArrayList<>();
            for (CsvRows.Row s : support) {
                String k8s = s.get("kubernetes_range");
                if (k8s.isEmpty()) continue;
                MinorRanges.parse(k8s).ifPresentOrElse(spans::add,
                        () -> skips.skip(s, "kubernetes_range \"" + k8s + "\" is not of the form 1.22-1.29"));
            }
            List<Pack.Requirement> requires = new ArrayList<>();
            String supportSource;
            if (support.isEmpty()) {
                supportSource = "no platform-support row for this release in gpu_operator_platform_support.csv, so no kubernetes requirement";
            } else if (spans.isEmpty()) {
                supportSource = "platform-support " + lines(support) + " give no usable Kubernetes range, so no kubernetes requirement";
            } else {
                List<MinorRanges.Span> union = MinorRanges.union(spans);
                CsvRows.Row first = support.get(0);
                requires.add(new Pack.Requirement("kubernetes", VersionRange.of(MinorRanges.rangeText(union)),
                        "GPU Operator " + written + " supports Kubernetes " + MinorRanges.text(union)
                                + " over the OSes its platform-support page lists (" + first.get("source")
                                + ", docs tag " + first.get("gpu_operator_docs_tag")
                                + (inherited(tag, first) ? "; this release is not listed, so it takes that earliest documented patch of its line" : "")
                                + ")."));
                supportSource = "kubernetes range from " + lines(support) + " (" + first.get("source") + ", docs tag "
                        + first.get("gpu_operator_docs_tag") + ")";
            }
            List<CsvRows.Row> drivers = supportRows(tag, supportedDrivers);
            if (!drivers.isEmpty()) {
                CsvRows.Row d = drivers.get(0);
                driverRule(written, d).ifPresent(requires::add);
                supportSource += "; driver branches from " + d.where() + " (" + d.get("source") + ")";
            }
            List<Pack.Requirement> conflicts = new ArrayList<>();
            containerdRule(written, support).ifPresent(conflicts::add);
            String source = NAME + " " + written + " from " + row.where() + " (" + row.get("source") + "); " + supportSource;
            packs.add(new Pack(Layer.GPU_OPERATOR, NAME, version, requires, conflicts, Set.of(), false, false,
                    GpuOperatorImages.packages(row, tag), null, source));
        }
        return packs;
    }

    private static final java.util.regex.Pattern MINOR_SPAN = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)\\s*-\\s*(\\d+)\\.(\\d+)$");

    /**
     * The containerd versions the release supports, over the OSes its platform-support page lists ("1.7 - 2.2").
     * A conflict, not a requirement: the operator runs on CRI-O too, so only a containerd outside the range is wrong.
     */
    static java.util.Optional<Pack.Requirement> containerdRule(String written, List<CsvRows.Row> support) {
        int[] low = null;
        int[] high = null;
        CsvRows.Row from = null;
        for (CsvRows.Row s : support) {
            var m = MINOR_SPAN.matcher(s.get("containerd_range").trim());
            if (!m.matches()) continue;
            int[] lo = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
            int[] hi = {Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))};
            if (low == null || java.util.Arrays.compare(lo, low) < 0) low = lo;
            if (high == null || java.util.Arrays.compare(hi, high) > 0) high = hi;
            if (from == null) from = s;
        }
        if (from == null) return java.util.Optional.empty();
        String range = "<" + low[0] + "." + low[1] + ".0 || >=" + high[0] + "." + (high[1] + 1) + ".0";
        return java.util.Optional.of(new Pack.Requirement("containerd", VersionRange.of(range),
                "GPU Operator " + written + " supports containerd " + low[0] + "." + low[1] + "-" + high[0] + "." + high[1]
                        + " over the OSes its platform-support page lists (" + from.get("source") + ", docs tag "
                        + from.get("gpu_operator_docs_tag") + ")."));
    }

    private static List<CsvRows.Row> supportRows(String tag, CsvRows platformSupport) {
        List<CsvRows.Row> exact = new ArrayList<>();
        List<CsvRows.Row> minorLine = new ArrayList<>();
        for (CsvRows.Row s : platformSupport.rows()) {
            String docs = s.get("gpu_operator_docs_tag");
            if (docs.equals(tag)) exact.add(s);
            else if (TWO_PART_TAG.matcher(docs).matches() && tag.startsWith(docs + ".")) minorLine.add(s);
        }
        if (!exact.isEmpty()) return exact;
        if (!minorLine.isEmpty()) return minorLine;
        return sameLineInherited(tag, platformSupport);
    }

    /**
     * A patch release the docs do not list takes the range of the earliest documented patch of its minor
     * line: the narrowest its line promised, rather than no rule at all, which would let the solver pair it
     * with any Kubernetes.
     */
    private static List<CsvRows.Row> sameLineInherited(String tag, CsvRows platformSupport) {
        String line = tag.replaceFirst("^(v\\d+\\.\\d+)\\..*$", "$1");
        if (line.equals(tag)) return List.of();
        String earliest = null;
        for (CsvRows.Row s : platformSupport.rows()) {
            String docs = s.get("gpu_operator_docs_tag");
            if (!docs.startsWith(line + ".")) continue;
            if (earliest == null || Version.of(docs).compareTo(Version.of(earliest)) < 0) earliest = docs;
        }
        if (earliest == null) return List.of();
        List<CsvRows.Row> out = new ArrayList<>();
        for (CsvRows.Row s : platformSupport.rows()) if (s.get("gpu_operator_docs_tag").equals(earliest)) out.add(s);
        return out;
    }

    /**
     * The driver branches a release's component matrix lists: each branch from its lowest listed version up
     * to the next branch (newer patches of a validated branch are supported), the branches joined as
     * alternatives.
     */
    private static java.util.Optional<Pack.Requirement> driverRule(String release, CsvRows.Row row) {
        java.util.TreeMap<Integer, Version> lowest = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        for (String v : row.get("driver_versions_listed_in_component_matrix").trim().split("\\s+")) {
            if (v.isEmpty()) continue;
            Version version = Version.of(v);
            lowest.merge(version.major(), version, (a, b) -> a.compareTo(b) <= 0 ? a : b);
        }
        if (lowest.isEmpty()) return java.util.Optional.empty();
        String range = lowest.entrySet().stream()
                .map(e -> ">=" + e.getValue() + " <" + (e.getKey() + 1) + ".0.0")
                .collect(Collectors.joining(" || "));
        String branches = lowest.keySet().stream().map(String::valueOf).collect(Collectors.joining(", "));
        return java.util.Optional.of(new Pack.Requirement("gpu-driver", VersionRange.of(range),
                "GPU Operator " + release + " is validated with driver branches " + branches + " (its component matrix, "
                        + row.get("source") + ", docs tag " + row.get("gpu_operator_docs_tag")
                        + (inherited("v" + release, row) ? "; this release is not listed, so it takes that documented release of its line" : "")
                        + ")."));
    }

    private static boolean inherited(String tag, CsvRows.Row row) {
        String docs = row.get("gpu_operator_docs_tag");
        return !docs.equals(tag) && !TWO_PART_TAG.matcher(docs).matches();
    }

    private static String lines(List<CsvRows.Row> rows) {
        if (rows.size() == 1) return rows.get(0).where();
        return rows.get(0).file() + " lines " + rows.stream().map(r -> String.valueOf(r.line())).collect(Collectors.joining(", "));
    }
}
