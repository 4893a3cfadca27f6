package dev.millwright.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.millwright.kinds.Kinds;
import dev.millwright.resource.InvalidResourceException;
import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.KindDefinition.Visibility;
import dev.millwright.resource.Reference;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceCodec;
import dev.millwright.resource.ResourceCodec.Format;
import dev.millwright.resource.Validation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fleet kinds' validation (schema and rules) and the references they declare, as users write them in YAML. */
class FleetKindsTest {
    private static final String SITE = """
            kind: Site
            metadata: {name: munich}
            spec:
              displayName: Munich AI factory
              kind: datacenter
              region: de-by-munich
              jurisdiction: %s
              provider: {name: twin, settings: {fabric: infiniband-ndr, racks: 4, shared: false}}
            """;

    private static final String MACHINE = """
            kind: Machine
            metadata: {name: muc-r01-n01, labels: {rack: r01}}
            spec:
              site: munich
              rack: r01
              failureDomain: pdu-a
              maintenance: false
              bmc: {endpoint: "%s", credentialsRef: bmc-munich, insecure: false}
              inventory:
                cpu: {model: Intel Xeon Platinum 8480+, sockets: 2, cores: 112}
                memoryGiB: 2048
                gpuCount: %d
                gpus: %s
                nics:
                  - {name: ib0, kind: infiniband, speedGbps: 400, rail: 0, leaf: leaf-01}
                  - {name: eth0, kind: ethernet, speedGbps: 100}
                firmware:
                  - {component: BMC, version: 24.09.12}
                  - {component: BIOS, version: 2.4.1}
            """;

