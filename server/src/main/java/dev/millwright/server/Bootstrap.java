package dev.millwright.server;

import dev.millwright.resource.ConflictException;
import dev.millwright.resource.Json;
import dev.millwright.resource.ObjectMeta;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.store.ResourceStore;
import dev.millwright.store.Tokens;
import dev.millwright.store.WriteContext;
import dev.millwright.tenancy.TenancyKinds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The first platform admin: user {@code admin}, created on first start, with a token in
 * {@code <data dir>/admin.token} (mode 0600). A token file that still works is kept; otherwise a new token is
 * issued and the file replaced. The first start also stores the default policy set.
 */
final class Bootstrap {
    static final String ADMIN = "admin";
    static final String ACTOR = "system:bootstrap";

    private Bootstrap() {
    }

    static Path ensureAdmin(ResourceStore store, Tokens tokens, Path dataDir) {
        ResourceKey key = ResourceKey.platform(TenancyKinds.USER, ADMIN);
        if (store.get(key).isEmpty()) {
            try {
                store.create(new Resource(TenancyKinds.USER, ObjectMeta.named(ADMIN, ""),
                        Json.object().put("displayName", "Platform administrator").put("platformAdmin", true), null),
                        WriteContext.of(ACTOR));
                defaultPolicies(store);
            } catch (ConflictException e) {
                // another replica created it first
            }
        }
        Path file = dataDir.resolve("admin.token");
        try {
            if (Files.exists(file)) {
                String existing = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (tokens.authenticate(existing).filter(t -> t.subject().equals(ADMIN)).isPresent()) return file;
            }
            String uid = store.get(key).orElseThrow().metadata().uid();
            Tokens.Issued issued = tokens.issue(TenancyKinds.USER, "", ADMIN, uid, "bootstrap token of millwright up", null, ACTOR);
            writePrivate(file, issued.token() + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin token to " + file, e);
        }
    }

    /**
     * The shipped policy set, on first start only: a team that deletes or changes one keeps its choice across
     * restarts.
     */
    private static void defaultPolicies(ResourceStore store) {
        for (com.fasterxml.jackson.databind.JsonNode m : dev.millwright.policy.DefaultPolicies.manifests()) {
            Resource policy = new Resource(dev.millwright.policy.PolicyKinds.POLICY, ObjectMeta.named(m.path("metadata").path("name").asText(), ""),
                    (com.fasterxml.jackson.databind.node.ObjectNode) m.path("spec"), null);
            try {
                store.create(policy, WriteContext.of(ACTOR));
            } catch (ConflictException e) {
                // a replica starting beside this one wrote it
            }
        }
    }

    /** Writes a file readable by its owner only, created with that mode so it is never readable by others. */
    static void writePrivate(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp); // not a POSIX file system
        }
        Files.writeString(tmp, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
