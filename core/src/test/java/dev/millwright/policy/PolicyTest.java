package dev.millwright.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.catalog.BuiltInCatalog;
import dev.millwright.catalog.Catalog;
import dev.millwright.catalog.Pack;
import dev.millwright.resource.Json;
import dev.millwright.resource.ObjectMeta;
import dev.millwright.resource.Resource;
import dev.millwright.vulns.Advisory;
import dev.millwright.vulns.Exposure;
import dev.millwright.vulns.Findings;
import dev.millwright.vulns.Matcher;
import dev.millwright.vulns.OsvReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The default policy set and the policy language, on inputs built the way the server builds them. */
class PolicyTest {
    static Map<String, Policy> defaults;
    static Catalog catalog = BuiltInCatalog.load();

    @BeforeAll
    static void compileTheDefaults() {
        defaults = new HashMap<>();
        for (JsonNode m : DefaultPolicies.manifests()) {
            String name = m.path("metadata").path("name").asText();
            Policy.Compiled c = Policy.compile(name, m.path("spec"));
            assertThat(c.problems()).as(name).isEmpty();
            defaults.put(name, c.policy());
        }
        assertThat(defaults).containsKeys("fips-builds", "cve-gate", "data-residency", "data-residency-placement", "confidential-computing",
                "practitioner-gpu-limit");
    }

    static Resource resource(String kind, String tenant, String name, String spec) {
        return new Resource(kind, ObjectMeta.named(name, tenant), (com.fasterxml.jackson.databind.node.ObjectNode) Json.tree(spec), null);
    }

    static Resource tenant(String compliance) {
        return resource("Tenant", "", "acme", "{\"compliance\":" + compliance + "}");
    }

    static List<Pack> packs(String... nameThenVersion) {
        List<Pack> out = new java.util.ArrayList<>();
        for (int i = 0; i < nameThenVersion.length; i += 2) out.add(catalog.find(nameThenVersion[i], nameThenVersion[i + 1]).orElseThrow());
        return out;
    }

    static PolicyEngine.Decision judge(Subject subject, String tenant, Map<String, Object> given) {
        return PolicyEngine.judge(defaults.values(), subject, tenant, PolicyInput.forSubject(subject, given));
    }

    @Test
    void aFipsEnvironmentIsDeniedNamingOnlyThePacksThatDoCryptographyWithoutAValidatedBuild() {
        List<Pack> stack = packs("ubuntu", "24.04.4", "gpu-driver", "580.95.05", "cuda", "12.8.0", "kubernetes", "1.33.13");
        Resource env = resource("Environment", "acme", "prod", "{\"stage\":\"prod\",\"fips\":true}");
        PolicyEngine.Decision d = judge(Subject.ENVIRONMENT, "acme", Map.of("object", PolicyInput.object(env),
                "tenant", PolicyInput.tenant("acme", tenant("{}")), "environment", PolicyInput.environment(env, false, List.of()),
                "stack", PolicyInput.stack("base", "1.0.0", stack)));
        assertThat(d.allowed()).isFalse();
        assertThat(d.denials()).singleElement().satisfies(v -> {
            assertThat(v.policy()).isEqualTo("fips-builds");
            assertThat(v.message()).isEqualTo("environment prod is marked FIPS, but base@1.0.0 has packs that do cryptography and are not"
                    + " FIPS-validated builds: ubuntu 24.04.4 (os), kubernetes 1.33.13 (kubernetes)");
        });

        // the tenant's mark counts too; an unmarked environment of an unmarked tenant is not judged
        Resource plain = resource("Environment", "acme", "dev", "{\"stage\":\"dev\"}");
        assertThat(judge(Subject.ENVIRONMENT, "acme", Map.of("environment", PolicyInput.environment(plain, true, List.of()),
                "stack", PolicyInput.stack("base", "1.0.0", stack))).allowed()).isFalse();
        assertThat(judge(Subject.ENVIRONMENT, "acme", Map.of("environment", PolicyInput.environment(plain, false, List.of()),
                "stack", PolicyInput.stack("base", "1.0.0", stack))).allowed()).isTrue();
        // validated builds in every cryptographic layer pass (the driver and CUDA do no cryptography)
        List<Pack> validated = stack.stream().map(p -> p.layer().cryptographic() ? withFips(p) : p).toList();
        assertThat(judge(Subject.ENVIRONMENT, "acme", Map.of("environment", PolicyInput.environment(env, false, List.of()),
                "stack", PolicyInput.stack("base", "1.0.1", validated))).allowed()).isTrue();
    }

