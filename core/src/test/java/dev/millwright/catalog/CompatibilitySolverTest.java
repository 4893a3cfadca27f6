package dev.millwright.catalog;

import static dev.millwright.catalog.PackBuilder.catalog;
import static dev.millwright.catalog.PackBuilder.pack;
import static dev.millwright.catalog.PackBuilder.stack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.millwright.catalog.Conflict.Rule;
import dev.millwright.catalog.Solution.Found;
import dev.millwright.catalog.Solution.Unsolvable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The compatibility solver on small synthetic catalogs whose rules look like the real ones. */
class CompatibilitySolverTest {
    static final LocalDate TODAY = LocalDate.parse("2026-06-01");

    /** Drivers, CUDA, Kubernetes and GPU Operators, with the shape of NVIDIA's support matrices. */
    static final Catalog FLEET = catalog(
            pack("gpu-driver", "535.230.02").gpus("A100", "H100").endOfLife("2026-06-30"),
            pack("gpu-driver", "550.163.01").gpus("A100", "H100").endOfLife("2026-03-01"),
            pack("gpu-driver", "570.86.15").gpus("A100", "H100", "B200").endOfLife("2027-02-01"),
            pack("gpu-driver", "580.82.07").gpus("A100", "H100", "B200").endOfLife("2028-08-04"),
            pack("gpu-driver", "590.44.01").gpus("A100", "H100", "B200"),
            pack("gpu-driver", "610.43.02").gpus("A100", "H100", "B200"),
            pack("cuda", "12.2").requires("gpu-driver", ">=535.54.03", "CUDA 12.2 needs driver >= 535.54.03"),
            pack("cuda", "12.4").requires("gpu-driver", ">=550.54.14", "CUDA 12.4 needs driver >= 550.54.14"),
            pack("cuda", "12.8").requires("gpu-driver", ">=570.26", "CUDA 12.8 needs driver >= 570.26"),
            pack("cuda", "12.9").requires("gpu-driver", ">=575.51.03", "CUDA 12.9 needs driver >= 575.51.03"),
            pack("cuda", "13.0").requires("gpu-driver", ">=580.65.06", "CUDA 13.0 needs driver >= 580.65.06"),
            pack("cuda", "13.1").requires("gpu-driver", ">=590.44.01", "CUDA 13.1 needs driver >= 590.44.01"),
            pack("kubernetes", "1.30.0"), pack("kubernetes", "1.31.0"),
            pack("kubernetes", "1.32.0"), pack("kubernetes", "1.33.0"),
            pack("gpu-operator", "v24.9.2").requires("kubernetes", ">=1.29 <1.32", "GPU Operator 24.9 platform support")
                    .requires("gpu-driver", ">=535 <571", "GPU Operator 24.9 supported drivers"),
            pack("gpu-operator", "v25.3.0").requires("kubernetes", ">=1.30 <1.33", "GPU Operator 25.3 platform support")
                    .requires("gpu-driver", ">=550 <581", "GPU Operator 25.3 supported drivers"),
            pack("gpu-operator", "v25.10.0").requires("kubernetes", ">=1.32 <1.34", "GPU Operator 25.10 platform support")
                    .requires("gpu-driver", ">=570 <600", "GPU Operator 25.10 supported drivers"),
            pack("vllm", "0.8.5").requires("cuda", ">=12.4", "vLLM 0.8 wheels are built for CUDA 12.4"),
            pack("vllm", "0.9.0").requires("cuda", ">=12.8").requires("flashinfer", ">=0.2"),
            pack("flashinfer", "0.2.5"),
            pack("cilium", "1.16.0").requires("kubernetes", ">=1.27"),
            pack("calico", "3.28.0").conflicts("cilium", "*", "one CNI per cluster"));

    static final List<String> GPU_STACK = List.of("cuda", "gpu-driver", "kubernetes", "gpu-operator");

    static Pack fleet(String name, String version) {
        return FLEET.find(name, version).orElseThrow();
    }

