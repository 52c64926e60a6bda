package io.canaryjudge.cli;

import java.io.PrintStream;

/** {@code compare --baseline PATH --canary PATH ...}: judges two groups of profile files. */
final class CompareCommand {
    private final PrintStream out;
    private final PrintStream err;

    CompareCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    ExitCode run(String[] args) {
        throw new UsageException("compare is not implemented yet");
    }
}
