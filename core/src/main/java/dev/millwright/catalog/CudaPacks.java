package dev.millwright.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cuda packs: one per CUDA toolkit release from 11.8 on, each requiring the gpu-driver its release notes
 * name as the minimum.
 *
 * <p>Which driver rule is the real one. NVIDIA publishes two: the minimum driver of each toolkit release
 * ({@code cuda_toolkit_min_driver.csv}), and the driver window of minor-version compatibility per CUDA major
 * ({@code cuda_minor_version_compat.csv}: 12.x from R525). The second lets an application built with, say,
 * CUDA 12.8 start on an R525 driver, but without PTX JIT and without features that need the newer driver, so
 * it is a property of how an application is built, not something a platform can promise for a toolkit. A
 * data-center stack that installs CUDA 12.8 needs what the toolkit needs, so the per-release minimum is the
 * requirement, and the compatibility window is only said in the reason. The window's upper end (12.x "below
 * 580") is not a ceiling either: drivers stay backward compatible, so an R580 driver runs CUDA 12.8. Forward
 * compatibility (the cuda-compat package on data-center GPUs) is not modelled.
 */
final class CudaPacks {
    static final String NAME = "cuda";

    /** The oldest toolkit in the catalog; older rows of the table are left out on purpose, not skipped. */
    static final Version OLDEST = Version.of("11.8.0");

    private static final Pattern MAJOR = Pattern.compile("^(\\d+)\\.x$");

    private CudaPacks() {
    }

    static List<Pack> build(CsvRows minimumDrivers, CsvRows minorCompat, SkipLog skips) {
        Map<Integer, CsvRows.Row> window = new HashMap<>();
        for (CsvRows.Row row : minorCompat.rows()) {
            Matcher m = MAJOR.matcher(row.get("cuda_major"));
            if (m.matches()) window.put(Integer.parseInt(m.group(1)), row);
            else skips.skip(row, "cuda_major \"" + row.get("cuda_major") + "\" is not of the form 12.x");
        }
        List<Pack> packs = new ArrayList<>();
        for (CsvRows.Row row : minimumDrivers.rows()) {
            Version version;
            try {
                version = Version.of(row.get("cuda_version"));
            } catch (IllegalArgumentException e) {
                skips.skip(row, "cuda_version \"" + row.get("cuda_version") + "\" is no version");
                continue;
            }
            if (version.compareTo(OLDEST) < 0) continue;
            String minimum = row.get("min_linux_x86_64_driver");
            VersionRange range;
            try {
                // Written as plain numbers (">=580.95.5" for 580.95.05): semver4j drops a bound with a leading zero.
                Version min = Version.of(minimum);
                range = VersionRange.of(">=" + min.major() + "." + min.minor() + "." + min.patch());
            } catch (IllegalArgumentException e) {
                skips.skip(row, "minimum Linux driver \"" + minimum + "\" of " + row.get("cuda_label") + " is no version");
                continue;
            }
            CsvRows.Row compat = window.get(version.major());
            String reason = row.get("cuda_label") + " needs a Linux x86_64 driver >= " + minimum + " ("
                    + Sources.brief(row.get("source")) + ")"
                    + (compat == null ? "." : "; that is the toolkit's own minimum, not the R" + compat.get("driver_min_branch")
                    + " floor of CUDA " + version.major() + ".x minor-version compatibility, which drops features ("
                    + Sources.brief(compat.get("source")) + ").");
            String source = NAME + " " + version + " from " + row.where() + " (" + row.get("source") + ")"
                    + (compat == null ? "" : "; minor-version window from " + compat.where() + " (" + compat.get("source") + ")");
            packs.add(new Pack(Layer.CUDA, NAME, version,
                    List.of(new Pack.Requirement(DriverPacks.NAME, range, reason)), List.of(), Set.of(), false, false,
                    List.of(), null, source));
        }
        return packs;
    }
}
