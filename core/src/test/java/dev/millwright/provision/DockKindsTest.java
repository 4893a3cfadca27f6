package dev.millwright.provision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import dev.millwright.resource.ObjectMeta;
import dev.millwright.resource.Resource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockKindsTest {
    private static Resource batch(String json) {
        return new Resource(DockKinds.DOCK_BATCH, ObjectMeta.named("b", ""), (ObjectNode) Json.tree(json), Json.object());
    }

    @Test
    void duplicateBmcAddressesAndNamesAreRefusedNamingBothRows() {
        Map<String, List<String>> errors = DockKinds.rules(batch("""
                {"site":"muc","pool":"p","machines":[{"name":"a","bmc":"https://10.0.1.5"},{"name":"b","bmc":"https://10.0.1.6"},
                 {"name":"c","bmc":"HTTPS://10.0.1.5:443/"},{"name":"a","bmc":"https://10.0.1.7"}]}"""));
        assertThat(errors).containsEntry("spec.machines[2].bmc", List.of("duplicates spec.machines[0].bmc (10.0.1.5): one BMC is one machine"))
                .containsEntry("spec.machines[3].name", List.of("duplicates spec.machines[0].name (a)")).hasSize(2);
    }

    @Test
    void settingsThatCannotWorkNameTheirField() {
        Map<String, List<String>> errors = DockKinds.rules(batch("""
                {"site":"muc","pool":"p","limits":{"perRackPower":0},"gates":[{"check":"dcgm","level":4}],"machines":[{"name":"a","bmc":"twin://hgx-h100/a"}]}"""));
        assertThat(errors).containsOnlyKeys("spec.limits.perRackPower", "spec.gates[0].level");
    }

    @Test
    void aBmcNetworkIsTheRowsOwnElseTheSlash24OfItsAddress() {
        assertThat(DockKinds.network(Json.tree("{\"bmc\":\"https://10.0.1.5\"}"))).isEqualTo("10.0.1.0/24");
        assertThat(DockKinds.network(Json.tree("{\"bmc\":\"https://10.0.1.5\",\"bmcNetwork\":\"oob-a\"}"))).isEqualTo("oob-a");
        assertThat(DockKinds.network(Json.tree("{\"bmc\":\"twin://hgx-h100/n1?unit=su2\"}"))).isEqualTo("su2");
    }
}
