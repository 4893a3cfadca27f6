package dev.millwright.sbom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.catalog.Pack;
import dev.millwright.resource.Json;
import dev.millwright.workload.ResolvedWorkload;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * An environment's software bill of materials in CycloneDX 1.6 JSON: the environment as the subject, each pack
 * of its stack (the GPU driver as a device driver, the OS as an operating system, the rest as frameworks) with
 * the packages it contains (PyPI and Go packages, container images, Helm charts, each with its package URL),
 * each workload's images, and the dependency graph between them. Pure: packs, workloads and the clock come in.
 *
 * <p>Written with Jackson rather than org.cyclonedx:cyclonedx-core-java: that library loads json-schema-validator
 * 1.x classes even to write a BOM, and the server runs 2.x. The tests validate the output against CycloneDX's own
 * 1.6 schema.
 */
public final class EnvironmentSbom {
    /** CycloneDX's media type for the JSON form. */
    public static final String MEDIA_TYPE = "application/vnd.cyclonedx+json";

    private EnvironmentSbom() {
    }

    /** The bill of materials of {@code tenant/environment}, which runs {@code template} ("llm@1.1.0"). */
    public static ObjectNode build(String tenant, String environment, String template, List<Pack> packs, List<ResolvedWorkload> workloads,
                                   Instant now) {
        ObjectNode bom = Json.object().put("bomFormat", "CycloneDX").put("specVersion", "1.6")
                .put("serialNumber", "urn:uuid:" + UUID.nameUUIDFromBytes((tenant + "/" + environment + "@" + now).getBytes(StandardCharsets.UTF_8)))
                .put("version", 1);
        ObjectNode metadata = bom.putObject("metadata").put("timestamp", now.toString());
        metadata.putObject("tools").putArray("components").addObject().put("type", "application").put("name", "millwright");
        String root = "environment:" + tenant + "/" + environment;
        metadata.putObject("component").put("type", "platform").put("bom-ref", root).put("group", tenant).put("name", environment)
                .put("version", template);

        ArrayNode components = bom.putArray("components");
        ArrayNode dependencies = bom.putArray("dependencies");
        ArrayNode rootDepends = dependencies.addObject().put("ref", root).putArray("dependsOn");
        Set<String> refs = new HashSet<>();
        refs.add(root);
        for (Pack pack : packs) {
            String ref = "pack:" + pack.name() + "@" + pack.version();
            if (!refs.add(ref)) continue;
            ObjectNode c = components.addObject().put("type", switch (pack.layer()) {
                case OS -> "operating-system";
                case GPU_DRIVER -> "device-driver";
                default -> "framework";
            }).put("bom-ref", ref).put("name", pack.name()).put("version", pack.version().toString());
            property(c, "millwright:layer", pack.layer().wireName());
            rootDepends.add(ref);
            ArrayNode packDepends = dependencies.addObject().put("ref", ref).putArray("dependsOn");
            ArrayNode inside = null;
            for (Pack.SoftwarePackage p : pack.packages()) {
                ObjectNode sub = software(p.ecosystem(), p.name(), p.version());
                String subRef = sub.path("bom-ref").asText();
                // a package two packs share is listed once (bom-refs are unique) and depended on by both
                if (refs.add(subRef)) {
                    if (inside == null) inside = c.putArray("components");
                    inside.add(sub);
                }
                if (!contains(packDepends, subRef)) packDepends.add(subRef);
            }
        }
        for (ResolvedWorkload w : workloads) {
            for (ResolvedWorkload.Component part : w.components()) {
                if (part.image() == null || part.image().isBlank()) continue;
                ObjectNode image = image(part.image());
                String ref = image.path("bom-ref").asText();
                if (!refs.add(ref)) continue;
                property(image, "millwright:workload", w.name());
                property(image, "millwright:component", part.name());
                components.add(image);
                rootDepends.add(ref);
            }
        }
        return bom;
    }

    /** A package a pack contains, with its package URL where its ecosystem has a type. */
    static ObjectNode software(String ecosystem, String name, String version) {
        if (ecosystem.equals("container")) return image(name + ":" + version);
        String purl = switch (ecosystem) {
            case "PyPI" -> "pkg:pypi/" + name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-") + "@" + version;
            case "Go" -> "pkg:golang/" + name + "@" + (version.startsWith("v") ? version : "v" + version);
            case "helm" -> "pkg:helm/" + name + "@" + version;
            default -> "pkg:generic/" + name + "@" + version;
        };
        ObjectNode c = Json.object().put("type", "library").put("bom-ref", purl).put("name", name).put("version", version).put("purl", purl);
        property(c, "millwright:ecosystem", ecosystem);
        return c;
    }

    /** A container image ("nvcr.io/nvidia/gpu-operator:v25.10.1") with its OCI package URL. */
    static ObjectNode image(String reference) {
        int slash = reference.lastIndexOf('/');
        int colon = reference.lastIndexOf(':');
        String repository = colon > slash ? reference.substring(0, colon) : reference;
        String tag = colon > slash ? reference.substring(colon + 1) : "latest";
        String name = repository.substring(repository.lastIndexOf('/') + 1);
        boolean registryNamed = repository.contains("/") && repository.substring(0, repository.indexOf('/')).contains(".");
        String location = registryNamed ? repository : "docker.io/" + (repository.contains("/") ? repository : "library/" + repository);
        String purl = "pkg:oci/" + name.toLowerCase(Locale.ROOT) + "@" + tag + "?repository_url=" + location;
        return Json.object().put("type", "container").put("bom-ref", purl).put("name", repository).put("version", tag).put("purl", purl);
    }

    private static void property(ObjectNode c, String name, String value) {
        ArrayNode props = c.has("properties") ? (ArrayNode) c.get("properties") : c.putArray("properties");
        props.addObject().put("name", name).put("value", value);
    }

    private static boolean contains(ArrayNode list, String value) {
        for (var v : list) if (v.asText().equals(value)) return true;
        return false;
    }
}