    static Pack withFips(Pack p) {
        return new Pack(p.layer(), p.name(), p.version(), p.requires(), p.conflicts(), p.gpuModels(), true, p.confidentialComputing(),
                p.packages(), p.endOfLife(), p.source());
    }

    @Test
    void theCveGateRefusesACriticalFindingWithAFixButNotOneWithoutAFix() {
        Advisory critical = OsvReader.read(Json.tree("""
                {"id":"GHSA-test-crit","aliases":["CVE-2099-0009"],"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
                 "affected":[{"package":{"ecosystem":"PyPI","name":"vllm"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"0.9.0"}]}]}]}""")).advisory();
        Advisory unfixed = OsvReader.read(Json.tree("""
                {"id":"GHSA-test-open","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
                 "affected":[{"package":{"ecosystem":"PyPI","name":"vllm"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}""")).advisory();
        List<Exposure.Package> contents = List.of(new Exposure.Package("PyPI", "vllm", "0.8.5"));
        Map<String, Object> stack = PolicyInput.stack("serve", "1.0.0", packs("vllm", "0.8.5"));

        List<Exposure.Hit> both = Exposure.of(new Matcher(List.of(critical, unfixed)), new Findings(List.of(critical, unfixed)), Map.of("t", contents)).get("t");
        PolicyEngine.Decision d = judge(Subject.STACK_TEMPLATE, "", Map.of("stack", stack, "findings", PolicyInput.findings(both)));
        assertThat(d.denials()).singleElement().extracting(PolicyEngine.Verdict::message)
                .isEqualTo("serve@1.0.0 contains critical vulnerabilities that have a fix: CVE-2099-0009 in PyPI vllm 0.8.5 (fixed in 0.9.0)");

        List<Exposure.Hit> open = Exposure.of(new Matcher(List.of(unfixed)), new Findings(List.of(unfixed)), Map.of("t", contents)).get("t");
        assertThat(judge(Subject.STACK_TEMPLATE, "", Map.of("stack", stack, "findings", PolicyInput.findings(open))).allowed())
                .as("no fix to publish instead").isTrue();
    }

    @Test
    void residencyKeepsConfidentialDataInTheTenantsJurisdictionsAtAdmissionAndAtPlacement() {
        Map<String, Object> tenant = PolicyInput.tenant("acme", tenant("{\"residency\":[\"DE\"]}"));
        Resource env = resource("Environment", "acme", "prod", "{\"stage\":\"prod\"}");
        Map<String, Object> inFrance = PolicyInput.environment(env, false, List.of(PolicyInput.site("par", "FR", "eu-west")));
        Resource secret = resource("Workload", "acme", "chat", "{\"replicas\":1,\"gpusPerReplica\":2,\"dataClassification\":\"restricted\"}");
        Resource open = resource("Workload", "acme", "demo", "{\"replicas\":1,\"gpusPerReplica\":2,\"dataClassification\":\"public\"}");

        PolicyEngine.Decision denied = judge(Subject.WORKLOAD, "acme", Map.of("tenant", tenant, "environment", inFrance,
                "workload", PolicyInput.workload(secret, false, "ben"), "caller", PolicyInput.caller("ben", List.of("tenant-admin"))));
        assertThat(denied.denials()).extracting(PolicyEngine.Verdict::toString)
                .containsExactly("data-residency: chat holds restricted data, which may stay only in DE; environment prod has nodes only in par (FR)");
        assertThat(judge(Subject.WORKLOAD, "acme", Map.of("tenant", tenant, "environment", inFrance,
                "workload", PolicyInput.workload(open, false, "ben"), "caller", PolicyInput.caller("ben", List.of("tenant-admin")))).allowed()).isTrue();

        Map<String, Object> workload = PolicyInput.workload(secret, false, "ben");
        assertThat(judge(Subject.PLACEMENT, "acme", Map.of("tenant", tenant, "workload", workload,
                "node", PolicyInput.node("par-n01", "par", "FR", "eu-west", "H100 80GB", true))).denials())
                .extracting(PolicyEngine.Verdict::policy).containsExactly("data-residency-placement");
        assertThat(judge(Subject.PLACEMENT, "acme", Map.of("tenant", tenant, "workload", workload,
                "node", PolicyInput.node("muc-n01", "muc", "DE", "eu-central", "H100 80GB", true))).allowed()).isTrue();
    }

