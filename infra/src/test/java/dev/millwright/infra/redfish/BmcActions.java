package dev.millwright.infra.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.resource.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the test BMC does on a write: ComputerSystem.Reset (checked against the allowable values), boot override and
 * virtual media PATCHes, InsertMedia / EjectMedia, and UpdateService.SimpleUpdate with a task monitor that takes a
 * few polls to finish, then sets the new firmware version (or fails with the configured message). Answers as a BMC
 * does: a Redfish error object with a Base message id on refusal. Not thread-safe: {@link TestBmc} serialises calls.
 */
final class BmcActions {
    /** An answer to one request: a JSON body, or raw bytes (a malformed answer). */
    record Answer(int status, JsonNode body, Map<String, String> headers, byte[] raw) {
        Answer(int status, JsonNode body, Map<String, String> headers) {
            this(status, body, headers, null);
        }

        static Answer of(int status, JsonNode body) {
            return new Answer(status, body, Map.of());
        }

        static Answer raw(int status, String text) {
            return new Answer(status, null, Map.of(), text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    static final String MONITORS = "/redfish/v1/TaskService/TaskMonitors/";
    private static final Set<String> BOOT_FIELDS = Set.of("BootSourceOverrideTarget", "BootSourceOverrideEnabled",
            "BootSourceOverrideMode", "HttpBootUri", "UefiTargetBootSourceOverride");
    private static final Pattern VERSION = Pattern.compile("(\\d+(?:\\.\\d+)+)");

    private final BmcResources resources;
    private final Map<String, Integer> polls = new HashMap<>();
    private final List<String> boots = new ArrayList<>();
    private int tasks;
    int taskPolls = 2;
    String taskFailure;

    BmcActions(BmcResources resources) {
        this.resources = resources;
    }

    /** The boot sources the machines booted from, in order ("Node0:Pxe"): a used one-time override. */
    List<String> boots() {
        return List.copyOf(boots);
    }

    Answer post(String path, JsonNode body) {
        String[] owner = resources.actionOwner(path);
        if (owner == null) return error(405, "Base.1.8.OperationNotAllowed", "POST is not allowed on " + path);
        ObjectNode resource = resources.get(owner[0]);
        JsonNode action = resource.path("Actions").path(owner[1]);
        return switch (owner[1]) {
            case "#ComputerSystem.Reset" -> reset(resource, action, body);
            case "#VirtualMedia.InsertMedia" -> media(owner[0], resource, body.path("Image").asText(null), true);
            case "#VirtualMedia.EjectMedia" -> media(owner[0], resource, null, false);
            case "#UpdateService.SimpleUpdate" -> simpleUpdate(action, body);
            default -> error(400, "Base.1.8.ActionNotSupported", "the test BMC does not perform " + owner[1]);
        };
    }

    Answer patch(String path, ObjectNode resource, JsonNode body) {
        String type = BmcResources.odataType(resource);
        if (type.contains("computersystem")) return patchBoot(resource, body);
        if (type.contains("virtualmedia")) {
            if (body.has("Inserted") && !body.get("Inserted").asBoolean()) return media(path, resource, null, false);
            return media(path, resource, body.path("Image").asText(null), true);
        }
        return error(405, "Base.1.8.OperationNotAllowed", "PATCH is not allowed on " + path);
    }

    private Answer reset(ObjectNode system, JsonNode action, JsonNode body) {
        String type = body.path("ResetType").asText(null);
        if (type == null) return error(400, "Base.1.8.ActionParameterMissing", "The action ComputerSystem.Reset requires the parameter ResetType to be present");
        List<String> allowed = resources.allowable(action, "ResetType");
        if (allowed != null && !allowed.contains(type)) {
            return error(400, "Base.1.8.ActionParameterValueNotInList", "The value '" + type + "' for the parameter ResetType is not in the list of acceptable values");
        }
        boolean wasOn = "On".equalsIgnoreCase(system.path("PowerState").asText());
        boolean on = switch (type) {
            case "ForceOff", "GracefulShutdown", "Off" -> false;
            case "PushPowerButton" -> !wasOn;
            case "Nmi" -> wasOn;
            default -> true;
        };
        boolean booted = on && (!wasOn || type.contains("Restart") || type.equals("PowerCycle"));
        system.put("PowerState", on ? "On" : "Off");
        JsonNode boot = system.path("Boot");
        if (booted && boot.isObject() && "Once".equals(boot.path("BootSourceOverrideEnabled").asText())) {
            boots.add(system.path("Id").asText() + ":" + boot.path("BootSourceOverrideTarget").asText());
            ((ObjectNode) boot).put("BootSourceOverrideEnabled", "Disabled"); // a one-time override is used up by the boot
        }
        return Answer.of(204, null);
    }

    private Answer patchBoot(ObjectNode system, JsonNode body) {
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("Boot")) return error(400, "Base.1.8.PropertyNotWritable", "The property " + f + " is a read only property and cannot be assigned a value");
        }
        JsonNode change = body.path("Boot");
        ObjectNode boot = system.path("Boot").isObject() ? (ObjectNode) system.get("Boot") : system.putObject("Boot");
        for (var it = change.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!BOOT_FIELDS.contains(e.getKey())) return error(400, "Base.1.8.PropertyUnknown", "The property " + e.getKey() + " is not in the list of valid properties for the resource");
        }
        JsonNode allowed = boot.path("BootSourceOverrideTarget@Redfish.AllowableValues");
        String target = change.path("BootSourceOverrideTarget").asText(null);
        if (target != null && allowed.isArray() && !contains(allowed, target)) {
            return error(400, "Base.1.8.PropertyValueNotInList", "The value '" + target + "' for the property BootSourceOverrideTarget is not in the list of acceptable values");
        }
        String enabled = change.path("BootSourceOverrideEnabled").asText(null);
        if (enabled != null && !List.of("Disabled", "Once", "Continuous").contains(enabled)) {
            return error(400, "Base.1.8.PropertyValueNotInList", "The value '" + enabled + "' for the property BootSourceOverrideEnabled is not in the list of acceptable values");
        }
        change.fields().forEachRemaining(e -> boot.set(e.getKey(), e.getValue()));
        return Answer.of(204, null);
    }

