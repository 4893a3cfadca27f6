package dev.millwright.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.catalog.Version;
import dev.millwright.catalog.BuiltInCatalog;
import dev.millwright.resource.Json;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpgradePlannerTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 27);

    /** A StackTemplate spec of the llm template: ubuntu, driver, CUDA, Kubernetes, vLLM. */
    private static JsonNode llm(String version, String driver, String cuda, String kubernetes, String vllm) {
        return Json.tree("""
                {"template":"llm","version":"%s","layers":[
                  {"pack":"ubuntu","version":"24.04"},{"pack":"gpu-driver","version":"%s"},{"pack":"cuda","version":"%s"},
                  {"pack":"kubernetes","version":"%s"},{"pack":"vllm","version":"%s"}]}""".formatted(version, driver, cuda, kubernetes, vllm));
    }

    private static final JsonNode RUNNING = llm("1.0.0", "570.86.15", "12.8.0", "1.31", "0.9.2");

    private static UpgradePlanner.Result plan(JsonNode to) {
        return UpgradePlanner.plan(BuiltInCatalog.load(), RUNNING, to, TODAY);
    }

    @Test
    void onlyThePacksThatChangeArePlannedAndUnchangedLayersAreNotTouched() {
        var result = plan(llm("1.1.0", "580.95.05", "12.8.0", "1.31", "0.9.2"));
        assertThat(result.refusals()).isEmpty();
        UpgradePlan plan = result.plan();
        assertThat(plan.changes()).extracting(PackChange::pack).containsExactly("gpu-driver");
        assertThat(plan.steps()).extracting(s -> s.change().pack()).containsExactly("gpu-driver");
        assertThat(plan.describe()).doesNotContain("cuda").doesNotContain("vllm").doesNotContain("ubuntu");
    }

    @Test
    void aDriverChangeCordonsWaitsDrainsUpgradesValidatesAndUncordonsEachNode() {
        UpgradeStep step = plan(llm("1.1.0", "580.95.05", "12.8.0", "1.31", "0.9.2")).plan().steps().get(0);
        assertThat(step.nodes()).isEqualTo(UpgradeStep.Nodes.WORKERS);
        assertThat(step.procedure().states()).containsExactly(NodeState.CORDON, NodeState.WAIT_FOR_JOBS, NodeState.DRAIN,
                NodeState.UPGRADE, NodeState.VALIDATE, NodeState.UNCORDON);
        assertThat(step.procedure()).hasToString(
                "cordon -> wait-for-jobs (or checkpoint) -> drain -> upgrade -> validate (GPU health check) -> uncordon");
    }

    @Test
    void aServingFrameworkChangeIsUpgradedInPlaceWithoutADrain() {
        var plan = UpgradePlanner.plan(BuiltInCatalog.load(), llm("1.0.0", "570.86.15", "12.8.0", "1.31", "0.8.5"),
                llm("1.1.0", "570.86.15", "12.8.0", "1.31", "0.9.2"), TODAY).plan();
        assertThat(plan.steps()).hasSize(1);
        assertThat(plan.steps().get(0).procedure().states()).containsExactly(NodeState.UPGRADE, NodeState.VALIDATE);
        assertThat(plan.steps().get(0).procedure().drains()).isFalse();
    }

    @Test
    void packsAreChangedBottomLayerFirstDriverBeforeCudaBeforeFrameworks() {
        var plan = UpgradePlanner.plan(BuiltInCatalog.load(), llm("1.0.0", "570.86.15", "12.4.1", "1.31", "0.8.5"),
                llm("1.1.0", "580.95.05", "12.8.0", "1.31", "0.9.2"), TODAY).plan();
        assertThat(plan.steps()).extracting(s -> s.change().pack()).containsExactly("gpu-driver", "cuda", "vllm");
    }

    @Test
    void kubernetes131To134IsThreeMinorsEachControlPlaneBeforeWorkers() {
        var result = plan(llm("1.1.0", "570.86.15", "12.8.0", "1.34", "0.9.2"));
        assertThat(result.refusals()).isEmpty();
        List<UpgradeStep> steps = result.plan().steps();
        assertThat(steps).extracting(s -> s.change().to().minor()).containsExactly(32, 32, 33, 33, 34, 34);
        assertThat(steps).extracting(UpgradeStep::nodes).containsExactly(
                UpgradeStep.Nodes.CONTROL_PLANE, UpgradeStep.Nodes.WORKERS, UpgradeStep.Nodes.CONTROL_PLANE,
                UpgradeStep.Nodes.WORKERS, UpgradeStep.Nodes.CONTROL_PLANE, UpgradeStep.Nodes.WORKERS);
        // each hop starts where the one before ended, so no step skips a minor
        for (int i = 2; i < steps.size(); i += 2) assertThat(steps.get(i).change().from()).isEqualTo(steps.get(i - 1).change().to());
        assertThat(result.plan().changes()).hasSize(1);
        // what a rollout installs on the way: the two intermediate minors, not the target
        assertThat(result.plan().intermediateVersions()).containsOnlyKeys("kubernetes");
        assertThat(result.plan().intermediateVersions().get("kubernetes")).extracting(v -> Version.of(v).minor()).containsExactly(32, 33);
    }

    @Test
    void aDowngradeIsRefusedNamingThePackAndBothVersions() {
        var result = UpgradePlanner.plan(BuiltInCatalog.load(), llm("1.0.0", "580.95.05", "12.8.0", "1.31", "0.9.2"),
                llm("1.1.0", "570.86.15", "12.8.0", "1.31", "0.9.2"), TODAY);
        assertThat(result.refused()).isTrue();
        assertThat(result.refusals()).containsOnlyKeys("to.spec.layers[1].version");
        assertThat(result.refusals().get("to.spec.layers[1].version").get(0))
                .contains("gpu-driver").contains("570.86.15").contains("580.95.05");
    }

    @Test
    void anOlderTemplateVersionIsRefused() {
        var result = UpgradePlanner.plan(BuiltInCatalog.load(), RUNNING, llm("0.9.0", "580.95.05", "12.8.0", "1.31", "0.9.2"), TODAY);
        assertThat(result.refusals()).containsOnlyKeys("to.spec.version");
        assertThat(result.refusals().get("to.spec.version").get(0)).contains("llm 0.9.0").contains("llm 1.0.0");
    }

    @Test
    void aTargetTheCompatibilityRulesRejectIsRefusedWithTheirReason() {
        // CUDA 12.8 needs a 570 driver or newer; 550 cannot run it
        var result = UpgradePlanner.plan(BuiltInCatalog.load(), llm("1.0.0", "550.163.01", "12.4.1", "1.31", "0.8.5"),
                llm("1.1.0", "550.163.01", "12.8.0", "1.31", "0.9.2"), TODAY);
        assertThat(result.refused()).isTrue();
        assertThat(result.refusals()).containsKey("to.spec.layers[2]");
        assertThat(String.join(" ", result.refusals().get("to.spec.layers[2]"))).contains("gpu-driver");
    }

    @Test
    void theSameVersionIsRefusedAsNothingToDo() {
        var result = plan(RUNNING);
        assertThat(result.refusals()).containsOnlyKeys("to.spec.version");
        assertThat(result.refusals().get("to.spec.version").get(0)).contains("nothing to do");
    }

    @Test
    void aNewVersionWithTheSamePacksIsRefusedAsNothingToDo() {
        var result = plan(llm("1.0.1", "570.86.15", "12.8.0", "1.31", "0.9.2"));
        assertThat(result.refusals()).containsOnlyKeys("to.spec.layers");
    }

    @Test
    void aRemovedPackIsRemovedAfterTheInstallsAndAnAddedOneInstalled() {
        var to = Json.tree("""
                {"template":"llm","version":"2.0.0","layers":[
                  {"pack":"ubuntu","version":"24.04"},{"pack":"gpu-driver","version":"580.95.05"},{"pack":"cuda","version":"12.8.0"},
                  {"pack":"kubernetes","version":"1.31"}]}""");
        var plan = plan(to).plan();
        assertThat(plan.steps()).extracting(s -> s.change().toString()).containsExactly("gpu-driver 570.86.15 -> 580.95.05", "remove vllm 0.9.2");
    }

    @Test
    void theWholePlanTakesCeilOfNodesOverParallelTimesThePerNodeTime() {
        UpgradePlan plan = plan(llm("1.1.0", "580.95.05", "12.8.0", "1.31", "0.9.2")).plan();
        // cordon 1 + wait for jobs 15 + drain 5 + driver install 8 + GPU check 2 + uncordon 1
        assertThat(plan.perNode()).isEqualTo(Duration.ofMinutes(32));
        assertThat(plan.duration(10, 3)).isEqualTo(Duration.ofMinutes(4 * 32));
        assertThat(plan.duration(9, 3)).isEqualTo(Duration.ofMinutes(3 * 32));
        assertThat(plan.duration(1, 8)).isEqualTo(Duration.ofMinutes(32));
        assertThat(plan.describe(10, 3)).contains("4 waves x 32m per node = 2h 8m");
    }

    @Test
    void controlPlaneStepsAreAddedOnceBeforeTheWorkerWaves() {
        UpgradePlan plan = plan(llm("1.1.0", "570.86.15", "12.8.0", "1.34", "0.9.2")).plan();
        // per minor: control plane cordon 1 + drain 5 + install 4 + validate 1 + uncordon 1 = 12; workers add the 15-minute wait
        assertThat(plan.controlPlane()).isEqualTo(Duration.ofMinutes(3 * 12));
        assertThat(plan.perNode()).isEqualTo(Duration.ofMinutes(3 * 27));
        assertThat(plan.duration(4, 2)).isEqualTo(Duration.ofMinutes(36 + 2 * 81));
    }
}
