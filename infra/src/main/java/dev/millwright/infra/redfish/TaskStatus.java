package dev.millwright.infra.redfish;

/**
 * Where a task the BMC runs (a firmware update) stands, as its task monitor reports it.
 *
 * @param monitor the task monitor's path, to poll again; null when the BMC finished at once and gave none
 * @param percent the task's PercentComplete, or -1 when it states none
 * @param message the BMC's messages about it (a failure's reason), or empty
 */
public record TaskStatus(String monitor, State state, int percent, String message) {
    public enum State { RUNNING, COMPLETED, FAILED }

    public boolean done() {
        return state != State.RUNNING;
    }
}
