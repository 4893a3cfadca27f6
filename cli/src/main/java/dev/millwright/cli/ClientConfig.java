package dev.millwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the CLI finds its server and token. Flags win, then {@code MILLWRIGHT_SERVER} and
 * {@code MILLWRIGHT_TOKEN}, then the first config file found: {@code --config}, {@code $MILLWRIGHT_CONFIG},
 * {@code ./millwright-data/config.yaml} (written by {@code millwright up} here), {@code ~/.millwright/config.yaml}
 * (written by {@code millwright login}).
 */
record ClientConfig(String server, String token, String source) {
    static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

    static ClientConfig resolve(String serverFlag, String tokenFlag, Path configFlag, Map<String, String> env) {
        String server = firstNonBlank(serverFlag, env.get("MILLWRIGHT_SERVER"));
        String token = firstNonBlank(tokenFlag, env.get("MILLWRIGHT_TOKEN"));
        String source = "flags and environment";
        if (server == null || token == null) {
            for (Path file : candidates(configFlag, env)) {
                if (!Files.isRegularFile(file)) {
                    if (file.equals(configFlag) || env.get("MILLWRIGHT_CONFIG") != null) {
                        throw new CliException(ExitCodes.USAGE, "config file " + file + " does not exist");
                    }
                    continue;
                }
                JsonNode cfg = read(file);
                if (server == null) server = text(cfg, "server");
                if (token == null) token = text(cfg, "token");
                if (token == null && text(cfg, "tokenFile") != null) token = readToken(file.resolveSibling(text(cfg, "tokenFile")));
                source = file.toString();
                break;
            }
        }
        return new ClientConfig(server == null ? DEFAULT_SERVER : stripSlash(server), token, source);
    }

    static List<Path> candidates(Path configFlag, Map<String, String> env) {
        List<Path> out = new ArrayList<>();
        if (configFlag != null) {
            out.add(configFlag);
            return out;
        }
        if (env.get("MILLWRIGHT_CONFIG") != null) {
            out.add(Path.of(env.get("MILLWRIGHT_CONFIG")));
            return out;
        }
        out.add(Path.of("millwright-data", "config.yaml"));
        out.add(homeConfig(env));
        return out;
    }

    static Path homeConfig(Map<String, String> env) {
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".millwright", "config.yaml");
    }

    private static JsonNode read(Path file) {
        try {
            return Json.YAML.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read config file " + file + ": " + e.getMessage());
        }
    }

    private static String readToken(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read token file " + file + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) return a;
        return b != null && !b.isBlank() ? b : null;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
