package dev.millwright.infra.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millwright.infra.redfish.RedfishException.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which ComputerSystem of a BMC is the machine, and which other systems belong to it.
 *
 * <p>A BMC's Systems collection is not always one server. A blade BMC (HPE Cray EX235n) lists each node as a
 * system: each is a machine of its own, so one is chosen (the one named, else the first) and the others are
 * reported. An HGX server's BMC lists the host and the GPU baseboard as two systems: the baseboard holds the
 * host's GPUs, so its processors are read with the host's. A baseboard is told apart by its name, since Redfish
 * has no property that says so; with several hosts, a baseboard is only attributed to the host that links to it.
 *
 * @param hostPath the chosen system's path
 * @param boardPaths GPU baseboards whose processors count for this host
 * @param hosts the ids of every host system, in the BMC's order
 */
record SystemTarget(String hostPath, String hostId, List<String> boardPaths, List<String> hosts, List<String> notes) {
    /** Names of systems that carry a host's accelerators rather than run an OS. */
    private static final Pattern BASEBOARD = Pattern.compile("(?i).*(baseboard|hgx|gpu[ _-]?(board|tray)|accelerator[ _-]?board).*");

    SystemTarget {
        boardPaths = List.copyOf(boardPaths);
        hosts = List.copyOf(hosts);
        notes = List.copyOf(notes);
    }

    static SystemTarget resolve(RedfishClient client, String requested) {
        JsonNode root = client.find(RedfishClient.SERVICE_ROOT).orElseThrow(() -> new RedfishException(Failure.NOT_SUPPORTED,
                "no Redfish service at " + client.connection().origin() + ": GET /redfish/v1/ answered 404"));
        String systemsPath = Odata.link(root, "Systems");
        if (systemsPath == null) {
            throw new RedfishException(Failure.NOT_SUPPORTED, "BMC " + client.connection().origin()
                    + " lists no Systems in its service root: it manages no server (a switch or an enclosure manager?)");
        }
        List<String> members = client.members(systemsPath);
        List<String[]> hosts = new ArrayList<>(); // {path, id}
        List<String[]> boards = new ArrayList<>();
        List<JsonNode> hostResources = new ArrayList<>();
        for (String path : members) {
            JsonNode system = client.read(path);
            String id = idOf(system, path);
            boolean board = BASEBOARD.matcher(id).matches() || BASEBOARD.matcher(String.valueOf(Odata.text(system.path("Name")))).matches();
            if (board) {
                boards.add(new String[] {path, id});
            } else {
                hosts.add(new String[] {path, id});
                hostResources.add(system);
            }
        }
        if (hosts.isEmpty() && boards.isEmpty()) {
            throw new RedfishException(Failure.NOT_FOUND, "BMC " + client.connection().origin() + " lists no systems in " + systemsPath);
        }
        if (hosts.isEmpty()) { // only a baseboard-like name: it is the machine after all
            hosts.addAll(boards);
            boards.clear();
            for (String[] h : hosts) hostResources.add(client.read(h[0]));
        }
        List<String> hostIds = hosts.stream().map(h -> h[1]).toList();
        int chosen = 0;
        List<String> notes = new ArrayList<>();
        if (requested != null) {
            chosen = -1;
            for (int i = 0; i < hosts.size(); i++) {
                if (hosts.get(i)[1].equalsIgnoreCase(requested) || Odata.lastSegment(hosts.get(i)[0]).equalsIgnoreCase(requested)) chosen = i;
            }
            if (chosen < 0) {
                throw new RedfishException(Failure.NOT_FOUND, "BMC " + client.connection().origin() + " has no system \""
                        + requested + "\"; it lists " + String.join(", ", hostIds));
            }
        } else if (hosts.size() > 1) {
            notes.add("this BMC manages " + hosts.size() + " systems (" + String.join(", ", hostIds) + "); read "
                    + hostIds.get(0) + ": name another one (its Id) to read it");
        }
        JsonNode host = hostResources.get(chosen);
        List<String> ownBoards = new ArrayList<>();
        for (String[] b : boards) {
            if (hosts.size() == 1 || linksTo(host, b[0])) {
                ownBoards.add(b[0]);
            } else {
                notes.add("GPU baseboard " + b[1] + " is not counted: the BMC manages several systems and " + hosts.get(chosen)[1]
                        + " does not link to it");
            }
        }
        return new SystemTarget(hosts.get(chosen)[0], hosts.get(chosen)[1], ownBoards, hostIds, notes);
    }

    static String idOf(JsonNode resource, String path) {
        String id = Odata.text(resource.path("Id"));
        return id != null ? id : Odata.lastSegment(path);
    }

    /** Whether any link anywhere in {@code node} points at {@code path}. */
    private static boolean linksTo(JsonNode node, String path) {
        String key = Odata.key(path);
        if (node.isObject()) {
            String id = Odata.text(node.path("@odata.id"));
            if (id != null && Odata.key(id).equals(key) && node.size() == 1) return true;
        }
        for (JsonNode child : node) if (linksTo(child, path)) return true;
        return false;
    }
}
