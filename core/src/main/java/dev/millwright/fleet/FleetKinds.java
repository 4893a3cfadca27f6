package dev.millwright.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Claim;
import dev.millwright.resource.KindDefinition;
import static dev.millwright.resource.KindDefinition.columns;
import dev.millwright.resource.KindDefinition.Visibility;
import dev.millwright.resource.Reference;
import dev.millwright.resource.Resource;
import dev.millwright.resource.Scope;
import dev.millwright.resource.SpecSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The kinds of the fleet: where hardware is (Site), the hardware (Machine), and the Kubernetes clusters built
 * from it (Cluster, NodePool). Machines, clusters and pools are platform internals, visible to platform
 * admins; sites are visible to everyone, since tenants choose where their data may live.
 */
public final class FleetKinds {
    public static final String SITE = "Site";
    public static final String MACHINE = "Machine";
    public static final String CLUSTER = "Cluster";
    public static final String NODE_POOL = "NodePool";

    /** ISO 3166-1 alpha-2 codes, as the JDK knows them. */
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private FleetKinds() {
    }

    public static List<KindDefinition> all() {
        return List.of(
                new KindDefinition(SITE, "sites", "A datacenter, cloud region or edge location, and the law that applies there.",
                        Scope.PLATFORM, Visibility.ALL_AUTHENTICATED, Set.of(),
                        SpecSchema.classpath(FleetKinds.class, "Site.json"), FleetKinds::siteRules,
                        columns("KIND", "spec.kind", "REGION", "spec.region", "JURISDICTION", "spec.jurisdiction",
                                "MACHINES", "status.machines", "GPUS", "status.gpus", "HEALTHY", "status.healthyMachines"),
                        null),
                new KindDefinition(MACHINE, "machines", "One server: its site, BMC, and declared and observed hardware.",
                        Scope.PLATFORM, Visibility.PLATFORM_ADMINS, Set.of(),
                        SpecSchema.classpath(FleetKinds.class, "Machine.json"), FleetKinds::machineRules,
                        columns("SITE", "spec.site", "RACK", "spec.rack", "GPUS", "status.gpus", "PHASE", "status.phase",
                                "LIFECYCLE", "status.lifecycle.state", "HEALTH", "status.health", "DRIFT", "status.drift#"),
                        r -> List.of(new Reference("spec.site", SITE, "", r.spec().path("site").asText()))),
                new KindDefinition(CLUSTER, "clusters", "A Kubernetes cluster at one site, built from its node pools' machines.",
                        Scope.PLATFORM, Visibility.PLATFORM_ADMINS, Set.of(),
                        SpecSchema.classpath(FleetKinds.class, "Cluster.json"), null,
                        columns("SITE", "spec.site", "TENANT", "spec.tenant", "NODES", "status.nodes", "GPUS", "status.gpus",
                                "DRIFTED", "status.driftedNodes", "PHASE", "status.phase"),
                        FleetKinds::clusterReferences),
                new KindDefinition(NODE_POOL, "nodepools", "Machines that join one cluster as its nodes; a machine is in at most one pool.",
                        Scope.PLATFORM, Visibility.PLATFORM_ADMINS, Set.of(),
                        SpecSchema.classpath(FleetKinds.class, "NodePool.json"), null,
                        columns("CLUSTER", "spec.cluster", "MACHINES", "spec.machines#", "READY", "status.readyMachines"),
                        FleetKinds::nodePoolReferences, FleetKinds::nodePoolClaims));
    }

    private static Map<String, List<String>> siteRules(Resource r) {
        Map<String, List<String>> errors = new TreeMap<>();
        String j = r.spec().path("jurisdiction").asText();
        if (!COUNTRIES.contains(j)) {
            errors.put("spec.jurisdiction", List.of("\"" + j + "\" is not an ISO 3166-1 alpha-2 country code"));
        }
        return errors;
    }

    private static Map<String, List<String>> machineRules(Resource r) {
        Map<String, List<String>> errors = new TreeMap<>();
        JsonNode inv = r.spec().path("inventory");
        if (inv.has("gpuCount") && inv.has("gpus") && inv.get("gpuCount").asInt() != inv.get("gpus").size()) {
            errors.put("spec.inventory.gpuCount", List.of("is " + inv.get("gpuCount").asInt() + " but spec.inventory.gpus lists "
                    + inv.get("gpus").size() + " GPUs"));
        }
        return errors;
    }

    private static List<Reference> clusterReferences(Resource r) {
        List<Reference> refs = new ArrayList<>();
        refs.add(new Reference("spec.site", SITE, "", r.spec().path("site").asText()));
        if (r.spec().hasNonNull("tenant")) refs.add(new Reference("spec.tenant", "Tenant", "", r.spec().get("tenant").asText()));
        return refs;
    }

    private static List<Reference> nodePoolReferences(Resource r) {
        List<Reference> refs = new ArrayList<>();
        refs.add(new Reference("spec.cluster", CLUSTER, "", r.spec().path("cluster").asText()));
        JsonNode machines = r.spec().path("machines");
        for (int i = 0; i < machines.size(); i++) {
            refs.add(new Reference("spec.machines[" + i + "]", MACHINE, "", machines.get(i).asText()));
        }
        return refs;
    }

    /** A machine is a node of at most one pool. */
    private static List<Claim> nodePoolClaims(Resource r) {
        List<Claim> claims = new ArrayList<>();
        JsonNode machines = r.spec().path("machines");
        for (int i = 0; i < machines.size(); i++) claims.add(new Claim("spec.machines[" + i + "]", "machine", machines.get(i).asText()));
        return claims;
    }

}
