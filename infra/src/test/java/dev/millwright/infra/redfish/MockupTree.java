package dev.millwright.infra.redfish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The resources of a Redfish mockup, read from the test class path (a directory while this module's tests run, the
 * infra test-jar when another module's do): a DMTF short-form tree under {@code redfish/<name>/}, where each
 * resource is {@code <path>/index.json}, or a bundle {@code redfish/synthetic/<name>.json} holding one JSON object of
 * path to resource. Keys are paths in {@link Odata#key} form (lower case, no trailing slash), so that lookups
 * ignore case and trailing slashes as real BMCs do. Read once per tree and shared: callers copy before changing.
 */
final class MockupTree {
    private static final Map<String, Map<String, byte[]>> CACHE = new ConcurrentHashMap<>();

    private MockupTree() {
    }

    /** Path key to the raw JSON of each resource of the mockup {@code name}. */
    static Map<String, byte[]> load(String name) {
        return CACHE.computeIfAbsent(name, MockupTree::read);
    }

    private static Map<String, byte[]> read(String name) {
        if (name.startsWith("synthetic/")) return readBundle(name);
        URL marker = MockupTree.class.getClassLoader().getResource("redfish/" + name + "/index.json");
        if (marker == null) throw new IllegalArgumentException("no Redfish mockup redfish/" + name + " on the class path");
        try {
            URI uri = marker.toURI();
            if (uri.getScheme().equals("jar")) {
                FileSystem fs;
                try {
                    fs = FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                }
                return walk(fs.provider().getPath(uri).getParent());
            }
            return walk(Path.of(uri).getParent());
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot read mockup " + name + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, byte[]> walk(Path root) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> p.getFileName() != null && p.getFileName().toString().equals("index.json")).forEach(p -> {
                String relative = root.relativize(p.getParent()).toString().replace('\\', '/');
                String path = relative.isEmpty() ? "/redfish/v1" : "/redfish/v1/" + relative;
                try {
                    out.put(Odata.key(path), Files.readAllBytes(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return Map.copyOf(out);
    }

    private static Map<String, byte[]> readBundle(String name) {
        String resource = "redfish/" + name + (name.endsWith(".json") ? "" : ".json");
        try (var in = MockupTree.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalArgumentException("no Redfish bundle " + resource + " on the class path");
            var tree = dev.millwright.resource.Json.MAPPER.readTree(in);
            Map<String, byte[]> out = new HashMap<>();
            tree.fields().forEachRemaining(e -> out.put(Odata.key(e.getKey()),
                    dev.millwright.resource.Json.string(e.getValue()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return Map.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The case-folded key of a request path, as in {@link #load}; a query ({@code ?$skip=6}) stays part of it. */
    static String key(String requestPath) {
        int q = requestPath.indexOf('?');
        String query = q < 0 ? "" : requestPath.substring(q).toLowerCase(Locale.ROOT);
        return Odata.key(q < 0 ? requestPath : requestPath.substring(0, q)).toLowerCase(Locale.ROOT) + query;
    }
}
