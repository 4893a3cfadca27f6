package dev.millwright.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code millwright} command. */
@Command(name = "millwright", mixinStandardHelpOptions = true, version = "millwright 0.1.0",
        description = "The control plane of an AI factory.",
        subcommands = {UpCommand.class, ApplyCommand.class, GetCommand.class, DescribeCommand.class,
                DeleteCommand.class, WatchCommand.class, AuditCommand.class, TokenCommand.class,
                LoginCommand.class, WhoamiCommand.class, FleetCommand.class, DiffCommand.class, RenderCommand.class, PlanCommand.class, RolloutCommand.class, SchedCommand.class, VulnsCommand.class, SbomCommand.class, PolicyCommand.class, CreateCommand.class, SecretsCommand.class, DockCommand.class, BmcCommand.class, TwinCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code; tests call this directly. */
    public static int run(String... args) {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException c) {
                commandLine.getErr().println(c.getMessage());
                return c.exitCode();
            }
            commandLine.getErr().println("error: " + e);
            return ExitCodes.ERROR;
        });
        return cmd.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
