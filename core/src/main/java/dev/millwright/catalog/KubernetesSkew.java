package dev.millwright.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Kubernetes' version-skew policy, read from {@code catalog/kubernetes_version_skew_policy.json} (a copy of
 * the policy page, with its source): how many minors each component may be from kube-apiserver, and that an
 * upgrade never skips a minor. Day-2 plans check every intermediate state against it.
 */
public final class KubernetesSkew {
    /** One component's allowed distance, in minor versions, from kube-apiserver (or its newest HA peer). */
    public record Rule(String component, int minOffset, int maxOffset, String note) {
    }

    private static final KubernetesSkew POLICY = load();

    private final List<Rule> rules;
    private final String source;

    private KubernetesSkew(List<Rule> rules, String source) {
        this.rules = List.copyOf(rules);
        this.source = source;
    }

    public static KubernetesSkew policy() {
        return POLICY;
    }

    public List<Rule> rules() {
        return rules;
    }

    public String source() {
        return source;
    }

    /**
     * Why {@code component} at {@code version} may not run beside kube-apiserver at {@code apiServer}, or
     * empty when the policy allows it.
     */
    public Optional<String> violation(String component, Version version, Version apiServer) {
        Rule rule = rules.stream().filter(r -> List.of(r.component().split("\\|")).contains(component)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the skew policy has no rule for " + component));
        if (version.major() != apiServer.major()) return Optional.of(component + " " + version + " and kube-apiserver " + apiServer + " differ in major version");
        int offset = version.minor() - apiServer.minor();
        int min = rule.minOffset();
        // before 1.25 the kubelet and kube-proxy could trail by two minors only
        if (component.equals("kubelet") || component.equals("kube-proxy")) min = version.minor() < 25 ? -2 : min;
        if (offset >= min && offset <= rule.maxOffset()) return Optional.empty();
        return Optional.of(component + " " + version + " may be " + describe(min, rule.maxOffset()) + " kube-apiserver " + apiServer
                + " (Kubernetes version-skew policy, " + source + ")");
    }

    /** The minors an upgrade passes through, one at a time: 1.31 to 1.33 is [1.32, 1.33]. */
    public static List<String> upgradePath(Version from, Version to) {
        if (to.major() != from.major()) throw new IllegalArgumentException("no upgrade path across major versions " + from + " -> " + to);
        List<String> out = new ArrayList<>();
        for (int minor = from.minor() + 1; minor <= to.minor(); minor++) out.add(from.major() + "." + minor);
        return out;
    }

    private static String describe(int min, int max) {
        String older = min == 0 ? "no minor older than" : "at most " + -min + " minor" + (min == -1 ? "" : "s") + " older than";
        String newer = max == 0 ? "and not newer than" : "and at most " + max + " newer than";
        return older + " " + newer;
    }

    private static KubernetesSkew load() {
        try (InputStream in = KubernetesSkew.class.getResourceAsStream("/catalog/kubernetes_version_skew_policy.json")) {
            if (in == null) throw new IllegalStateException("catalog/kubernetes_version_skew_policy.json is missing from the classpath");
            JsonNode json = Json.MAPPER.readTree(in);
            List<Rule> rules = new ArrayList<>();
            json.path("rules").forEach(r -> rules.add(new Rule(r.path("component").asText().replace(" (HA peers)", ""),
                    r.path("min_minor_offset").asInt(), r.path("max_minor_offset").asInt(), r.path("note").asText(""))));
            return new KubernetesSkew(rules, json.path("source").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
