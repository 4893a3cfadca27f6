package dev.millwright.infra.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.infra.redfish.RedfishException.Failure;
import dev.millwright.resource.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Virtual media: an image URL the BMC mounts as a CD for the host. The drive is found under the system
 * ({@code VirtualMedia}) or, on older BMCs, under the managers that manage it; the first one taking CD or DVD media
 * is used. Insert and eject use the {@code VirtualMedia.InsertMedia} / {@code EjectMedia} actions when the drive
 * offers them, and otherwise a PATCH of {@code Image} and {@code Inserted} with If-Match (the pre-2018 way, still
 * what many BMCs and the DMTF mockups show). An occupied drive is ejected first, as BMCs refuse to insert over
 * another image; the same image already inserted is left alone.
 */
final class VirtualMediaControl {
    /** The drive's state. */
    record Media(String path, String image, boolean inserted) {
    }

    private VirtualMediaControl() {
    }

    static Media state(RedfishClient client, String systemPath) {
        String path = cdDrive(client, systemPath);
        JsonNode vm = client.read(path);
        return new Media(path, Odata.text(vm.path("Image")), vm.path("Inserted").asBoolean(false));
    }

    static Media insert(RedfishClient client, String systemPath, String image) {
        String path = cdDrive(client, systemPath);
        JsonNode vm = client.read(path);
        boolean inserted = vm.path("Inserted").asBoolean(false);
        if (inserted && image.equals(Odata.text(vm.path("Image")))) return new Media(path, image, true);
        if (inserted) eject(client, path, vm);
        ObjectNode body = Json.object().put("Image", image).put("Inserted", true).put("WriteProtected", true);
        String action = Odata.text(vm.path("Actions").path("#VirtualMedia.InsertMedia").path("target"));
        RedfishClient.Reply r = action != null ? client.post(action, body) : patch(client, path, body);
        if (r.status() == 400) {
            throw new RedfishException(Failure.NOT_ALLOWED, 400, "virtual media " + Odata.pathOf(path) + " refused image " + image + ": " + r.message(), null);
        }
        if (!r.ok()) throw client.failed(r);
        return new Media(path, image, true);
    }

    static Media eject(RedfishClient client, String systemPath) {
        String path = cdDrive(client, systemPath);
        JsonNode vm = client.read(path);
        if (vm.path("Inserted").asBoolean(false) || Odata.text(vm.path("Image")) != null) eject(client, path, vm);
        return new Media(path, null, false);
    }

    private static void eject(RedfishClient client, String path, JsonNode vm) {
        String action = Odata.text(vm.path("Actions").path("#VirtualMedia.EjectMedia").path("target"));
        ObjectNode body = Json.object();
        if (action == null) body.putNull("Image").put("Inserted", false);
        RedfishClient.Reply r = action != null ? client.post(action, body) : patch(client, path, body);
        if (!r.ok()) throw client.failed(r);
    }

    /** PATCH with the ETag just read, once more after a 412. */
    private static RedfishClient.Reply patch(RedfishClient client, String path, ObjectNode body) {
        RedfishClient.Reply r = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            String etag = client.get(path).etag();
            r = client.patch(path, body, etag);
            if (r.status() != 412) return r;
        }
        throw new RedfishException(Failure.CONFLICT, 412, "virtual media " + Odata.pathOf(path)
                + " changed between our read and our write twice in a row (412 on If-Match)", null);
    }

    /** The system's CD drive, or its managers'. */
    private static String cdDrive(RedfishClient client, String systemPath) {
        JsonNode system = client.read(systemPath);
        List<String> collections = new ArrayList<>();
        String own = Odata.link(system, "VirtualMedia");
        if (own != null) collections.add(own);
        for (String manager : Odata.links(system.path("Links"), "ManagedBy")) {
            client.find(manager).map(m -> Odata.link(m, "VirtualMedia")).ifPresent(collections::add);
        }
        String id = SystemTarget.idOf(system, systemPath);
        if (collections.isEmpty()) {
            throw new RedfishException(Failure.NOT_SUPPORTED, "system " + id + " has no VirtualMedia, and neither have the managers it links"
                    + " (Links.ManagedBy): boot it from PXE or UEFI HTTP instead");
        }
        List<String> seen = new ArrayList<>();
        String fallback = null;
        for (String collection : collections) {
            for (String member : client.members(collection)) {
                JsonNode vm = client.find(member).orElse(null);
                if (vm == null) continue;
                JsonNode types = vm.path("MediaTypes");
                if (!types.isArray() || types.isEmpty()) {
                    if (fallback == null) fallback = member;
                    continue;
                }
                for (JsonNode t : types) {
                    String type = t.asText().toUpperCase(Locale.ROOT);
                    if (type.equals("CD") || type.equals("DVD")) return member;
                    seen.add(t.asText());
                }
            }
        }
        if (fallback != null) return fallback;
        throw new RedfishException(Failure.NOT_SUPPORTED, "system " + id + " has virtual media for " + String.join(", ", seen)
                + " only, no CD or DVD drive to boot an installer from");
    }
}