    private Answer media(String path, ObjectNode vm, String image, boolean insert) {
        if (insert) {
            if (image == null || image.isBlank()) return error(400, "Base.1.8.ActionParameterMissing", "Image is required to insert media");
            if (vm.path("Inserted").asBoolean(false) && !image.equals(vm.path("Image").asText(null))) {
                return error(409, "Base.1.8.ResourceInUse", "The change to the requested resource failed because the resource is in use or in transition: eject "
                        + vm.path("Image").asText() + " first");
            }
            vm.put("Image", image).put("Inserted", true).put("WriteProtected", true).put("ConnectedVia", "URI");
            vm.put("ImageName", image.substring(image.lastIndexOf('/') + 1));
        } else {
            vm.putNull("Image").put("Inserted", false).put("ConnectedVia", "NotConnected");
            vm.remove("ImageName");
        }
        return Answer.of(204, null);
    }

    private Answer simpleUpdate(JsonNode action, JsonNode body) {
        String image = body.path("ImageURI").asText(null);
        if (image == null) return error(400, "Base.1.8.ActionParameterMissing", "The action SimpleUpdate requires the parameter ImageURI to be present");
        String protocol = body.path("TransferProtocol").asText(null);
        List<String> protocols = resources.allowable(action, "TransferProtocol");
        if (protocol == null && resources.required(action, "TransferProtocol")) {
            return error(400, "Base.1.8.ActionParameterMissing", "The action SimpleUpdate requires the parameter TransferProtocol to be present");
        }
        if (protocol != null && protocols != null && !protocols.contains(protocol)) {
            return error(400, "Base.1.8.ActionParameterValueNotInList", "The value '" + protocol + "' for the parameter TransferProtocol is not in the list of acceptable values");
        }
        String inventory = "/redfish/v1/UpdateService/FirmwareInventory";
        List<String> targets = new ArrayList<>();
        for (JsonNode t : body.path("Targets")) {
            if (resources.get(t.asText()) == null) return error(400, "Base.1.8.ActionParameterValueNotInList", "The target " + t.asText() + " is not in the firmware inventory");
            targets.add(t.asText());
        }
        if (targets.isEmpty()) targets.add(defaultTarget(inventory, image));
        String id = Integer.toString(++tasks);
        String taskPath = "/redfish/v1/TaskService/Tasks/" + id;
        ObjectNode task = Json.object().put("@odata.id", taskPath).put("@odata.type", "#Task.v1_7_4.Task").put("Id", id)
                .put("Name", "SimpleUpdate " + image).put("TaskState", "Running").put("TaskStatus", "OK")
                .put("PercentComplete", 0).put("StartTime", Instant.now().toString()).put("TaskMonitor", MONITORS + id);
        task.putArray("Messages");
        var payload = task.putObject("Payload");
        payload.putArray("TargetUri").addAll(targets.stream().map(t -> (JsonNode) Json.MAPPER.getNodeFactory().textNode(t)).toList());
        payload.put("Version", versionOf(image));
        resources.put(taskPath, task);
        resources.addMember("/redfish/v1/TaskService/Tasks", taskPath, "#TaskCollection.TaskCollection");
        return new Answer(202, task, Map.of("Location", MONITORS + id));
    }

