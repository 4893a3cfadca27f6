package dev.millwright.infra.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.infra.BootSource;
import dev.millwright.infra.redfish.RedfishException.Failure;
import dev.millwright.resource.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * A one-time boot override: PATCH of the system's {@code Boot} with {@code BootSourceOverrideEnabled: Once}, sent
 * with the ETag just read in {@code If-Match}, so that a change made by someone else in between is not silently
 * overwritten. On 412 the system is read again and the PATCH repeated once with the new ETag; a second 412 is a
 * {@link Failure#CONFLICT}. The target must be one the BMC lists in
 * {@code BootSourceOverrideTarget@Redfish.AllowableValues} when it lists any. The setting is read back, since some
 * BMCs accept a PATCH they then ignore.
 */
final class BootOverride {
    /** The current override of a system. */
    record Settings(String target, String enabled, String mode, String httpBootUri) {
    }

    private BootOverride() {
    }

    static String targetFor(BootSource source) {
        return switch (source) {
            case PXE -> "Pxe";
            case VIRTUAL_MEDIA -> "Cd";
            case UEFI_HTTP -> "UefiHttp";
            case DISK -> "Hdd";
        };
    }

    static Settings read(RedfishClient client, String systemPath) {
        JsonNode boot = client.read(systemPath).path("Boot");
        return new Settings(Odata.text(boot.path("BootSourceOverrideTarget")), Odata.text(boot.path("BootSourceOverrideEnabled")),
                Odata.text(boot.path("BootSourceOverrideMode")), Odata.text(boot.path("HttpBootUri")));
    }

    /** Sets the next boot (only) to come from {@code source}; {@code httpBootUri} is the image for UEFI HTTP boot. */
    static void once(RedfishClient client, String systemPath, BootSource source, String httpBootUri) {
        String wanted = targetFor(source);
        for (int attempt = 1; ; attempt++) {
            RedfishClient.Reply read = client.get(systemPath);
            JsonNode system = client.object(read);
            String id = SystemTarget.idOf(system, systemPath);
            JsonNode boot = system.path("Boot");
            String target = allowedSpelling(boot, wanted, id);
            ObjectNode patch = Json.object();
            ObjectNode b = patch.putObject("Boot").put("BootSourceOverrideTarget", target).put("BootSourceOverrideEnabled", "Once");
            if (source == BootSource.UEFI_HTTP) {
                if (httpBootUri != null) b.put("HttpBootUri", httpBootUri);
                if (boot.has("BootSourceOverrideMode") && !Odata.is(boot, "BootSourceOverrideMode", "UEFI")) b.put("BootSourceOverrideMode", "UEFI");
            }
            RedfishClient.Reply r = client.patch(systemPath, patch, read.etag());
            if (r.status() == 412 && attempt == 1) continue; // changed since we read it: read again, try once more
            if (r.status() == 412) {
                throw new RedfishException(Failure.CONFLICT, 412, "the boot settings of system " + id
                        + " changed between our read and our write twice in a row (412 on If-Match); try again later", null);
            }
            if (r.status() == 400) {
                throw new RedfishException(Failure.NOT_ALLOWED, 400, "system " + id + " refused boot override " + target + ": " + r.message(), null);
            }
            if (r.status() == 405) {
                throw new RedfishException(Failure.NOT_SUPPORTED, 405, "system " + id + " does not allow its boot settings to be changed: " + r.message(), null);
            }
            if (!r.ok()) throw client.failed(r);
            Settings now = read(client, systemPath);
            if (now.target() == null || !now.target().equalsIgnoreCase(target) || now.enabled() == null
                    || now.enabled().equalsIgnoreCase("Disabled")) {
                throw new RedfishException(Failure.HTTP_ERROR, r.status(), "system " + id + " accepted the boot override "
                        + target + " but reads back target " + now.target() + ", enabled " + now.enabled(), null);
            }
            return;
        }
    }

    private static String allowedSpelling(JsonNode boot, String wanted, String id) {
        JsonNode allowed = boot.path("BootSourceOverrideTarget@Redfish.AllowableValues");
        if (!allowed.isArray()) return wanted;
        List<String> values = new ArrayList<>();
        for (JsonNode v : allowed) {
            if (v.asText().equalsIgnoreCase(wanted)) return v.asText();
            values.add(v.asText());
        }
        throw new RedfishException(Failure.NOT_ALLOWED, "system " + id + " allows boot override targets "
                + String.join(", ", values) + ", not " + wanted);
    }
}