    @Test
    void confidentialWorkloadsRunOnlyOnConfidentialComputingNodes() {
        Resource w = resource("Workload", "acme", "tee", "{\"replicas\":1,\"gpusPerReplica\":1,\"confidential\":true}");
        Map<String, Object> in = Map.of("tenant", PolicyInput.tenant("acme", tenant("{}")), "workload", PolicyInput.workload(w, false, ""),
                "node", PolicyInput.node("edge-1", "plant", "DE", "eu-central", "L40S", false));
        assertThat(judge(Subject.PLACEMENT, "acme", in).denials()).extracting(PolicyEngine.Verdict::message)
                .containsExactly("node edge-1 (L40S) cannot run confidential workloads: its GPUs have no confidential-computing mode");
        // a tenant that requires it makes every one of its workloads confidential
        Resource plain = resource("Workload", "acme", "plain", "{\"replicas\":1,\"gpusPerReplica\":1}");
        assertThat(PolicyInput.workload(plain, true, "").get("confidential")).isEqualTo(true);
    }

    @Test
    void practitionersAreLimitedAndAdminsAreNot() {
        Resource w = resource("Workload", "acme", "big", "{\"replicas\":2,\"gpusPerReplica\":8}");
        Map<String, Object> tenant = PolicyInput.tenant("acme", tenant("{}"));
        PolicyEngine.Decision over = judge(Subject.WORKLOAD, "acme", Map.of("tenant", tenant, "workload", PolicyInput.workload(w, false, "ben"),
                "caller", PolicyInput.caller("ben", List.of("practitioner")), "usage", PolicyInput.usage(24)));
        assertThat(over.denials()).extracting(PolicyEngine.Verdict::message)
                .containsExactly("ben already has workloads asking for 24 GPUs in acme; big asks for 16 more, over the limit of 32 per practitioner");
        assertThat(judge(Subject.WORKLOAD, "acme", Map.of("tenant", tenant, "workload", PolicyInput.workload(w, false, "ben"),
                "caller", PolicyInput.caller("ben", List.of("practitioner")), "usage", PolicyInput.usage(16))).allowed()).isTrue();
        assertThat(judge(Subject.WORKLOAD, "acme", Map.of("tenant", tenant, "workload", PolicyInput.workload(w, false, "anna"),
                "caller", PolicyInput.caller("anna", List.of("tenant-admin")), "usage", PolicyInput.usage(500))).allowed()).isTrue();
    }

    @Test
    void anInvalidExpressionIsRefusedWithItsFieldAndPosition() {
        Policy.Compiled typo = Policy.compile("typo", Json.tree("""
                {"subject":"Workload","rule":"workload.gpus <= 8 && wokload.gpus > 0","message":"m"}"""));
        assertThat(typo.ok()).isFalse();
        assertThat(typo.problems().get("spec.rule")).singleElement().asString()
                .contains("spec.rule:1:23").contains("undeclared reference to 'wokload'");

        Policy.Compiled syntax = Policy.compile("syntax", Json.tree("""
                {"subject":"Placement","match":"node.site ==","rule":"true","messageExpression":"1 + 1","message":"m"}"""));
        assertThat(syntax.problems()).containsOnlyKeys("spec.match", "spec.messageExpression");
        assertThat(syntax.problems().get("spec.match").get(0)).contains("spec.match:1:13");
        assertThat(syntax.problems().get("spec.messageExpression").get(0)).contains("expected type 'string' but found 'int'");

        Policy.Compiled notBool = Policy.compile("x", Json.tree("{\"subject\":\"Environment\",\"rule\":\"'yes'\",\"message\":\"m\"}"));
        assertThat(notBool.problems().get("spec.rule").get(0)).contains("expected type 'bool'");
        assertThat(Policy.compile("x", Json.tree("{\"subject\":\"Node\",\"rule\":\"true\",\"message\":\"m\"}")).problems()).containsKey("spec.subject");
        // a variable of another subject is not there
        assertThat(Policy.compile("x", Json.tree("{\"subject\":\"StackTemplate\",\"rule\":\"node.site == 'x'\",\"message\":\"m\"}")).problems())
                .containsKey("spec.rule");
    }

