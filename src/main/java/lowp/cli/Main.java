package lowp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

/**
 * Entry point of {@code java -jar target/lowp.jar}. Subcommands live in their own classes (one per
 * feature area) and are registered here by class name, so a feature package that is absent from a
 * build simply does not show up.
 */
@Command(name = "lowp", mixinStandardHelpOptions = true, version = "lowp 0.1.0",
        description = "Bit-exact emulation of low-precision arithmetic and low-precision training.")
public final class Main implements Runnable {

    /** Subcommand classes, in the order {@code --help} lists them. */
    static final List<String> SUBCOMMANDS = List.of(
            "lowp.cli.DemoCommand",
            "lowp.cli.FormatsCommand",
            "lowp.cli.EvalCommand",
            "lowp.cli.TestFloatCommand",
            "lowp.cli.SpeedCommand",
            "lowp.cli.DotCommand",
            "lowp.cli.BackendsCommand",
            "lowp.cli.ExperimentCommand");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (String name : SUBCOMMANDS) {
            Object cmd;
            try {
                cmd = Class.forName(name).getDeclaredConstructor().newInstance();
            } catch (ClassNotFoundException e) {
                continue;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create subcommand " + name, e);
            }
            cl.addSubcommand(cmd);
        }
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            // User mistakes (bad format spec, bad hex, bad shape...) arrive as IllegalArgumentException:
            // print the message, never a stack trace.
            if (ex instanceof IllegalArgumentException || ex instanceof UserException) {
                commandLine.getErr().println("error: " + ex.getMessage());
                return 2;
            }
            // I/O problems (unreadable input, an output folder that is a file...): one line, no stack trace.
            if (ex instanceof java.io.IOException || ex instanceof java.io.UncheckedIOException) {
                Throwable t = ex instanceof java.io.UncheckedIOException && ex.getCause() != null ? ex.getCause() : ex;
                commandLine.getErr().println("error: " + t.getClass().getSimpleName()
                        + (t.getMessage() != null ? ": " + t.getMessage() : ""));
                return 2;
            }
            throw ex;
        });
        return cl;
    }

    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