    /** A GET of a task monitor: 202 and the task while it runs; the finished task (200) after {@link #taskPolls} looks. */
    Answer monitor(String path) {
        String id = path.substring(path.toLowerCase(Locale.ROOT).indexOf("/taskmonitors/") + "/taskmonitors/".length());
        ObjectNode task = resources.get("/redfish/v1/TaskService/Tasks/" + id);
        if (task == null) return error(404, "Base.1.8.ResourceMissingAtURI", "The resource at the URI " + path + " was not found");
        if (!task.path("TaskState").asText().equals("Running")) return Answer.of(200, task);
        int seen = polls.merge(id, 1, Integer::sum);
        if (seen < taskPolls) {
            task.put("PercentComplete", 100 * seen / taskPolls);
            return new Answer(202, task, Map.of("Location", MONITORS + id));
        }
        task.put("EndTime", Instant.now().toString());
        if (taskFailure != null) {
            task.put("TaskState", "Exception").put("TaskStatus", "Critical");
            ((com.fasterxml.jackson.databind.node.ArrayNode) task.get("Messages")).addObject()
                    .put("MessageId", "Update.1.0.ApplyFailed").put("Message", taskFailure).put("Severity", "Critical");
            return Answer.of(200, task);
        }
        task.put("TaskState", "Completed").put("PercentComplete", 100);
        ((com.fasterxml.jackson.databind.node.ArrayNode) task.get("Messages")).addObject()
                .put("MessageId", "TaskEvent.1.0.TaskCompletedOK").put("Message", "The task with Id '" + id + "' has completed.").put("Severity", "OK");
        for (JsonNode t : task.path("Payload").path("TargetUri")) {
            ObjectNode item = resources.get(t.asText());
            if (item != null) item.put("Version", task.path("Payload").path("Version").asText());
        }
        return Answer.of(200, task);
    }

    /** The firmware an image is for, when no Targets were given: the item its file name names, else the BMC's. */
    private String defaultTarget(String inventory, String image) {
        String file = image.substring(image.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        String bmc = null;
        List<String> members = resources.members(inventory);
        for (String m : members) {
            String id = Odata.lastSegment(m).toLowerCase(Locale.ROOT);
            if (file.contains(id)) return m;
            if (id.equals("bmc")) bmc = m;
        }
        return bmc != null ? bmc : members.isEmpty() ? inventory + "/BMC" : members.get(0);
    }

    private static String versionOf(String image) {
        Matcher m = VERSION.matcher(image.substring(image.lastIndexOf('/') + 1));
        return m.find() ? m.group(1) : image;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode v : array) if (v.asText().equals(value)) return true;
        return false;
    }

    static Answer error(int status, String messageId, String message) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error").put("code", messageId).put("message", message);
        error.putArray("@Message.ExtendedInfo").addObject().put("@odata.type", "#Message.v1_1_1.Message")
                .put("MessageId", messageId).put("Message", message).put("Severity", "Warning");
        return Answer.of(status, body);
    }
}