    @Test
    void anExpressionThatFailsWhileEvaluatingDeniesAndSaysSo() {
        Policy p = Policy.compile("strict", Json.tree("""
                {"subject":"Workload","rule":"object.spec.budget > 0","message":"m"}""")).policy();
        Resource w = resource("Workload", "acme", "w", "{\"replicas\":1}");
        PolicyEngine.Decision d = PolicyEngine.judge(List.of(p), Subject.WORKLOAD, "acme",
                PolicyInput.forSubject(Subject.WORKLOAD, Map.of("object", PolicyInput.object(w))));
        assertThat(d.denials()).singleElement().extracting(PolicyEngine.Verdict::message).asString()
                .startsWith("policy strict could not be evaluated, so it denies:").contains("budget");
        // a field the type check cannot see into may hold something other than a bool: that denies too
        Policy loose = Policy.compile("loose", Json.tree("{\"subject\":\"Workload\",\"rule\":\"workload.name\",\"message\":\"m\"}")).policy();
        assertThat(PolicyEngine.judge(List.of(loose), Subject.WORKLOAD, "acme", PolicyInput.forSubject(Subject.WORKLOAD,
                Map.of("workload", PolicyInput.workload(w, false, "")))).denials()).singleElement().extracting(PolicyEngine.Verdict::message)
                .isEqualTo("policy loose could not be evaluated, so it denies: rule gave w, not true or false");
    }

    @Test
    void warnPoliciesAndTenantScopedOnesApplyAsWritten() {
        Policy warn = Policy.compile("prod-only-large", Json.tree("""
                {"subject":"Workload","rule":"workload.gpus <= 4","message":"large workloads belong in prod","enforcement":"Warn","tenants":["acme"]}""")).policy();
        Resource w = resource("Workload", "acme", "w", "{\"replicas\":1,\"gpusPerReplica\":8}");
        Map<String, Object> in = PolicyInput.forSubject(Subject.WORKLOAD, Map.of("workload", PolicyInput.workload(w, false, "")));
        PolicyEngine.Decision acme = PolicyEngine.judge(List.of(warn), Subject.WORKLOAD, "acme", in);
        assertThat(acme.allowed()).isTrue();
        assertThat(acme.warnings()).extracting(PolicyEngine.Verdict::message).containsExactly("large workloads belong in prod");
        assertThat(PolicyEngine.judge(List.of(warn), Subject.WORKLOAD, "globex", in).warnings()).isEmpty();
        assertThat(PolicyEngine.judge(List.of(warn), Subject.ENVIRONMENT, "acme", in).warnings()).isEmpty();
    }

    @Test
    void inputsCarryEveryDocumentedFieldAndJsonBecomesCelValues() {
        assertThat(PolicyInput.forSubject(Subject.PLACEMENT, Map.of()).keySet())
                .containsExactlyInAnyOrderElementsOf(Subject.PLACEMENT.variables());
        Object v = PolicyInput.json(Json.tree("{\"a\":1,\"b\":[true,null,2.5],\"c\":null,\"d\":\"x\"}"));
        assertThat(v).isEqualTo(Map.of("a", 1L, "b", List.of(true, 2.5), "d", "x"));
        assertThat(Subject.values()).extracting(Subject::wireName).containsExactly("StackTemplate", "Environment", "Workload", "Placement");
        assertThat(defaults.values().stream().collect(Collectors.groupingBy(Policy::subject, Collectors.counting())))
                .containsEntry(Subject.PLACEMENT, 2L);
    }
}
