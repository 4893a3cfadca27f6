package dev.millwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millwright.resource.Json;
import dev.millwright.server.TestServer;
import org.junit.jupiter.api.Test;

class DiffCommandTest {
    @Test
    void showsChangedAddedAndRemovedLayersAndVariables() {
        var a = Json.tree("""
                {"layers":[{"pack":"ubuntu","version":"24.04.4"},{"pack":"gpu-driver","version":"570.195.03"},
                           {"pack":"cuda","version":"12.8.0"},{"pack":"jupyterhub","version":"4.2.0"}],
                 "variables":[{"name":"podCidr","type":"cidr"},{"name":"old","type":"string"}]}""");
        var b = Json.tree("""
                {"layers":[{"pack":"ubuntu","version":"24.04.4"},{"pack":"gpu-driver","version":"580.95.05","values":{"mig":"mixed"}},
                           {"pack":"cuda","version":"13.0.2"},{"pack":"vllm","version":"0.9.2"}],
                 "variables":[{"name":"podCidr","type":"cidr","default":"10.244.0.0/16"},{"name":"region","type":"string"}]}""");
        assertThat(DiffCommand.diff(a, b)).containsExactly(
                "  ubuntu 24.04.4",
                "~ gpu-driver 570.195.03 -> 580.95.05 (values changed)",
                "~ cuda 12.8.0 -> 13.0.2",
                "+ vllm 0.9.2",
                "- jupyterhub 4.2.0",
                "~ variable podCidr: {\"name\":\"podCidr\",\"type\":\"cidr\"} -> {\"name\":\"podCidr\",\"type\":\"cidr\",\"default\":\"10.244.0.0/16\"}",
                "+ variable region (string)",
                "- variable old");
    }

    @Test
    void neverPrintsTheDefaultOfASensitiveVariable() {
        var a = Json.tree("{\"layers\":[],\"variables\":[{\"name\":\"pullSecret\",\"type\":\"string\",\"sensitive\":true,\"default\":\"hunter2\"}]}");
        var b = Json.tree("{\"layers\":[],\"variables\":[{\"name\":\"pullSecret\",\"type\":\"string\",\"sensitive\":true,\"default\":\"s3cret\"}]}");

        assertThat(DiffCommand.diff(a, b)).singleElement().asString()
                .startsWith("~ variable pullSecret:").contains("(sensitive)").doesNotContain("hunter2").doesNotContain("s3cret");
    }

    @Test
    void comparesTwoPublishedVersionsThroughTheApi() {
        try (TestServer server = TestServer.start()) {
            for (String[] v : new String[][] {{"1.2.0", "1.32.13"}, {"1.3.0", "1.33.13"}}) {
                var r = server.admin("POST", "/api/v1/stacktemplates", """
                        {"kind":"StackTemplate","metadata":{"name":"base-%s"},
                         "spec":{"template":"base","version":"%s","layers":[{"pack":"kubernetes","version":"%s"}]}}"""
                        .formatted(v[0].replace('.', '-'), v[0], v[1]));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            }
            Cli.Result diff = Cli.run("diff", "--server", server.url(), "--token", server.adminToken(), "template", "base@1.2.0", "base@1.3.0");
            assertThat(diff.exit()).as(diff.toString()).isZero();
            assertThat(diff.out()).contains("~ kubernetes 1.32.13 -> 1.33.13");
            Cli.Result missing = Cli.run("diff", "--server", server.url(), "--token", server.adminToken(), "template", "base@1.2.0", "base@9.9.9");
            assertThat(missing.exit()).isEqualTo(ExitCodes.NOT_FOUND);
            assertThat(Cli.run("diff", "template", "base", "base@1.3.0").exit()).isEqualTo(ExitCodes.USAGE);
        }
    }
}
