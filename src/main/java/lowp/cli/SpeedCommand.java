package lowp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/**
 * {@code lowp speed}: throughput measurements. Subcommand {@code op} ({@link SpeedOpCommand}); the
 * subcommand {@code quantize} is registered by class name ({@code lowp.cli.SpeedQuantizeCommand}) when that
 * class is present in the build.
 */
@Command(name = "speed", mixinStandardHelpOptions = true,
        description = "Measure throughput (single thread, median of repetitions; last line 'ops/s: N').",
        subcommands = {SpeedOpCommand.class})
public final class SpeedCommand implements Callable<Integer> {

    /** Optional subcommands of other feature areas, registered by class name if present. */
    static final String[] OPTIONAL = {"lowp.cli.SpeedQuantizeCommand"};

    CommandSpec spec;

    /** Called by picocli while it builds this command's model: registers the optional subcommands. */
    @CommandLine.Spec
    void setSpec(CommandSpec spec) {
        this.spec = spec;
        for (String name : OPTIONAL) {
            Object cmd;
            try {
                cmd = Class.forName(name).getDeclaredConstructor().newInstance();
            } catch (ClassNotFoundException e) {
                continue;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create subcommand " + name, e);
            }
            CommandLine sub = new CommandLine(cmd);
            if (!spec.subcommands().containsKey(sub.getCommandName())) {
                spec.addSubcommand(sub.getCommandName(), sub);
            }
        }
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }
}