    static Stack fleetStack(String... idPairs) {
        List<Pack> packs = new ArrayList<>();
        for (int i = 0; i < idPairs.length; i += 2) packs.add(fleet(idPairs[i], idPairs[i + 1]));
        return new Stack(packs);
    }

    static Stack found(Solution s) {
        assertThat(s).isInstanceOf(Found.class);
        return ((Found) s).stack();
    }

    static boolean compatible(Stack s) {
        return CompatibilitySolver.validate(s, TODAY).compatible();
    }

    static List<String> reasons(Solution s) {
        assertThat(s).isInstanceOf(Unsolvable.class);
        return ((Unsolvable) s).reasons();
    }

    @Nested
    class Validate {
        @Test
        void aStackWhoseRulesAllHoldHasNoConflict() {
            Stack s = fleetStack("gpu-driver", "580.82.07", "cuda", "13.0", "kubernetes", "1.31.0",
                    "gpu-operator", "v25.3.0", "vllm", "0.8.5");
            StackValidation v = CompatibilitySolver.validate(s, Set.of("H100", "B200"), TODAY);
            assertThat(v.conflicts()).isEmpty();
            assertThat(v.compatible()).isTrue();
        }

        static Stream<Arguments> brokenRules() {
            return Stream.of(
                    Arguments.of("a version outside a required range",
                            fleetStack("gpu-driver", "550.163.01", "cuda", "12.8"), Rule.REQUIRES, "cuda 12.8",
                            "gpu-driver 550.163.01", "cuda 12.8 requires gpu-driver >=570.26, but the stack has "
                                    + "gpu-driver 550.163.01 (CUDA 12.8 needs driver >= 570.26)"),
                    Arguments.of("a required pack missing",
                            fleetStack("vllm", "0.8.5"), Rule.MISSING, "vllm 0.8.5", "cuda",
                            "vllm 0.8.5 requires cuda >=12.4, but the stack has no cuda "
                                    + "(vLLM 0.8 wheels are built for CUDA 12.4)"),
                    Arguments.of("an excluded pack present",
                            fleetStack("kubernetes", "1.31.0", "cilium", "1.16.0", "calico", "3.28.0"), Rule.CONFLICTS,
                            "calico 3.28.0", "cilium 1.16.0", "calico 3.28.0 conflicts with cilium 1.16.0, which is in "
                                    + "its excluded range cilium * (one CNI per cluster)"),
                    Arguments.of("one name chosen twice",
                            fleetStack("gpu-driver", "570.86.15", "gpu-driver", "580.82.07"), Rule.DUPLICATE,
                            "gpu-driver 570.86.15", "gpu-driver 580.82.07", "gpu-driver 570.86.15 and gpu-driver "
                                    + "580.82.07 are both in the stack, but a stack holds one version of each pack"),
                    Arguments.of("a GPU model the pack does not support",
                            fleetStack("gpu-driver", "550.163.01", "cuda", "12.4"), Rule.GPU_MODEL, "gpu-driver 550.163.01", "B200",
                            "gpu-driver 550.163.01 does not support the target's GPU model B200; it supports A100, H100"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("brokenRules")
        @DisplayName("each broken rule is one sentence naming both sides and the rule")
        void eachBrokenRuleIsExplained(String title, Stack stack, Rule rule, String pack, String other, String message) {
            Set<String> gpus = rule == Rule.GPU_MODEL ? Set.of("H100", "B200") : Set.of();
            StackValidation v = CompatibilitySolver.validate(stack, gpus, TODAY);
            assertThat(v.compatible()).isFalse();
            assertThat(v.conflicts()).containsExactly(new Conflict(rule, pack, other, message));
        }

        @Test
        void everyConflictIsReportedInTheSameOrderWhateverTheStackOrder() {
            List<Pack> packs = new ArrayList<>(fleetStack("gpu-driver", "535.230.02", "cuda", "13.0", "kubernetes",
                    "1.33.0", "gpu-operator", "v25.3.0", "vllm", "0.9.0").packs());
            StackValidation first = CompatibilitySolver.validate(new Stack(packs), TODAY);
            Collections.reverse(packs);
            StackValidation reversed = CompatibilitySolver.validate(new Stack(packs), TODAY);

            assertThat(first.conflicts()).extracting(Conflict::rule, Conflict::pack, Conflict::other).containsExactly(
                    tuple(Rule.MISSING, "vllm 0.9.0", "flashinfer"),
                    tuple(Rule.REQUIRES, "cuda 13.0", "gpu-driver 535.230.02"),
                    tuple(Rule.REQUIRES, "gpu-operator v25.3.0", "gpu-driver 535.230.02"),
                    tuple(Rule.REQUIRES, "gpu-operator v25.3.0", "kubernetes 1.33.0"));
            assertThat(reversed).isEqualTo(first);
        }

        @Test
        @DisplayName("a zero-padded driver version in a range keeps both bounds (semver4j alone drops it)")
        void zeroPaddedVersionsInRangesAreReadAsNumbers() {
            VersionRange r = VersionRange.of(">=580.65.06 <600");
            assertThat(r.contains(Version.of("580.82.07"))).isTrue();
            assertThat(r.contains(Version.of("580.65.05"))).isFalse();
            assertThat(r.contains(Version.of("610.43.02"))).isFalse();
            assertThat(r).hasToString(">=580.65.06 <600");
        }

        @Test
        void endOfLifeWarnsWithoutMakingTheStackIncompatible() {
            Stack s = stack(pack("gpu-driver", "550.163.01").endOfLife("2026-03-01"),
                    pack("kubernetes", "1.31.0").endOfLife("2026-08-30"),
                    pack("cuda", "12.8").endOfLife("2026-06-01"),
                    pack("cilium", "1.16.0").endOfLife("2026-08-31"),
                    pack("calico", "3.28.0"));
            StackValidation v = CompatibilitySolver.validate(s, TODAY);

            assertThat(v.compatible()).isTrue();
            assertThat(v.warnings()).extracting(Warning::kind, Warning::pack, Warning::message).containsExactly(
                    tuple(Warning.Kind.END_OF_LIFE, "gpu-driver 550.163.01",
                            "gpu-driver 550.163.01 reached end of life on 2026-03-01, so its vendor no longer fixes it"),
                    tuple(Warning.Kind.NEAR_END_OF_LIFE, "cuda 12.8",
                            "cuda 12.8 reaches end of life on 2026-06-01, today"),
                    tuple(Warning.Kind.NEAR_END_OF_LIFE, "kubernetes 1.31.0",
                            "kubernetes 1.31.0 reaches end of life on 2026-08-30, in 90 days"));
        }
    }

    @Nested
    class Newest {
        @Test
        void picksTheNewestVersionOfEveryNameThatSomeStackAllows() {
            Solution s = CompatibilitySolver.newest(FLEET, GPU_STACK, Map.of(), TODAY);
            assertThat(found(s)).isEqualTo(fleetStack("cuda", "13.1", "gpu-driver", "590.44.01", "kubernetes", "1.33.0",
                    "gpu-operator", "v25.10.0"));
            assertThat(((Found) s).warnings()).isEmpty();
        }

        @Test
        void respectsPinsAndReportsTheChosenPacksEndOfLife() {
            Solution s = CompatibilitySolver.newest(FLEET, GPU_STACK,
                    Map.of("gpu-driver", VersionRange.of("550.x"), "kubernetes", VersionRange.of("<1.31")), TODAY);
            assertThat(found(s)).isEqualTo(fleetStack("cuda", "12.4", "gpu-driver", "550.163.01", "kubernetes", "1.30.0",
                    "gpu-operator", "v25.3.0"));
            assertThat(((Found) s).warnings()).extracting(Warning::pack).containsExactly("gpu-driver 550.163.01");
        }

        @Test
        @DisplayName("finds the stack a greedy newest-first pick misses: the newest cuda needs a driver no operator for the pinned kubernetes allows")
        void backtracksWhereGreedyFails() {
            Map<String, VersionRange> pins = Map.of("kubernetes", VersionRange.of("1.31.x"));
            // Greedy takes cuda 13.1, which no stack with kubernetes 1.31 can hold:
            assertThat(reasons(CompatibilitySolver.newest(FLEET, GPU_STACK,
                    Map.of("kubernetes", VersionRange.of("1.31.x"), "cuda", VersionRange.of("13.1")), TODAY))).hasSize(1);

            assertThat(found(CompatibilitySolver.newest(FLEET, GPU_STACK, pins, TODAY))).isEqualTo(fleetStack(
                    "cuda", "13.0", "gpu-driver", "580.82.07", "kubernetes", "1.31.0", "gpu-operator", "v25.3.0"));
        }

        @Test
        void newestIsLexicographicInTheOrderOfTheNames() {
            List<String> operatorFirst = List.of("gpu-operator", "kubernetes", "gpu-driver", "cuda");
            Map<String, VersionRange> pins = Map.of("gpu-driver", VersionRange.of("<580"));
            assertThat(found(CompatibilitySolver.newest(FLEET, operatorFirst, pins, TODAY))).isEqualTo(fleetStack(
                    "gpu-operator", "v25.10.0", "kubernetes", "1.33.0", "gpu-driver", "570.86.15", "cuda", "12.8"));
            assertThat(found(CompatibilitySolver.newest(FLEET, GPU_STACK, pins, TODAY))).isEqualTo(fleetStack(
                    "cuda", "12.8", "gpu-driver", "570.86.15", "kubernetes", "1.33.0", "gpu-operator", "v25.10.0"));
        }

        @Test
        void aVersionRequiringAnUnrequestedPackIsSkippedUntilThePackIsRequested() {
            assertThat(found(CompatibilitySolver.newest(FLEET, List.of("vllm", "cuda", "gpu-driver"), Map.of(), TODAY)))
                    .isEqualTo(fleetStack("vllm", "0.8.5", "cuda", "13.1", "gpu-driver", "610.43.02"));
            assertThat(found(CompatibilitySolver.newest(FLEET, List.of("vllm", "cuda", "gpu-driver", "flashinfer"),
                    Map.of(), TODAY)).get("vllm")).contains(fleet("vllm", "0.9.0"));
        }

        @Test
        void gpuModelsLeaveOnlyPacksThatRunOnAllOfThem() {
            Solution s = CompatibilitySolver.newest(FLEET, List.of("cuda", "gpu-driver"),
                    Map.of("gpu-driver", VersionRange.of("<571")), Set.of("B200"), TODAY);
            assertThat(found(s)).isEqualTo(fleetStack("cuda", "12.8", "gpu-driver", "570.86.15"));
            assertThat(reasons(CompatibilitySolver.newest(FLEET, List.of("gpu-driver"),
                    Map.of("gpu-driver", VersionRange.of("<570")), Set.of("B200"), TODAY)))
                    .containsExactly("no gpu-driver version within the pin <570 supports every target GPU model (B200)");
        }

        @Test
        void pinsThatCannotHoldTogetherAreNamedInTheReason() {
            List<String> why = reasons(CompatibilitySolver.newest(FLEET, GPU_STACK,
                    Map.of("cuda", VersionRange.of("13.x"), "gpu-driver", VersionRange.of("<580")), TODAY));
            assertThat(why).containsExactly("none of gpu-driver 535.230.02 to 570.86.15 (3 versions, pinned to <580) "
                    + "is compatible with any of cuda 13.0 to 13.1 (2 versions, pinned to 13.x); for example, cuda 13.1 "
                    + "requires gpu-driver >=590.44.01, but the stack has gpu-driver 570.86.15 "
                    + "(CUDA 13.1 needs driver >= 590.44.01)");
        }

        @Test
        void aPinNoCatalogVersionMeetsOrAnUnknownNameIsTheReason() {
            assertThat(reasons(CompatibilitySolver.newest(FLEET, List.of("cuda", "triton"),
                    Map.of("cuda", VersionRange.of(">=14")), TODAY))).containsExactly(
                    "no cuda version in the catalog is within the pin >=14; the catalog has cuda 12.2 to 13.1",
                    "the catalog has no pack named triton");
        }

        @Test
        void aRequirementOnAnUnrequestedPackIsTheReasonWhenNoVersionAvoidsIt() {
            assertThat(reasons(CompatibilitySolver.newest(FLEET, List.of("vllm"), Map.of(), TODAY))).containsExactly(
                    "every vllm version left requires a pack that was not requested (cuda, flashinfer); for example, "
                            + "vllm 0.9.0 requires cuda >=12.8, but the stack has no cuda");
        }

        @Test
        @DisplayName("a contradiction arc consistency cannot see is found by trying every combination")
        void exhaustsTheSearchAndNamesTheDeepestDeadEnd() {
            // Three names that must all differ, with two versions each: every pair can agree, the three cannot.
            Catalog triangle = catalog(
                    pack("a", "1.0").conflicts("b", "1.x").conflicts("c", "1.x"),
                    pack("a", "2.0").conflicts("b", "2.x").conflicts("c", "2.x"),
                    pack("b", "1.0").conflicts("c", "1.x"), pack("b", "2.0").conflicts("c", "2.x"),
                    pack("c", "1.0"), pack("c", "2.0"),
                    pack("d", "1.0"));
            List<String> why = reasons(CompatibilitySolver.newest(triangle, List.of("a", "d", "b", "c"), Map.of(), TODAY));
            assertThat(why).containsExactly("no combination of a, b, c is compatible, and every one was tried; the "
                    + "deepest dead end: with a 2.0 chosen, c 1.0 is not compatible with b 1.0; for example, "
                    + "b 1.0 conflicts with c 1.0, which is in its excluded range c 1.x");
        }

        @Test
        void refusesAMalformedRequestNamingTheArgument() {
            assertThatThrownBy(() -> CompatibilitySolver.newest(FLEET, List.of("cuda", "cuda"), Map.of(), TODAY))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("packNames: cuda is named twice");
            assertThatThrownBy(() -> CompatibilitySolver.newest(FLEET, List.of("cuda"),
                    Map.of("gpu-driver", VersionRange.ANY), TODAY))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("pins: gpu-driver is pinned but not among packNames [cuda]");
        }
    }

    /** The solver against enumerating every stack, on random small catalogs: the answers must be the same. */
    @Nested
    class AgainstBruteForce {
        static final List<String> NAMES = List.of("p", "q", "r", "s");
        static final List<String> RANGES = List.of(">=2.0", "<3.0", ">=1.0 <3.0", "2.x || 4.x", "*", "3.0.0", ">=3.0");

        @Test
        void newestIsTheFirstCompatibleStackInNewestFirstOrder() {
            Random rnd = new Random(42);
            int solved = 0;
            for (int round = 0; round < 500; round++) {
                Catalog c = randomCatalog(rnd);
                List<String> names = someNames(rnd);
                Map<String, VersionRange> pins = new HashMap<>();
                for (String n : names) {
                    if (rnd.nextDouble() < 0.3) pins.put(n, VersionRange.of(RANGES.get(rnd.nextInt(RANGES.size()))));
                }
                List<List<Pack>> domains = names.stream().map(n -> c.versions(n).stream()
                        .filter(p -> !pins.containsKey(n) || pins.get(n).contains(p.version())).toList()).toList();
                Stack expected = all(domains).stream().filter(CompatibilitySolverTest::compatible).findFirst().orElse(null);

                Solution got = CompatibilitySolver.newest(c, names, pins, TODAY);
                assertThat(got.found()).as("round %d: %s pins %s", round, names, pins).isEqualTo(Optional.ofNullable(expected));
                if (expected != null) solved++;
            }
            assertThat(solved).as("rounds with a solution").isBetween(100, 400);
        }

        @Test
        void smallestChangeIsTheCheapestCompatibleStack() {
            Random rnd = new Random(7);
            int solved = 0;
            for (int round = 0; round < 500; round++) {
                Catalog c = randomCatalog(rnd);
                List<String> names = someNames(rnd);
                Stack current = new Stack(names.stream().map(n -> c.versions(n).get(rnd.nextInt(c.versions(n).size())))
                        .toList());
                String packName = NAMES.get(rnd.nextInt(NAMES.size()));
                VersionRange target = VersionRange.of(RANGES.get(rnd.nextInt(RANGES.size())));
                List<String> all = new ArrayList<>(names);
                if (!all.contains(packName)) all.add(packName);
                List<List<Pack>> domains = all.stream().map(n -> c.versions(n).stream()
                        .filter(p -> !n.equals(packName) || target.contains(p.version())).toList()).toList();
                Comparator<Stack> cost = Comparator.<Stack>comparingInt(s -> changes(current, s))
                        .thenComparingInt(s -> distance(c, current, s));
                // all() lists stacks newest first, so the first of the cheapest is the newest of them
                Stack expected = all(domains).stream().filter(CompatibilitySolverTest::compatible)
                        .min(cost).orElse(null);

                Solution got = CompatibilitySolver.smallestChange(c, current, packName, target, TODAY);
                assertThat(got.found()).as("round %d: %s to %s %s", round, current, packName, target)
                        .isEqualTo(Optional.ofNullable(expected));
                if (expected != null) solved++;
            }
            assertThat(solved).as("rounds with a solution").isBetween(100, 400);
        }

        static Catalog randomCatalog(Random rnd) {
            List<Pack> packs = new ArrayList<>();
            for (String name : NAMES) {
                int versions = 2 + rnd.nextInt(3);
                for (int v = 1; v <= versions; v++) {
                    PackBuilder b = pack(name, v + ".0");
                    for (String other : NAMES) {
                        double x = rnd.nextDouble();
                        if (other.equals(name)) continue;
                        if (x < 0.25) b.requires(other, RANGES.get(rnd.nextInt(RANGES.size())));
                        else if (x < 0.35) b.conflicts(other, RANGES.get(rnd.nextInt(RANGES.size())));
                    }
                    if (rnd.nextDouble() < 0.05) b.requires("z", "*");
                    packs.add(b.build());
                }
            }
            return Catalog.of(packs);
        }

        static List<String> someNames(Random rnd) {
            List<String> names = new ArrayList<>(NAMES);
            Collections.shuffle(names, rnd);
            return names.subList(0, 2 + rnd.nextInt(3));
        }

        /** Every stack with one pack from each domain, lexicographically newest first. */
        static List<Stack> all(List<List<Pack>> domains) {
            List<Stack> out = new ArrayList<>();
            collect(domains, new ArrayList<>(), out);
            return out;
        }

        private static void collect(List<List<Pack>> domains, List<Pack> prefix, List<Stack> out) {
            if (prefix.size() == domains.size()) {
                out.add(new Stack(prefix));
                return;
            }
            for (Pack p : domains.get(prefix.size())) {
                prefix.add(p);
                collect(domains, prefix, out);
                prefix.remove(prefix.size() - 1);
            }
        }

        static int changes(Stack current, Stack s) {
            return (int) s.packs().stream().filter(p -> !current.get(p.name()).equals(Optional.of(p))).count();
        }

        static int distance(Catalog c, Stack current, Stack s) {
            int sum = 0;
            for (Pack p : s.packs()) {
                Optional<Pack> now = current.get(p.name());
                if (now.isPresent()) sum += Math.abs(c.versions(p.name()).indexOf(p) - c.versions(p.name()).indexOf(now.get()));
            }
            return sum;
        }
    }

    @Nested
    class SmallestChange {
        final Stack current = fleetStack("gpu-driver", "570.86.15", "cuda", "12.4", "kubernetes", "1.31.0",
                "gpu-operator", "v25.3.0");

        @Test
        void movesOnlyThePackWhenItsNewVersionFitsAndPrefersTheClosestVersion() {
            assertThat(found(CompatibilitySolver.smallestChange(FLEET, current, "cuda", VersionRange.of(">=12.8"), TODAY)))
                    .isEqualTo(fleetStack("gpu-driver", "570.86.15", "cuda", "12.8", "kubernetes", "1.31.0",
                            "gpu-operator", "v25.3.0"));
        }

        @Test
        void keepsAStackThatAlreadyMeetsTheTarget() {
            assertThat(found(CompatibilitySolver.smallestChange(FLEET, current, "cuda", VersionRange.of(">=12"), TODAY)))
                    .isEqualTo(current);
        }

        @Test
        void movesTheFewestOtherPacksTheRulesForce() {
            assertThat(found(CompatibilitySolver.smallestChange(FLEET, current, "cuda", VersionRange.of(">=13.0"), TODAY)))
                    .isEqualTo(fleetStack("gpu-driver", "580.82.07", "cuda", "13.0", "kubernetes", "1.31.0",
                            "gpu-operator", "v25.3.0"));
            assertThat(found(CompatibilitySolver.smallestChange(FLEET, current, "cuda", VersionRange.of(">=13.1"), TODAY)))
                    .isEqualTo(fleetStack("gpu-driver", "590.44.01", "cuda", "13.1", "kubernetes", "1.32.0",
                            "gpu-operator", "v25.10.0"));
        }

        @Test
        void addsAPackTheStackDoesNotHoldYet() {
            assertThat(found(CompatibilitySolver.smallestChange(FLEET, current, "vllm", VersionRange.ANY, TODAY)))
                    .isEqualTo(new Stack(List.of(fleet("gpu-driver", "570.86.15"), fleet("cuda", "12.4"),
                            fleet("kubernetes", "1.31.0"), fleet("gpu-operator", "v25.3.0"), fleet("vllm", "0.8.5"))));
        }

        @Test
        void breaksATieInDistanceTowardsTheNewerVersion() {
            Catalog c = catalog(pack("x", "1.0"), pack("x", "3.0"), pack("y", "1.0").conflicts("x", "2.0.0"));
            Stack custom = stack(pack("x", "2.0"), pack("y", "1.0").conflicts("x", "2.0.0"));
            assertThat(found(CompatibilitySolver.smallestChange(c, custom, "x", VersionRange.ANY, TODAY)).get("x"))
                    .map(Pack::id).contains("x 3.0");
        }

        @Test
        void saysWhyWhenNoStackCanReachTheTarget() {
            assertThat(reasons(CompatibilitySolver.smallestChange(FLEET, current, "gpu-driver", VersionRange.of(">=600"),
                    TODAY))).containsExactly("none of gpu-operator v24.9.2 to v25.10.0 (3 versions) is compatible with "
                    + "gpu-driver 610.43.02 (target >=600); for example, gpu-operator v25.10.0 requires gpu-driver "
                    + ">=570 <600, but the stack has gpu-driver 610.43.02 (GPU Operator 25.10 supported drivers)");
            assertThat(reasons(CompatibilitySolver.smallestChange(FLEET, current, "cuda", VersionRange.of(">=14"),
                    TODAY))).containsExactly(
                    "no cuda version in the catalog is within the target >=14; the catalog has cuda 12.2 to 13.1");
        }

        @Test
        void refusesACurrentStackHoldingANameTwice() {
            Stack twice = fleetStack("cuda", "12.4", "cuda", "12.8");
            assertThatThrownBy(() -> CompatibilitySolver.smallestChange(FLEET, twice, "cuda", VersionRange.ANY, TODAY))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("current: the stack holds");
        }
    }
}