    private static String gpus(int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            if (i > 0) b.append(", ");
            b.append("{model: NVIDIA H100 80GB HBM3, memoryGiB: 80, mig: true, confidentialComputing: true, nvlinkDomain: nvl-0}");
        }
        return b.append("]").toString();
    }

    private static String machine(String endpoint, int gpuCount, int listed) {
        return MACHINE.formatted(endpoint, gpuCount, gpus(listed));
    }

    private static Resource parse(String yaml) {
        return ResourceCodec.parse(yaml.getBytes(StandardCharsets.UTF_8), Format.YAML);
    }

    private static KindDefinition kind(String name) {
        return Kinds.registry().require(name);
    }

    private static void validate(String yaml) {
        Resource r = parse(yaml);
        Validation.validate(kind(r.kind()), r);
    }

    private static Map<String, List<String>> errorsOf(String yaml) {
        InvalidResourceException e = catchThrowableOfType(InvalidResourceException.class, () -> validate(yaml));
        assertThat(e).as("validating %s", yaml).isNotNull();
        assertThat(e.status()).isEqualTo(422);
        return e.details();
    }

    // ---- valid objects

    @Test
    void acceptsAValidSiteOfEveryKind() {
        assertThatCode(() -> validate(SITE.formatted("DE"))).doesNotThrowAnyException();
        for (String k : List.of("datacenter", "cloud", "edge")) {
            assertThatCode(() -> validate("""
                    kind: Site
                    metadata: {name: s}
                    spec: {kind: %s, region: r, jurisdiction: FR}
                    """.formatted(k))).as(k).doesNotThrowAnyException();
        }
    }

    @Test
    void acceptsAValidMachineWithAFullInventory() {
        assertThatCode(() -> validate(machine("twin://hgx-h100/muc-r01-n01", 8, 8))).doesNotThrowAnyException();
        assertThatCode(() -> validate(machine("https://10.0.0.1", 8, 8))).doesNotThrowAnyException();
        assertThatCode(() -> validate(machine("http://bmc.lab:8443/redfish/v1", 8, 8))).doesNotThrowAnyException();
    }

    @Test
    void acceptsAMachineThatDeclaresOnlyACountOrOnlyTheList() {
        assertThatCode(() -> validate("""
                kind: Machine
                metadata: {name: m}
                spec: {site: munich, bmc: {endpoint: "twin://hgx-h100"}, inventory: {gpuCount: 8}}
                """)).doesNotThrowAnyException();
        assertThatCode(() -> validate("""
                kind: Machine
                metadata: {name: m}
                spec: {site: munich, bmc: {endpoint: "twin://l40s-4x"}, inventory: {gpus: [{model: L40S}, {model: L40S}]}}
                """)).doesNotThrowAnyException();
        assertThatCode(() -> validate("""
                kind: Machine
                metadata: {name: m}
                spec: {site: munich, bmc: {endpoint: "twin://cpu"}, inventory: {gpuCount: 0, gpus: []}}
                """)).doesNotThrowAnyException();
    }

    @Test
    void acceptsAValidClusterAndNodePool() {
        assertThatCode(() -> validate("""
                kind: Cluster
                metadata: {name: muc-training}
                spec:
                  displayName: Shared training
                  site: munich
                  template: {name: ai-stack, version: 1.4.0-rc.1}
                  tenant: automaker
                  environment: prod
                """)).doesNotThrowAnyException();
        assertThatCode(() -> validate("""
                kind: NodePool
                metadata: {name: muc-training-h100}
                spec:
                  cluster: muc-training
                  role: worker
                  tenant: automaker
                  machines: [muc-r01-n01, muc-r01-n02]
                  labels: {nvidia.com/gpu.product: H100}
                """)).doesNotThrowAnyException();
    }

    // ---- bad input, each naming its field

    @ParameterizedTest
    @ValueSource(strings = {"XX", "de", "DEU", "UK", "EU", "D1", "\"\""})
    void refusesAJurisdictionThatIsNotAnIsoCountryCode(String jurisdiction) {
        Map<String, List<String>> errors = errorsOf(SITE.formatted(jurisdiction));
        assertThat(errors).containsOnlyKeys("spec.jurisdiction");
    }

    @Test
    void namesTheValueOfAWellFormedButUnknownCountry() {
        assertThat(errorsOf(SITE.formatted("XX")).get("spec.jurisdiction"))
                .containsExactly("\"XX\" is not an ISO 3166-1 alpha-2 country code");
    }

    @Test
    void aMissingJurisdictionIsReportedOnceAsMissing() {
        Map<String, List<String>> errors = errorsOf("""
                kind: Site
                metadata: {name: s}
                spec: {kind: edge, region: r}
                """);
        assertThat(errors).isEqualTo(Map.of("spec.jurisdiction", List.of("required field is missing")));
    }

    @Test
    void refusesASiteKindOutsideTheEnumeration() {
        Map<String, List<String>> errors = errorsOf("""
                kind: Site
                metadata: {name: s}
                spec: {kind: colo, region: r, jurisdiction: DE}
                """);
        assertThat(errors).containsOnlyKeys("spec.kind");
    }

    @Test
    void refusesAGpuCountThatContradictsTheListedGpus() {
        Map<String, List<String>> errors = errorsOf(machine("twin://hgx-h100", 8, 7));
        assertThat(errors).containsOnlyKeys("spec.inventory.gpuCount");
        assertThat(errors.get("spec.inventory.gpuCount")).singleElement().asString().contains("8").contains("7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://x", "x", "twin://", "https://", "https://bmc host", "redfish://10.0.0.1", "HTTPS//10.0.0.1"})
    void refusesABmcEndpointThatIsNeitherRedfishNorTheTwin(String endpoint) {
        assertThat(errorsOf(machine(endpoint, 8, 8))).containsOnlyKeys("spec.bmc.endpoint");
    }

    @Test
    void refusesAMachineWithoutSiteOrBmc() {
        assertThat(errorsOf("""
                kind: Machine
                metadata: {name: m}
                spec: {rack: r01}
                """)).isEqualTo(Map.of("spec.site", List.of("required field is missing"),
                "spec.bmc", List.of("required field is missing")));
    }

    @Test
    void namesUnknownFieldsAtEveryDepth() {
        Map<String, List<String>> errors = errorsOf("""
                kind: Machine
                metadata: {name: m}
                spec:
                  site: munich
                  bmc: {endpoint: "twin://hgx-h100", password: hunter2}
                  inventory:
                    cpu: {model: x, threads: 224}
                    gpus: [{model: H100}, {model: H100, vendor: nvidia}]
                    nics: [{kind: ethernet, mtu: 9000}]
                    firmware: [{component: BMC, version: "1", date: today}]
                  owner: bob
                """);
        assertThat(errors).containsOnlyKeys("spec.bmc.password", "spec.inventory.cpu.threads", "spec.inventory.gpus[1].vendor",
                "spec.inventory.nics[0].mtu", "spec.inventory.firmware[0].date", "spec.owner");
        assertThat(errors.values()).allSatisfy(reasons -> assertThat(reasons).containsExactly("unknown field"));

        assertThat(errorsOf("""
                kind: Site
                metadata: {name: s}
                spec: {kind: cloud, region: r, jurisdiction: DE, provider: {name: aws, zone: a, settings: {nested: {x: 1}}}}
                """)).containsOnlyKeys("spec.provider.zone", "spec.provider.settings.nested");
        assertThat(errorsOf("""
                kind: Cluster
                metadata: {name: c}
                spec: {site: munich, template: {name: t, version: 1.0.0, channel: stable}}
                """)).containsOnlyKeys("spec.template.channel");
    }

    @Test
    void refusesANodePoolThatListsAMachineTwice() {
        Map<String, List<String>> errors = errorsOf("""
                kind: NodePool
                metadata: {name: p}
                spec: {cluster: c, machines: [m1, m2, m1]}
                """);
        assertThat(errors).containsOnlyKeys("spec.machines");
    }

    @Test
    void checksTheShapesOfClusterAndNodePoolFields() {
        assertThat(errorsOf("""
                kind: Cluster
                metadata: {name: c}
                spec: {site: Munich, template: {name: t, version: v1}, tenant: Acme_Corp}
                """)).containsOnlyKeys("spec.site", "spec.template.version", "spec.tenant");
        assertThat(errorsOf("""
                kind: NodePool
                metadata: {name: p}
                spec: {cluster: c, machines: [ok, Not_A_Name], role: leader}
                """)).containsOnlyKeys("spec.machines[1]", "spec.role");
        assertThat(errorsOf("""
                kind: NodePool
                metadata: {name: p}
                spec: {role: worker}
                """)).containsOnlyKeys("spec.cluster", "spec.machines");
    }

    @Test
    void fleetKindsArePlatformScoped() {
        Map<String, List<String>> errors = errorsOf("""
                kind: Machine
                metadata: {name: m, tenant: acme}
                spec: {site: munich, bmc: {endpoint: "twin://hgx-h100"}}
                """);
        assertThat(errors).containsOnlyKeys("metadata.tenant");
    }

    // ---- references and visibility

    @Test
    void declaresTheObjectsEachKindNames() {
        Resource machine = parse(machine("twin://hgx-h100", 8, 8));
        assertThat(kind("Machine").references().apply(machine))
                .containsExactly(new Reference("spec.site", "Site", "", "munich"));

        Resource shared = parse("""
                kind: Cluster
                metadata: {name: c}
                spec: {site: munich}
                """);
        assertThat(kind("Cluster").references().apply(shared)).containsExactly(new Reference("spec.site", "Site", "", "munich"));
        Resource dedicated = parse("""
                kind: Cluster
                metadata: {name: c}
                spec: {site: munich, tenant: automaker}
                """);
        assertThat(kind("Cluster").references().apply(dedicated)).containsExactly(
                new Reference("spec.site", "Site", "", "munich"), new Reference("spec.tenant", "Tenant", "", "automaker"));

        Resource pool = parse("""
                kind: NodePool
                metadata: {name: p}
                spec: {cluster: c, machines: [m1, m2]}
                """);
        assertThat(kind("NodePool").references().apply(pool)).containsExactly(
                new Reference("spec.cluster", "Cluster", "", "c"),
                new Reference("spec.machines[0]", "Machine", "", "m1"),
                new Reference("spec.machines[1]", "Machine", "", "m2"));
        assertThat(new Reference("spec.site", "Site", "", "munich").key().describe()).contains("munich");

        assertThat(kind("Site").references().apply(parse(SITE.formatted("DE")))).isEmpty();
    }

    @Test
    void sitesAreVisibleToEveryoneAndTheRestToPlatformAdmins() {
        assertThat(kind("Site").visibility()).isEqualTo(Visibility.ALL_AUTHENTICATED);
        for (String k : List.of("Machine", "Cluster", "NodePool")) {
            assertThat(kind(k).visibility()).as(k).isEqualTo(Visibility.PLATFORM_ADMINS);
            assertThat(kind(k).tenantScoped()).as(k).isFalse();
        }
        assertThat(kind("Site").printColumns()).containsKeys("GPUS", "JURISDICTION");
        assertThat(kind("machines").kind()).isEqualTo("Machine");
        assertThat(kind("nodepools").kind()).isEqualTo("NodePool");
    }
}
