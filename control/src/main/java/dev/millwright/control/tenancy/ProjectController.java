package dev.millwright.control.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.control.Controller;
import dev.millwright.control.ControllerContext;
import dev.millwright.control.Result;
import dev.millwright.resource.Json;
import dev.millwright.resource.Resource;
import dev.millwright.resource.ResourceKey;
import dev.millwright.tenancy.TenancyKinds;
import dev.millwright.watch.Change;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Checks that every member of a project is a known user, and reports it as the {@code MembersResolved}
 * condition (with a Warning event naming the unknown users when it turns false).
 */
public final class ProjectController implements Controller {
    @Override
    public String name() {
        return "projects";
    }

    @Override
    public String kind() {
        return TenancyKinds.PROJECT;
    }

    @Override
    public Map<String, Function<Change, List<ResourceKey>>> watches() {
        // a user created or deleted later changes the answer; the periodic resync catches the rest
        return Map.of();
    }

    @Override
    public Result reconcile(ResourceKey key, ControllerContext ctx) {
        Optional<Resource> found = ctx.get(key);
        if (found.isEmpty()) return Result.done();
        Resource project = found.get();
        TreeSet<String> unknown = new TreeSet<>();
        for (JsonNode m : project.spec().path("members")) {
            String user = m.path("user").asText();
            if (ctx.get(ResourceKey.platform(TenancyKinds.USER, user)).isEmpty()) unknown.add(user);
        }
        boolean resolved = unknown.isEmpty();
        String message = resolved ? "every member is a known user" : "unknown users: " + String.join(", ", unknown);
        boolean wasResolved = !"False".equals(condition(project).path("status").asText());
        long generation = project.metadata().generation();
        ctx.updateStatus(key, s -> {
            s.put("phase", "Active");
            s.put("observedGeneration", generation);
            var condition = Json.object()
                    .put("type", "MembersResolved")
                    .put("status", resolved ? "True" : "False")
                    .put("reason", resolved ? "AllMembersKnown" : "UnknownMembers")
                    .put("message", message);
            JsonNode previous = condition(project);
            boolean same = previous.path("status").asText().equals(condition.path("status").asText())
                    && previous.path("message").asText().equals(message);
            condition.put("lastTransitionTime", same && previous.has("lastTransitionTime")
                    ? previous.get("lastTransitionTime").asText() : ctx.clock().instant().toString());
            s.set("conditions", Json.array().add(condition));
            return s;
        });
        if (!resolved && wasResolved) ctx.event(key, "Warning", "UnknownMembers", message);
        return Result.done();
    }

    private static JsonNode condition(Resource project) {
        for (JsonNode c : project.status().path("conditions")) {
            if ("MembersResolved".equals(c.path("type").asText())) return c;
        }
        return Json.object();
    }
}
