package dev.millwright.infra.redfish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Virtual media insert and eject on each mockup: rackmount1 has its CD drive under the system, the tower under its
 * manager (found through {@code Links.ManagedBy}), both holding another image already; the EX235n has none.
 */
class RedfishVirtualMediaTest {
    static final Map<String, String> DRIVE = Map.of(TestBmc.RACKMOUNT, "/redfish/v1/Systems/437XR1138R2/VirtualMedia/CD1",
            TestBmc.TOWER, "/redfish/v1/Managers/BMC/VirtualMedia/CD1");
    static final String IMAGE = "http://10.0.0.1/images/ubuntu-24.04-live-server-amd64.iso";

    static List<String> mockups() {
        return TestBmc.MOCKUPS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mockups")
    void insertsAnImageOverTheOneThereByPatchWithIfMatchAndEjectsIt(String tree) {
        try (TestBmc bmc = TestBmc.serving(tree).start(); RedfishBmc client = Bmcs.connect(bmc)) {
            if (tree.equals(TestBmc.CRAY_A100)) {
                assertNoVirtualMedia(client);
                return;
            }
            assertThat(bmc.resource(DRIVE.get(tree)).path("Inserted").asBoolean()).as("the mockup's drive is occupied").isTrue();
            assertThat(client.insertMedia(IMAGE)).isEqualTo(DRIVE.get(tree));
            assertThat(bmc.resource(DRIVE.get(tree)).path("Image").asText()).isEqualTo(IMAGE);
            assertThat(bmc.resource(DRIVE.get(tree)).path("Inserted").asBoolean()).isTrue();
            List<TestBmc.Request> patches = bmc.requests().stream().filter(r -> r.method().equals("PATCH")).toList();
            assertThat(patches).as("eject the old image, then insert").hasSize(2)
                    .allSatisfy(p -> assertThat(p.ifMatch()).isNotNull()).extracting(TestBmc.Request::status).containsOnly(204);

            assertThat(client.insertMedia(IMAGE)).as("the same image again: nothing to do").isEqualTo(DRIVE.get(tree));
            assertThat(bmc.requests()).filteredOn(r -> r.method().equals("PATCH")).hasSize(2);

            client.ejectMedia();
            assertThat(bmc.resource(DRIVE.get(tree)).path("Inserted").asBoolean()).isFalse();
            assertThat(client.media().image()).isNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mockups")
    void usesTheInsertAndEjectActionsWhereTheDriveOffersThem(String tree) {
        try (TestBmc bmc = TestBmc.serving(tree).virtualMediaActions().start(); RedfishBmc client = Bmcs.connect(bmc)) {
            if (tree.equals(TestBmc.CRAY_A100)) {
                assertNoVirtualMedia(client);
                return;
            }
            client.insertMedia(IMAGE);
            client.ejectMedia();
            assertThat(bmc.requests()).filteredOn(r -> r.path().contains("/Actions/VirtualMedia."))
                    .extracting(r -> r.path().substring(r.path().lastIndexOf('.') + 1), TestBmc.Request::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("EjectMedia", 204), org.assertj.core.groups.Tuple.tuple("InsertMedia", 204),
                            org.assertj.core.groups.Tuple.tuple("EjectMedia", 204));
            assertThat(bmc.requests()).noneMatch(r -> r.method().equals("PATCH"));
        }
    }

    private static void assertNoVirtualMedia(RedfishBmc client) {
        assertThatThrownBy(() -> client.insertMedia(IMAGE)).isInstanceOfSatisfying(RedfishException.class, e -> {
            assertThat(e.failure()).isEqualTo(RedfishException.Failure.NOT_SUPPORTED);
            assertThat(e.getMessage()).isEqualTo("system Node0 has no VirtualMedia, and neither have the managers it links"
                    + " (Links.ManagedBy): boot it from PXE or UEFI HTTP instead");
        });
    }
}
