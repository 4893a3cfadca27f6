package dev.millwright.infra.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.millwright.catalog.BuiltInCatalog;
import dev.millwright.catalog.Catalog;
import dev.millwright.catalog.Pack;
import dev.millwright.resource.Json;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceCodec;
import dev.millwright.workload.ResolvedWorkload;
import dev.millwright.workload.WorkloadCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's AppTemplates (examples/demo/60-apptemplates.yaml) turned into workloads the way the server does
 * it, through {@link WorkloadCheck}: what a practitioner deploying each would get rendered.
 */
final class DemoApps {
    /** Parameters a practitioner would give each demo template. */
    private static final Map<String, String> PARAMETERS = Map.of(
            "vllm-inference", "{\"model\":\"meta-llama/Llama-3.1-8B-Instruct\"}",
            "triton-inference", "{\"modelRepository\":\"s3://acme-models/resnet\"}",
            "ray-cluster", "{}",
            "pytorch-training", "{\"image\":\"ghcr.io/acme/llama-train:1.4\",\"script\":\"/workspace/train.py\"}",
            "jupyter-notebook", "{}",
            "rag-pipeline", "{\"model\":\"mistralai/Mistral-7B-Instruct-v0.3\"}");

    private DemoApps() {
    }

    static List<ResolvedWorkload> resolved() {
        Catalog catalog = BuiltInCatalog.load();
        List<Pack> stack = new ArrayList<>();
        for (String[] p : new String[][] {{"gpu-driver", "580.95.05"}, {"cuda", "12.8.0"}, {"vllm", "0.9.2"},
                {"triton-inference-server", "25.06"}, {"kuberay", "1.4.2"}, {"kubeflow-trainer", "2.1.0"}, {"jupyterhub", "4.2.0"}}) {
            stack.add(catalog.find(p[0], p[1]).orElseThrow());
        }
        var env = new WorkloadCheck.Environment("prod", Json.tree("{\"stage\":\"prod\"}"), "demo@1.0.0", stack,
                Map.of("NVIDIA H100 80GB HBM3", 32));
        List<ResolvedWorkload> out = new ArrayList<>();
        for (Resource app : apps()) {
            Resource w = ResourceCodec.fromTree(Json.tree("{\"kind\":\"Workload\",\"metadata\":{\"name\":\"demo-" + app.name()
                    + "\",\"tenant\":\"acme\"},\"spec\":{\"environment\":\"prod\",\"app\":\"" + app.name() + "\",\"parameters\":"
                    + PARAMETERS.get(app.name()) + "}}"));
            WorkloadCheck.Result r = WorkloadCheck.check(w, app.name(), app.spec(), env, Map.of());
            if (!r.admitted()) throw new AssertionError(app.name() + ": " + r.errors());
            out.add(r.workload());
        }
        return out;
    }

    private static List<Resource> apps() {
        List<Resource> out = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = Json.YAML.readerFor(JsonNode.class)
                .readValues(Files.readString(Path.of("../examples/demo/60-apptemplates.yaml")))) {
            while (docs.hasNext()) out.add(ResourceCodec.fromTree(docs.next()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
