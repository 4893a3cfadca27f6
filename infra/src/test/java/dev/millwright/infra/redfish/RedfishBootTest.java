package dev.millwright.infra.redfish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.infra.BootSource;
import dev.millwright.infra.PowerAction;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The one-time boot override, PATCHed with If-Match, on each mockup. */
class RedfishBootTest {
    static List<String> mockups() {
        return TestBmc.MOCKUPS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mockups")
    void setsAOneTimePxeBootWithTheEtagJustReadAndTheNextBootUsesItUp(String tree) {
        try (TestBmc bmc = TestBmc.serving(tree).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            String system = client.system();
            client.bootOnce(BootSource.PXE, null);

            assertThat(client.boot()).isEqualTo(new BootOverride.Settings("Pxe", "Once", client.boot().mode(), client.boot().httpBootUri()));
            List<TestBmc.Request> patches = bmc.requests().stream().filter(r -> r.method().equals("PATCH")).toList();
            assertThat(patches).singleElement().satisfies(p -> {
                assertThat(p.ifMatch()).as("If-Match sent").isNotNull().startsWith("\"");
                assertThat(p.status()).isEqualTo(204);
            });

            client.reset(PowerAction.FORCE_OFF);
            client.reset(PowerAction.ON);
            assertThat(bmc.boots()).containsExactly(system + ":Pxe");
            assertThat(client.boot().enabled()).isEqualTo("Disabled");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mockups")
    void aStaleEtagIsReadAgainAndThePatchRepeatedOnce(String tree) {
        try (TestBmc bmc = TestBmc.serving(tree).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            bmc.faults().staleEtag(1, "/Systems/");
            client.bootOnce(BootSource.PXE, null);

            List<TestBmc.Request> patches = bmc.requests().stream().filter(r -> r.method().equals("PATCH")).toList();
            assertThat(patches).extracting(TestBmc.Request::status).containsExactly(412, 204);
            assertThat(patches.get(1).ifMatch()).as("the second PATCH carries the new ETag").isNotEqualTo(patches.get(0).ifMatch());
            assertThat(client.boot().target()).isEqualTo("Pxe");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mockups")
    void twoStaleEtagsInARowAreAConflictAndNothingIsChanged(String tree) {
        try (TestBmc bmc = TestBmc.serving(tree).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            String before = String.valueOf(client.boot().target());
            bmc.faults().staleEtag(2, "/Systems/");
            assertThatThrownBy(() -> client.bootOnce(BootSource.PXE, null)).isInstanceOfSatisfying(RedfishException.class, e -> {
                assertThat(e.failure()).isEqualTo(RedfishException.Failure.CONFLICT);
                assertThat(e.getMessage()).contains("changed between our read and our write twice in a row (412 on If-Match)");
            });
            assertThat(bmc.requests()).filteredOn(r -> r.method().equals("PATCH")).hasSize(2);
            assertThat(String.valueOf(client.boot().target())).isEqualTo(before);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mockups")
    void uefiHttpBootIsRefusedWhereTheAllowableTargetsLackItWithTheListNamed(String tree) {
        try (TestBmc bmc = TestBmc.serving(tree).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            String image = "http://10.0.0.1/images/ubuntu-24.04-autoinstall.efi";
            if (tree.equals(TestBmc.CRAY_A100)) { // the EX235n's Boot lists no allowable targets: the BMC decides, and takes it
                client.bootOnce(BootSource.UEFI_HTTP, image);
                assertThat(client.boot()).extracting(BootOverride.Settings::target, BootOverride.Settings::httpBootUri)
                        .containsExactly("UefiHttp", image);
            } else {
                assertThatThrownBy(() -> client.bootOnce(BootSource.UEFI_HTTP, image)).isInstanceOfSatisfying(RedfishException.class, e -> {
                    assertThat(e.failure()).isEqualTo(RedfishException.Failure.NOT_ALLOWED);
                    assertThat(e.getMessage()).endsWith("allows boot override targets None, Pxe, Cd, Usb, Hdd, BiosSetup, Utilities, Diags,"
                            + " SDCard, UefiTarget, not UefiHttp");
                });
                assertThat(bmc.requests()).noneMatch(r -> r.method().equals("PATCH"));
            }
        }
    }

    @Test
    void aPatchTheBmcAcceptsButDoesNotApplyIsAnError() {
        try (TestBmc bmc = TestBmc.serving(TestBmc.TOWER).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            bmc.faults().failNext(1, 204, "PATCH", "/Systems/"); // answers 204 and changes nothing
            assertThatThrownBy(() -> client.bootOnce(BootSource.PXE, null)).isInstanceOfSatisfying(RedfishException.class,
                    e -> assertThat(e.getMessage()).contains("accepted the boot override Pxe but reads back target Hdd, enabled Disabled"));
        }
    }
}
