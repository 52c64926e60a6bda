package io.canaryjudge.cli;

import java.io.PrintStream;

/** {@code collapse FILE [--profile-type TYPE]}: prints a profile as collapsed stacks. */
final class CollapseCommand {
    private final PrintStream out;
    private final PrintStream err;

    CollapseCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    ExitCode run(String[] args) {
        throw new UsageException("collapse is not implemented yet");
    }
}
