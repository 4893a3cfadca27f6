package dev.millwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import dev.millwright.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's commands run in this JVM ({@link Main#run}) against one real server on loopback. Each test works in
 * tenants and users of its own, so the tests do not depend on each other's order.
 */
class CliAgainstServerTest {
    private static TestServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    @Test
    void renderPrintsTheKueueQueuesOfAnEnvironmentAndExplainsWhatItRenders() throws Exception {
        Path file = write("env.yaml", """
                kind: Tenant
                metadata: {name: render-co}
                spec: {displayName: Render Co}
                ---
                kind: StackTemplate
                metadata: {name: render-base-1-0-0}
                spec: {template: render-base, version: 1.0.0, layers: [{pack: kubernetes, version: "1.33"}]}
                ---
                kind: Environment
                metadata: {name: prod, tenant: render-co}
                spec: {stage: prod, template: {name: render-base, version: 1.0.0}, quota: {gpus: {"NVIDIA H100 80GB HBM3": 8}}}
                """);
        Cli.Result applied = admin("apply", "-f", file.toString());
        assertThat(applied.exit()).as(applied.toString()).isZero();

        Cli.Result yaml = admin("render", "environment", "prod", "-t", "render-co");
        assertThat(yaml.exit()).as(yaml.toString()).isZero();
        assertThat(yaml.out()).contains("kind: ClusterQueue", "name: render-co-prod", "nominalQuota: 8", "kind: LocalQueue");

        Cli.Result missing = admin("render", "workload", "nothing", "-t", "render-co");
        assertThat(missing.exit()).isEqualTo(ExitCodes.forStatus(404));
        assertThat(missing.err()).contains("not found");
        assertThat(admin("render", "cluster", "x", "-t", "render-co").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void planUpgradeShowsTheChangedPacksAndEachNodesStepsOrTheReasonItIsRefused() throws Exception {
        Path file = write("plan.yaml", """
                kind: Tenant
                metadata: {name: plan-co}
                spec: {displayName: Plan Co}
                ---
                kind: StackTemplate
                metadata: {name: plan-llm-1-0-0}
                spec: {template: plan-llm, version: 1.0.0, layers: [{pack: ubuntu, version: "24.04"}, {pack: gpu-driver, version: 570.86.15},
                  {pack: cuda, version: 12.8.0}, {pack: kubernetes, version: "1.31"}, {pack: vllm, version: 0.9.2}]}
                ---
                kind: StackTemplate
                metadata: {name: plan-llm-1-1-0}
                spec: {template: plan-llm, version: 1.1.0, layers: [{pack: ubuntu, version: "24.04"}, {pack: gpu-driver, version: 580.95.05},
                  {pack: cuda, version: 12.8.0}, {pack: kubernetes, version: "1.31"}, {pack: vllm, version: 0.9.2}]}
                ---
                kind: Environment
                metadata: {name: prod, tenant: plan-co}
                spec: {stage: prod, template: {name: plan-llm, version: 1.0.0}}
                ---
                kind: Environment
                metadata: {name: next, tenant: plan-co}
                spec: {stage: dev, template: {name: plan-llm, version: 1.1.0}}
                """);
        Cli.Result applied = admin("apply", "-f", file.toString());
        assertThat(applied.exit()).as(applied.toString()).isZero();

        Cli.Result plan = admin("plan", "upgrade", "prod", "-t", "plan-co", "--to", "plan-llm@1.1.0", "--parallel", "1");
        assertThat(plan.exit()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("Upgrade plan-llm 1.0.0 -> plan-llm 1.1.0", "gpu-driver", "570.86.15", "580.95.05",
                "cordon", "drain", "GPU health check", "uncordon", "Estimate:").doesNotContain("vllm", "cuda 12.8.0 ->");
        Cli.Result json = admin("plan", "upgrade", "prod", "-t", "plan-co", "--to", "plan-llm@1.1.0", "-o", "json");
        assertThat(json.out()).contains("\"changes\"", "\"pack\":\"gpu-driver\"");

        Cli.Result older = admin("plan", "upgrade", "next", "-t", "plan-co", "--to", "plan-llm@1.0.0");
        assertThat(older.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(older.err()).contains("to.spec");
        Cli.Result unpublished = admin("plan", "upgrade", "prod", "-t", "plan-co", "--to", "plan-llm@9.0.0");
        assertThat(unpublished.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(unpublished.err()).contains("plan-llm version 9.0.0 is not published");
        Cli.Result malformed = admin("plan", "upgrade", "prod", "-t", "plan-co", "--to", "latest");
        assertThat(malformed.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(malformed.err()).contains("TEMPLATE@VERSION");
    }

    @Test
    void applyCreatesThenReportsUnchangedThenConfigured() throws Exception {
        Path file = write("tenancy.yaml", tenancy("apply-co", "dora", "Apply Co"));

        Cli.Result first = admin("apply", "-f", file.toString());
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(lines(first.out())).containsExactly("users/dora created", "tenants/apply-co created",
                "projects/apply-co/vision created", "serviceaccounts/apply-co/ci created");
        assertThat(first.err()).isEmpty();

        Cli.Result again = admin("apply", "-f", file.toString());
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(lines(again.out())).containsExactly("users/dora unchanged", "tenants/apply-co unchanged",
                "projects/apply-co/vision unchanged", "serviceaccounts/apply-co/ci unchanged");

        Files.writeString(file, tenancy("apply-co", "dora", "Apply Company"));
        Cli.Result changed = admin("apply", "-f", file.toString());
        assertThat(changed.exit()).as(changed.toString()).isZero();
        assertThat(lines(changed.out())).containsExactly("users/dora unchanged", "tenants/apply-co configured",
                "projects/apply-co/vision unchanged", "serviceaccounts/apply-co/ci unchanged");
        assertThat(admin("get", "tenant", "apply-co", "-o", "json").out()).contains("\"displayName\":\"Apply Company\"");
    }

    @Test
    void appliesADirectoryAndStandardInput() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("manifests"));
        Files.writeString(dir.resolve("1-tenant.yaml"), """
                kind: Tenant
                metadata: {name: dir-co}
                spec: {displayName: From a directory}
                """);
        Files.writeString(dir.resolve("2-accounts.json"), """
                {"kind": "ServiceAccount", "metadata": {"name": "robot", "tenant": "dir-co"}, "spec": {"role": "viewer"}}
                """);
        Files.writeString(dir.resolve("notes.txt"), "not a manifest: ignored");
        Cli.Result fromDir = admin("apply", "-f", dir.toString());
        assertThat(fromDir.exit()).as(fromDir.toString()).isZero();
        assertThat(lines(fromDir.out())).containsExactly("tenants/dir-co created", "serviceaccounts/dir-co/robot created");

        Cli.Result fromStdin = Cli.runWithStdin("""
                kind: Project
                metadata: {name: piped}
                spec: {displayName: From stdin}
                """, withAdmin("apply", "-f", "-", "-t", "dir-co"));
        assertThat(fromStdin.exit()).as(fromStdin.toString()).isZero();
        assertThat(lines(fromStdin.out())).containsExactly("projects/dir-co/piped created");
        assertThat(admin("get", "projects", "-t", "dir-co", "-o", "name").out()).isEqualTo("projects/piped\n");
    }

    @Test
    void getPrintsTablesYamlJsonNamesAndFilters() throws Exception {
        Path file = write("get.yaml", """
                kind: Tenant
                metadata: {name: get-a}
                spec: {}
                ---
                kind: Tenant
                metadata: {name: get-b}
                spec: {}
                ---
                kind: Project
                metadata: {name: alpha, tenant: get-a, labels: {env: prod, team: ml}}
                spec: {members: [{user: admin, role: viewer}]}
                ---
                kind: Project
                metadata: {name: beta, tenant: get-a, labels: {env: dev}}
                spec: {}
                ---
                kind: Project
                metadata: {name: gamma, tenant: get-b, labels: {env: prod}}
                spec: {}
                """);
        assertThat(admin("apply", "-f", file.toString()).exit()).isZero();

        Cli.Result table = admin("get", "projects", "-t", "get-a");
        assertThat(table.exit()).as(table.toString()).isZero();
        List<String> rows = lines(table.out());
        List<String> headers = List.of(rows.get(0).split("\\s+"));
        // the order of the kind's own columns is not asserted: the server does not keep it (see the report)
        assertThat(headers).startsWith("TENANT", "NAME").endsWith("AGE").containsOnlyOnce("MEMBERS", "PHASE").hasSize(5);
        assertThat(rows).hasSize(3);
        assertThat(cell(rows, 1, "NAME")).isEqualTo("alpha");
        assertThat(cell(rows, 1, "MEMBERS")).isEqualTo("1");
        assertThat(cell(rows, 2, "TENANT")).isEqualTo("get-a");
        assertThat(cell(rows, 2, "NAME")).isEqualTo("beta");
        assertThat(cell(rows, 2, "MEMBERS")).isEqualTo("0");
        assertThat(cell(rows, 2, "AGE")).matches("\\d+s");

        Cli.Result wide = admin("get", "projects", "-t", "get-a", "-o", "wide");
        assertThat(lines(wide.out()).get(0)).endsWith("LABELS");
        assertThat(lines(wide.out()).get(1)).endsWith("env=prod,team=ml");

        Cli.Result acrossTenants = admin("get", "projects", "-l", "env=prod", "-o", "name");
        assertThat(lines(acrossTenants.out())).contains("projects/alpha", "projects/gamma").doesNotContain("projects/beta");
        assertThat(lines(admin("get", "projects", "-l", "env=prod", "-t", "get-b", "-o", "name").out())).containsExactly("projects/gamma");
        assertThat(lines(admin("get", "projects", "-l", "env in (dev),team", "-o", "name").out())).isEmpty();
        assertThat(admin("get", "projects", "-t", "get-b", "-l", "env=staging").out()).isEqualTo("No projects found.\n");

        JsonNode list = Json.tree(admin("get", "projects", "-t", "get-a", "-o", "json").out());
        assertThat(list.path("kind").asText()).isEqualTo("ProjectList");
        assertThat(list.path("items")).hasSize(2);
        assertThat(list.path("items").get(0).path("metadata").path("labels").path("team").asText()).isEqualTo("ml");

        JsonNode one = Json.YAML.readTree(admin("get", "project", "alpha", "-t", "get-a", "-o", "yaml").out());
        assertThat(one.path("kind").asText()).isEqualTo("Project");
        assertThat(one.path("metadata").path("tenant").asText()).isEqualTo("get-a");
        assertThat(one.path("spec").path("members").get(0).path("role").asText()).isEqualTo("viewer");
        assertThat(admin("get", "projects", "-t", "get-a", "-o", "yaml").out()).contains("kind: ProjectList", "name: beta");
        assertThat(Json.tree(admin("get", "tenant", "get-b", "-o", "json").out()).path("metadata").path("name").asText()).isEqualTo("get-b");
    }

    @Test
    void getOfAMissingObjectExitsThreeWithAOneLineError() {
        Cli.Result r = admin("get", "tenant", "no-such-tenant");
        assertThat(r.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.out()).isEmpty();
        assertThat(lines(r.err())).hasSize(1);
        assertThat(r.err()).startsWith("error: ").contains("no-such-tenant").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void describeShowsStatusAndEvents() throws Exception {
        assertThat(admin("apply", "-f", write("d.yaml", """
                kind: Tenant
                metadata: {name: describe-co}
                spec: {}
                ---
                kind: Project
                metadata: {name: lonely, tenant: describe-co}
                spec: {members: [{user: nobody-knows, role: practitioner}]}
                """).toString()).exit()).isZero();
        String out = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            Cli.Result r = admin("describe", "project", "lonely", "-t", "describe-co");
            assertThat(r.exit()).as(r.toString()).isZero();
            out = r.out();
            // describe reads the object, then its events: wait until both show the controller's pass
            if (out.contains("observedGeneration: 1") && out.contains("UnknownMembers") && !out.contains("events:\n  <none>")) break;
            Thread.sleep(100);
        }
        assertThat(out).contains("status:", "observedGeneration: 1", "unknown users: nobody-knows");
        String events = out.substring(out.indexOf("\nevents:\n") + 1);
        List<String> eventLines = lines(events);
        assertThat(eventLines.get(1).trim().split("\\s+")).containsExactly("TYPE", "REASON", "COUNT", "LAST", "SEEN", "FROM", "MESSAGE");
        assertThat(eventLines.get(2)).startsWith("  Warning").contains("UnknownMembers", "unknown users: nobody-knows");

        Cli.Result tenant = admin("describe", "tenant", "describe-co");
        assertThat(tenant.exit()).as(tenant.toString()).isZero();
        assertThat(tenant.out()).contains("kind: Tenant", "status:", "\nevents:\n");
    }

    @Test
    void deletesByNameAndFromFiles() throws Exception {
        Path file = write("del.yaml", """
                kind: Tenant
                metadata: {name: delete-co}
                spec: {}
                ---
                kind: ServiceAccount
                metadata: {name: one, tenant: delete-co}
                spec: {role: viewer}
                ---
                kind: ServiceAccount
                metadata: {name: two, tenant: delete-co}
                spec: {role: viewer}
                """);
        assertThat(admin("apply", "-f", file.toString()).exit()).isZero();

        Cli.Result byName = admin("delete", "serviceaccount", "one", "-t", "delete-co");
        assertThat(byName.exit()).as(byName.toString()).isZero();
        assertThat(byName.out()).isEqualTo("serviceaccounts/delete-co/one deleted\n");
        assertThat(admin("get", "serviceaccount", "one", "-t", "delete-co").exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(admin("delete", "serviceaccount", "one", "-t", "delete-co").exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(admin("delete", "serviceaccount", "one", "-t", "delete-co", "--ignore-not-found").exit()).isZero();
        assertThat(admin("delete", "serviceaccounts").exit()).isEqualTo(ExitCodes.USAGE);

        // the file that created them deletes them, the tenant last, though it comes first in the file
        Cli.Result fromFile = admin("delete", "-f", file.toString(), "--ignore-not-found");
        assertThat(fromFile.exit()).as(fromFile.toString()).isZero();
        assertThat(lines(fromFile.out())).containsExactly("serviceaccounts/delete-co/two deleted", "tenants/delete-co deleted");
        assertThat(admin("get", "tenant", "delete-co").exit()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void watchPrintsEachChangeOnceAsItHappens() throws Exception {
        assertThat(admin("apply", "-f", write("w.yaml", """
                kind: Tenant
                metadata: {name: watch-co}
                spec: {}
                ---
                kind: ServiceAccount
                metadata: {name: first, tenant: watch-co}
                spec: {role: viewer}
                """).toString()).exit()).isZero();

        Cli.Capture watchOutput = new Cli.Capture();
        AtomicReference<Cli.Result> watchResult = new AtomicReference<>();
        Thread watcher = new Thread(() -> watchResult.set(Cli.run(watchOutput,
                withAdmin("watch", "serviceaccounts", "-t", "watch-co", "--max-events", "4"))), "cli-watch");
        watcher.setDaemon(true);
        watcher.start();
        // the watch starts with the current objects: once "first" is printed, it is following the changes
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!watchOutput.out().contains("ServiceAccount/watch-co/first") && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(watchOutput.out()).as("watch output so far; stderr: " + watchOutput.err()).contains("ServiceAccount/watch-co/first");

        Path second = write("second.yaml", """
                kind: ServiceAccount
                metadata: {name: second, tenant: watch-co}
                spec: {role: viewer}
                """);
        assertThat(admin("apply", "-f", second.toString()).out()).contains("created");
        Files.writeString(second, Files.readString(second).replace("viewer", "practitioner"));
        assertThat(admin("apply", "-f", second.toString()).out()).contains("configured");
        assertThat(admin("delete", "-f", second.toString()).out()).contains("deleted");

        watcher.join(Duration.ofSeconds(15).toMillis());
        assertThat(watcher.isAlive()).as("watch stops after --max-events 4; printed:\n" + watchOutput.out()).isFalse();
        assertThat(watchResult.get().exit()).as(watchResult.get().toString()).isZero();
        Pattern line = Pattern.compile("(ADDED|MODIFIED|DELETED) +ServiceAccount/watch-co/(\\w+)  resourceVersion=(\\d+)");
        List<String> seen = new ArrayList<>();
        long previous = 0;
        for (String l : lines(watchResult.get().out())) {
            Matcher m = line.matcher(l);
            assertThat(m.matches()).as("watch line \"%s\"", l).isTrue();
            seen.add(m.group(1) + " " + m.group(2));
            long rv = Long.parseLong(m.group(3));
            assertThat(rv).as("resourceVersions grow").isGreaterThan(previous);
            previous = rv;
        }
        assertThat(seen).containsExactly("ADDED first", "ADDED second", "MODIFIED second", "DELETED second");
    }

    @Test
    void auditListsRecordsAndVerifiesTheChain() throws Exception {
        assertThat(admin("apply", "-f", write("a.yaml", """
                kind: Tenant
                metadata: {name: audit-co}
                spec: {}
                ---
                kind: ServiceAccount
                metadata: {name: bot, tenant: audit-co}
                spec: {role: viewer}
                """).toString()).exit()).isZero();
        Cli.Result tenants = admin("audit", "--kind", "Tenant");
        assertThat(tenants.exit()).as(tenants.toString()).isZero();
        assertThat(lines(tenants.out()).get(0).split("\\s+")).containsExactly("SEQ", "AT", "ACTOR", "VERB", "OBJECT", "OUTCOME", "REASON");
        assertThat(lines(tenants.out())).anySatisfy(l -> assertThat(l.split("\\s+")).containsSubsequence("user:admin", "create", "Tenant/audit-co", "201"));
        // the tenant's audit holds its own objects and the changes to its Tenant object
        Cli.Result inTenant = admin("audit", "--tenant", "audit-co");
        assertThat(lines(inTenant.out())).anySatisfy(l -> assertThat(l.split("\\s+")).containsSubsequence("user:admin", "create", "ServiceAccount/audit-co/bot", "201"));
        assertThat(lines(inTenant.out())).anySatisfy(l -> assertThat(l.split("\\s+")).containsSubsequence("user:admin", "create", "Tenant/audit-co", "201"));
        assertThat(lines(inTenant.out())).allSatisfy(l -> assertThat(l).doesNotContain("delete-co"));

        Cli.Result json = admin("audit", "--actor", "user:admin", "--limit", "5", "-o", "json");
        assertThat(json.exit()).isZero();
        JsonNode records = Json.tree(json.out());
        assertThat(records.isArray()).isTrue();
        assertThat(records.size()).isBetween(1, 5);
        records.forEach(r -> assertThat(r.path("actor").asText()).isEqualTo("user:admin"));

        Cli.Result verify = admin("audit", "verify");
        assertThat(verify.exit()).as(verify.toString()).isZero();
        assertThat(verify.out()).startsWith("audit chain intact: ").contains(" records, head ");
    }

    @Test
    void anIssuedTokenWorksUntilItIsRevoked() throws Exception {
        assertThat(admin("apply", "-f", write("u.yaml", """
                kind: User
                metadata: {name: erin}
                spec: {displayName: Erin}
                """).toString()).exit()).isZero();
        Cli.Result created = admin("token", "create", "--user", "erin", "--description", "cli test");
        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(lines(created.out())).hasSize(1);
        String token = created.out().trim();
        Matcher id = Pattern.compile("token (\\S+) for User erin").matcher(created.err());
        assertThat(id.find()).as(created.err()).isTrue();

        Cli.Result whoami = Cli.run("whoami", "--server", server.url(), "--token", token);
        assertThat(whoami.exit()).as(whoami.toString()).isZero();
        assertThat(whoami.out()).startsWith("user:erin at " + server.url());
        assertThat(admin("token", "list").out()).contains(id.group(1), "erin", "active", "cli test");

        Cli.Result revoked = admin("token", "revoke", id.group(1));
        assertThat(revoked.exit()).as(revoked.toString()).isZero();
        Cli.Result denied = Cli.run("whoami", "--server", server.url(), "--token", token);
        assertThat(denied.exit()).as(denied.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(lines(denied.err())).hasSize(1);
        assertThat(admin("token", "list").out()).contains("revoked");
    }

    @Test
    void invalidYamlExitsSixNamingTheFile() throws Exception {
        Path bad = write("broken.yaml", "kind: Tenant\nmetadata: {name: [unclosed\n");
        Cli.Result r = admin("apply", "-f", bad.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).contains(bad.toString()).contains("not valid YAML");
        assertThat(r.out()).isEmpty();

        Cli.Result invalid = admin("apply", "-f", write("invalid.yaml", """
                kind: Tenant
                metadata: {name: Not_A_Name}
                spec: {members: [{user: x, role: boss}]}
                """).toString());
        assertThat(invalid.exit()).as(invalid.toString()).isEqualTo(ExitCodes.INVALID);
        assertThat(invalid.err()).contains("invalid.yaml (document 1)", "spec.members[0].role");
    }

    @Test
    void anUnknownKindExitsThree() throws Exception {
        Cli.Result get = admin("get", "widgets");
        assertThat(get.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(get.err()).contains("unknown kind \"widgets\"", "tenants", "projects");
        Cli.Result apply = admin("apply", "-f", write("widget.yaml", "kind: Widget\nmetadata: {name: w}\nspec: {}\n").toString());
        assertThat(apply.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(apply.err()).contains("widget.yaml (document 1)", "unknown kind \"Widget\"");
    }

    @Test
    void anUnreachableServerExitsSeven() {
        Cli.Result r = Cli.run("get", "tenants", "--server", "http://127.0.0.1:1", "--token", "whatever");
        assertThat(r.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err()).contains("cannot reach the Millwright server at http://127.0.0.1:1");
        assertThat(lines(r.err())).hasSize(1);
    }

    @Test
    void aWrongTokenExitsFive() {
        Cli.Result r = Cli.run("get", "tenants", "--server", server.url(), "--token", "not-a-token");
        assertThat(r.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(lines(r.err())).hasSize(1);
    }

    @Test
    void loginSavesAPrivateConfigThatLaterCommandsUse() throws Exception {
        Path config = tmp.resolve("home").resolve(".millwright").resolve("config.yaml");
        Cli.Result refused = Cli.run("login", "--server", server.url(), "--token", "not-a-token", "--config", config.toString());
        assertThat(refused.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(config).doesNotExist();

        Cli.Result login = Cli.run("login", "--server", server.url() + "/", "--token", server.adminToken(), "--config", config.toString());
        assertThat(login.exit()).as(login.toString()).isZero();
        assertThat(login.out()).contains("logged in to " + server.url() + " as user:admin");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        assertThat(Files.readString(config)).isEqualTo("server: " + server.url() + "\ntoken: " + server.adminToken() + "\n");
        try (Stream<Path> siblings = Files.list(config.getParent())) {
            assertThat(siblings).containsExactly(config);
        }

        Cli.Result whoami = Cli.run("whoami", "--config", config.toString());
        assertThat(whoami.exit()).as(whoami.toString()).isZero();
        assertThat(whoami.out()).startsWith("user:admin (platform admin) at " + server.url());
        Cli.Result missing = Cli.run("whoami", "--config", tmp.resolve("nope.yaml").toString());
        assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
    }

    // ---- helpers

    private static Cli.Result admin(String... args) {
        return Cli.run(withAdmin(args));
    }

    /** The arguments followed by --server and --token for the admin (options may follow the positionals). */
    private static String[] withAdmin(String... args) {
        return Cli.against(server, server.adminToken(), args);
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(tmp.resolve(name), content);
    }

    /** A cell of a table whose cells hold no spaces, by its column's header. */
    private static String cell(List<String> table, int row, String header) {
        int column = List.of(table.get(0).split("\\s+")).indexOf(header);
        assertThat(column).as("column %s in %s", header, table.get(0)).isNotNegative();
        return table.get(row).split("\\s+")[column];
    }

    private static List<String> lines(String s) {
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }

    /** A user, a tenant of which they are admin, a project and a service account. */
    private static String tenancy(String tenant, String user, String displayName) {
        return """
                apiVersion: millwright.dev/v1
                kind: User
                metadata:
                  name: %2$s
                spec:
                  displayName: %2$s
                ---
                kind: Tenant
                metadata:
                  name: %1$s
                  labels: {tier: gold}
                spec:
                  displayName: %3$s
                  members:
                    - {user: %2$s, role: tenant-admin}
                ---
                kind: Project
                metadata: {name: vision, tenant: %1$s}
                spec:
                  members:
                    - {user: %2$s, role: practitioner}
                ---
                kind: ServiceAccount
                metadata: {name: ci, tenant: %1$s}
                spec: {role: practitioner}
                """.formatted(tenant, user, displayName);
    }
}
