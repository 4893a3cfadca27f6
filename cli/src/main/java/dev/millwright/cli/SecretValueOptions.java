package dev.millwright.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/**
 * Where the values of a secret come from on the command line. Values are sent once and never printed; messages
 * name keys and files only. {@code --from-literal} puts the value in the shell's history and the process list:
 * prefer files for anything real.
 */
final class SecretValueOptions {
    @Option(names = "--from-literal", paramLabel = "KEY=VALUE", description = "a value given on the command line")
    List<String> literals = new ArrayList<>();

    @Option(names = "--from-file", paramLabel = "[KEY=]PATH", description = "a value read from a file (UTF-8 text); the key defaults to the file's name")
    List<String> files = new ArrayList<>();

    @Option(names = "--from-env-file", paramLabel = "PATH", description = "KEY=VALUE lines ('#' comments and blank lines skipped)")
    List<Path> envFiles = new ArrayList<>();

    /** Every value given, as {@code spec.data}; a key given twice is an error. */
    ObjectNode data() {
        Map<String, String> values = new TreeMap<>();
        for (String literal : literals) {
            int eq = literal.indexOf('=');
            if (eq <= 0) throw new CliException(ExitCodes.USAGE, "error: --from-literal takes KEY=VALUE");
            put(values, literal.substring(0, eq), literal.substring(eq + 1), "--from-literal");
        }
        for (String file : files) {
            int eq = file.indexOf('=');
            Path path = Path.of(eq < 0 ? file : file.substring(eq + 1));
            String key = eq < 0 ? String.valueOf(path.getFileName()) : file.substring(0, eq);
            put(values, key, text(path), "--from-file " + path);
        }
        for (Path envFile : envFiles) {
            List<String> lines = text(envFile).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank() || line.strip().startsWith("#")) continue;
                int eq = line.indexOf('=');
                if (eq <= 0) throw new CliException(ExitCodes.USAGE, "error: " + envFile + " line " + (i + 1) + " is not KEY=VALUE");
                put(values, line.substring(0, eq).strip(), line.substring(eq + 1), envFile + " line " + (i + 1));
            }
        }
        ObjectNode data = Json.object();
        values.forEach(data::put);
        return data;
    }

    boolean isEmpty() {
        return literals.isEmpty() && files.isEmpty() && envFiles.isEmpty();
    }

    private static void put(Map<String, String> values, String key, String value, String source) {
        if (values.put(key, value) != null) throw new CliException(ExitCodes.USAGE, "error: key " + key + " is given twice (again by " + source + ")");
    }

    private static String text(Path file) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new CliException(ExitCodes.USAGE, "error: " + file + " is not UTF-8 text; secret values are text");
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "error: cannot read " + file + ": " + e.getClass().getSimpleName());
        }
    }
}
