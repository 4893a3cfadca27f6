package dev.millwright.infra.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millwright.infra.redfish.RedfishException.Failure;
import dev.millwright.resource.Json;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Firmware through {@code UpdateService.SimpleUpdate}: the BMC fetches the image from a URL. The request is checked
 * against what the BMC says it allows (transfer protocols, targets) before it is sent. The answer is a task
 * monitor (202 and a Location), polled with {@link #poll} until the task ends: Completed (unless its TaskStatus is
 * Critical) succeeds; Exception, Killed and Cancelled fail with the BMC's messages.
 */
final class FirmwareUpdate {
    private FirmwareUpdate() {
    }

    static TaskStatus start(RedfishClient client, String imageUri, List<String> targets) {
        JsonNode root = client.read(RedfishClient.SERVICE_ROOT);
        String servicePath = Odata.link(root, "UpdateService");
        JsonNode service = servicePath == null ? null : client.find(servicePath).orElse(null);
        if (service == null) {
            throw new RedfishException(Failure.NOT_SUPPORTED, "BMC " + client.connection().origin() + " has no UpdateService");
        }
        JsonNode action = service.path("Actions").path("#UpdateService.SimpleUpdate");
        String target = Odata.text(action.path("target"));
        if (target == null) {
            throw new RedfishException(Failure.NOT_SUPPORTED, "the UpdateService of BMC " + client.connection().origin()
                    + " offers no SimpleUpdate (only uploads to its HttpPushUri, which Millwright does not use)");
        }
        ObjectNode body = Json.object().put("ImageURI", imageUri);
        List<String> protocols = PowerControl.allowed(client, action, "TransferProtocol");
        String scheme = schemeOf(imageUri);
        if (protocols != null) {
            String chosen = PowerControl.choose(List.of(scheme), protocols);
            if (chosen == null) {
                throw new RedfishException(Failure.NOT_ALLOWED, "SimpleUpdate of BMC " + client.connection().origin()
                        + " fetches images over " + String.join(", ", protocols) + ", not " + scheme + " (" + imageUri + ")");
            }
            body.put("TransferProtocol", chosen); // required where listed (the EX235n), harmless elsewhere
        }
        if (!targets.isEmpty()) {
            List<String> allowed = PowerControl.allowed(client, action, "Targets");
            if (allowed != null) {
                List<String> refused = new ArrayList<>();
                for (String t : targets) {
                    if (allowed.stream().noneMatch(a -> Odata.key(a).equals(Odata.key(t)))) refused.add(t);
                }
                if (!refused.isEmpty()) {
                    throw new RedfishException(Failure.NOT_ALLOWED, "SimpleUpdate cannot update " + String.join(", ", refused)
                            + "; it can update " + String.join(", ", allowed));
                }
            }
            var array = body.putArray("Targets");
            targets.forEach(array::add);
        }
        RedfishClient.Reply r = client.post(target, body);
        if (r.status() == 400) {
            throw new RedfishException(Failure.NOT_ALLOWED, 400, "SimpleUpdate refused " + imageUri + ": " + r.message(), null);
        }
        if (!r.ok()) throw client.failed(r);
        if (r.status() == 202) {
            String monitor = r.location() != null ? Odata.pathOf(r.location()) : r.body() == null ? null : Odata.id(r.body());
            if (monitor == null) {
                throw new RedfishException(Failure.MALFORMED, 202, "SimpleUpdate was accepted (202) without a task monitor Location", null);
            }
            return r.body() != null && r.body().has("TaskState") ? status(monitor, r.body()) : new TaskStatus(monitor, TaskStatus.State.RUNNING, -1, "");
        }
        if (r.body() != null && r.body().has("TaskState")) return status(Odata.id(r.body()), r.body());
        return new TaskStatus(null, TaskStatus.State.COMPLETED, 100, "");
    }

    /** One look at a task monitor (or a Task resource). */
    static TaskStatus poll(RedfishClient client, String monitor) {
        RedfishClient.Reply r = client.get(monitor);
        if (r.status() == 404 || r.status() == 410) {
            throw new RedfishException(Failure.NOT_FOUND, r.status(), "task monitor " + Odata.pathOf(monitor)
                    + " is gone: the BMC no longer knows the task (it may have restarted)", null);
        }
        if (!r.ok()) throw client.failed(r);
        if (r.body() != null && r.body().has("TaskState")) return status(monitor, r.body());
        // a monitor answers 202 while running and, once done, the operation's own response
        return new TaskStatus(monitor, r.status() == 202 ? TaskStatus.State.RUNNING : TaskStatus.State.COMPLETED, r.status() == 202 ? -1 : 100, "");
    }

    private static TaskStatus status(String monitor, JsonNode task) {
        String state = String.valueOf(Odata.text(task.path("TaskState"))).toLowerCase(Locale.ROOT);
        String health = String.valueOf(Odata.text(task.path("TaskStatus")));
        List<String> messages = new ArrayList<>();
        for (JsonNode m : task.path("Messages")) {
            String text = Odata.text(m.path("Message"));
            if (text != null) messages.add(text);
        }
        TaskStatus.State s = switch (state) {
            case "completed" -> health.equalsIgnoreCase("Critical") ? TaskStatus.State.FAILED : TaskStatus.State.COMPLETED;
            case "exception", "killed", "cancelled" -> TaskStatus.State.FAILED;
            default -> TaskStatus.State.RUNNING;
        };
        int percent = task.path("PercentComplete").isNumber() ? task.path("PercentComplete").asInt() : s == TaskStatus.State.COMPLETED ? 100 : -1;
        String message = String.join("; ", messages);
        if (s == TaskStatus.State.FAILED && message.isEmpty()) message = "task ended " + Odata.text(task.path("TaskState")) + " without a message";
        return new TaskStatus(monitor, s, percent, message);
    }

    private static String schemeOf(String imageUri) {
        try {
            String scheme = new URI(imageUri).getScheme();
            if (scheme == null) throw new IllegalArgumentException("the firmware image must be a URL the BMC can fetch, not " + imageUri);
            return scheme.toUpperCase(Locale.ROOT);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("the firmware image is not a URL: " + imageUri);
        }
    }
}
