package dev.millwright.infra.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.infra.PowerAction;
import dev.millwright.infra.redfish.RedfishException.Failure;
import dev.millwright.resource.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Power through {@code ComputerSystem.Reset}, with only the ResetTypes the BMC allows: those annotated on the action
 * ({@code ResetType@Redfish.AllowableValues}) or listed by its {@code @Redfish.ActionInfo}. Each port action maps to
 * ResetTypes in order of preference; the first one allowed is sent, spelled as the BMC spells it. A BMC that lists
 * no allowable values gets the first preference.
 *
 * <p>Level-triggered: ON on a machine that is on, or OFF on one that is off, sends nothing; RESTART on a machine
 * that is off powers it on, since what the caller wants is the machine booting again.
 */
final class PowerControl {
    /** ResetTypes for each action, preferred first ("Off" is the EX235n's own word, outside the standard's list). */
    static final Map<PowerAction, List<String>> PREFERENCES = Map.of(
            PowerAction.ON, List.of("On", "ForceOn"),
            PowerAction.OFF, List.of("GracefulShutdown", "Off"),
            PowerAction.FORCE_OFF, List.of("ForceOff"),
            PowerAction.RESTART, List.of("GracefulRestart", "ForceRestart", "PowerCycle"));

    private PowerControl() {
    }

    /** The ResetType sent, or empty when the machine already was where the action would take it. */
    static Optional<String> reset(RedfishClient client, String systemPath, PowerAction action) {
        JsonNode system = client.read(systemPath);
        String power = String.valueOf(Odata.text(system.path("PowerState")));
        if (action == PowerAction.ON && power.equalsIgnoreCase("On")) return Optional.empty();
        if ((action == PowerAction.OFF || action == PowerAction.FORCE_OFF) && power.equalsIgnoreCase("Off")) return Optional.empty();
        PowerAction effective = action == PowerAction.RESTART && power.equalsIgnoreCase("Off") ? PowerAction.ON : action;

        JsonNode reset = system.path("Actions").path("#ComputerSystem.Reset");
        String target = Odata.text(reset.path("target"));
        String id = SystemTarget.idOf(system, systemPath);
        if (target == null) {
            throw new RedfishException(Failure.NOT_SUPPORTED, "system " + id + " offers no ComputerSystem.Reset action");
        }
        List<String> allowed = allowed(client, reset, "ResetType");
        String chosen = choose(PREFERENCES.get(effective), allowed);
        if (chosen == null) {
            throw new RedfishException(Failure.NOT_ALLOWED, "ComputerSystem.Reset of system " + id + " allows "
                    + String.join(", ", allowed) + "; none of them does " + name(effective) + " (tried "
                    + String.join(", ", PREFERENCES.get(effective)) + ")");
        }
        RedfishClient.Reply r = client.post(target, Json.object().put("ResetType", chosen));
        if (r.status() == 400) {
            throw new RedfishException(Failure.NOT_ALLOWED, r.status(), "system " + id + " refused ResetType " + chosen + ": " + r.message(), null);
        }
        if (!r.ok()) throw client.failed(r);
        return Optional.of(chosen);
    }

    /**
     * The values an action allows for one parameter: the inline annotation, else its ActionInfo; null when the BMC
     * says nothing (then anything may be tried).
     */
    static List<String> allowed(RedfishClient client, JsonNode action, String parameter) {
        JsonNode inline = action.path(parameter + "@Redfish.AllowableValues");
        if (inline.isArray()) return texts(inline);
        String info = Odata.text(action.path("@Redfish.ActionInfo"));
        if (info == null) return null;
        JsonNode actionInfo = client.find(info).orElse(null);
        if (actionInfo == null) return null;
        for (JsonNode p : actionInfo.path("Parameters")) {
            if (parameter.equalsIgnoreCase(Odata.text(p.path("Name"))) && p.path("AllowableValues").isArray()) {
                return texts(p.path("AllowableValues"));
            }
        }
        return null;
    }

    /** The first preference the BMC allows, in the BMC's spelling; the first preference when it lists nothing. */
    static String choose(List<String> preferences, List<String> allowed) {
        if (allowed == null) return preferences.get(0);
        for (String want : preferences) {
            for (String a : allowed) if (a.equalsIgnoreCase(want)) return a;
        }
        return null;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : array) if (v.isTextual()) out.add(v.asText());
        return out;
    }

    private static String name(PowerAction a) {
        return switch (a) {
            case ON -> "power on";
            case OFF -> "a graceful power off";
            case FORCE_OFF -> "a forced power off";
            case RESTART -> "a restart";
        };
    }
}
