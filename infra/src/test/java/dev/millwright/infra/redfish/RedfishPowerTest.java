package dev.millwright.infra.redfish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.infra.PowerAction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Power through ComputerSystem.Reset, on each mockup. The DMTF trees annotate the action with
 * {@code ResetType@Redfish.AllowableValues} (On, ForceOff, GracefulShutdown, GracefulRestart, ForceRestart, Nmi,
 * ForceOn, PushPowerButton); the EX235n points to a ResetActionInfo that allows ForceOff, On and Off only.
 */
class RedfishPowerTest {
    /** The ResetType each action sends on each tree; null where the BMC allows none that does it. */
    static final Map<String, Map<PowerAction, String>> SENT = Map.of(
            TestBmc.RACKMOUNT, Map.of(PowerAction.OFF, "GracefulShutdown", PowerAction.ON, "On", PowerAction.FORCE_OFF, "ForceOff"),
            TestBmc.TOWER, Map.of(PowerAction.OFF, "GracefulShutdown", PowerAction.ON, "On", PowerAction.FORCE_OFF, "ForceOff"),
            TestBmc.CRAY_A100, Map.of(PowerAction.OFF, "Off", PowerAction.ON, "On", PowerAction.FORCE_OFF, "ForceOff"));
    static final Map<String, String> SYSTEM = Map.of(TestBmc.RACKMOUNT, "/redfish/v1/Systems/437XR1138R2",
            TestBmc.TOWER, "/redfish/v1/Systems/437XR1238R2", TestBmc.CRAY_A100, "/redfish/v1/Systems/Node0");

    static List<String> mockups() {
        return TestBmc.MOCKUPS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mockups")
    void powersOffAndOnWithTheResetTypesTheBmcAllows(String tree) {
        try (TestBmc bmc = TestBmc.serving(tree).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            assertThat(client.reset(PowerAction.OFF)).contains(SENT.get(tree).get(PowerAction.OFF));
            assertThat(bmc.resource(SYSTEM.get(tree)).path("PowerState").asText()).isEqualTo("Off");
            assertThat(client.reset(PowerAction.FORCE_OFF)).as("already off: nothing sent").isEmpty();

            assertThat(client.reset(PowerAction.ON)).contains(SENT.get(tree).get(PowerAction.ON));
            assertThat(bmc.resource(SYSTEM.get(tree)).path("PowerState").asText()).isEqualTo("On");
            assertThat(client.reset(PowerAction.ON)).isEmpty();

            assertThat(client.reset(PowerAction.FORCE_OFF)).contains(SENT.get(tree).get(PowerAction.FORCE_OFF));
            assertThat(client.health().power()).isEqualTo(dev.millwright.infra.Health.PowerState.OFF);
            assertThat(bmc.requests()).filteredOn(r -> r.method().equals("POST") && r.path().endsWith("ComputerSystem.Reset"))
                    .hasSize(3).allSatisfy(r -> assertThat(r.status()).isEqualTo(204));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mockups")
    void aRestartIsSentOnlyWhereTheBmcAllowsOneAndRefusedWithTheAllowedListElsewhere(String tree) {
        try (TestBmc bmc = TestBmc.serving(tree).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            if (tree.equals(TestBmc.CRAY_A100)) {
                assertThatThrownBy(() -> client.reset(PowerAction.RESTART)).isInstanceOfSatisfying(RedfishException.class, e -> {
                    assertThat(e.failure()).isEqualTo(RedfishException.Failure.NOT_ALLOWED);
                    assertThat(e.getMessage()).isEqualTo("ComputerSystem.Reset of system Node0 allows ForceOff, On, Off; none of them"
                            + " does a restart (tried GracefulRestart, ForceRestart, PowerCycle)");
                });
                assertThat(bmc.requests()).noneMatch(r -> r.path().endsWith("ComputerSystem.Reset"));
            } else {
                assertThat(client.reset(PowerAction.RESTART)).contains("GracefulRestart");
            }
        }
    }

    @Test
    void aRestartOfAMachineThatIsOffPowersItOn() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.CRAY_A100).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            client.reset(PowerAction.FORCE_OFF);
            assertThat(client.reset(PowerAction.RESTART)).contains("On");
        }
    }

    @Test
    void aResetTheBmcRefusesComesBackWithItsMessageAndIsNotRepeated() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            bmc.faults().failNext(1, 400, "POST", "ComputerSystem.Reset");
            assertThatThrownBy(() -> client.reset(PowerAction.OFF)).isInstanceOfSatisfying(RedfishException.class, e -> {
                assertThat(e.failure()).isEqualTo(RedfishException.Failure.NOT_ALLOWED);
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.getMessage()).startsWith("system 437XR1238R2 refused ResetType GracefulShutdown: HTTP 400: injected fault");
            });
            assertThat(bmc.requests()).filteredOn(r -> r.method().equals("POST") && r.path().endsWith("Reset")).hasSize(1);
        }
    }
}
