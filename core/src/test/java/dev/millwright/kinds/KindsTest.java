package dev.millwright.kinds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millwright.resource.KindDefinition;
import dev.millwright.resource.KindRegistry;
import dev.millwright.resource.NotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KindsTest {
    private final KindRegistry registry = Kinds.registry();

    @Test
    void servesTheTenancyFleetCatalogWorkloadSchedulingRolloutVulnerabilitySecretThenDockKindsInRegistrationOrder() {
        assertThat(registry.all()).extracting(KindDefinition::kind)
                .containsExactly("Tenant", "Project", "User", "ServiceAccount", "Site", "Machine", "Cluster", "NodePool", "Pack", "StackTemplate", "Environment", "AppTemplate", "Workload", "Queue", "UpgradePlan", "Rollout", "Advisory", "Policy", "Secret", "PlatformSecret", "DockBatch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ServiceAccount", "serviceaccount", "SERVICEACCOUNT", "serviceaccounts", "ServiceAccounts"})
    void findsAKindByNameOrPluralInAnyCase(String name) {
        assertThat(registry.find(name)).map(KindDefinition::kind).contains("ServiceAccount");
    }

    @Test
    void answersAnUnknownKindWithNotFoundListingTheKnownOnes() {
        assertThat(registry.find(null)).isEmpty();
        assertThatThrownBy(() -> registry.require("Gadget"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("\"Gadget\"", "Advisory, AppTemplate, Cluster, DockBatch, Environment, Machine, NodePool, Pack, PlatformSecret, Policy, Project, Queue, Rollout, Secret, ServiceAccount, Site, StackTemplate, Tenant, UpgradePlan, User, Workload");
                });
    }

    @Test
    void loadsASpecSchemaForEveryKind() {
        for (KindDefinition k : registry.all()) {
            assertThat(k.specSchemaJson().path("type").asText()).as(k.kind()).isEqualTo("object");
            assertThat(k.specSchemaJson().path("additionalProperties").asBoolean(true)).as(k.kind()).isFalse();
        }
    }
}
