package io.canaryjudge.cli;

/** Exit statuses of the command line tool (a contract CI pipelines rely on, docs/CLI.md; sysexits.h numbers for errors). */
public enum ExitCode {
    PASS(0),
    FAIL(1),
    INCONCLUSIVE(2),
    /** Bad command line (sysexits EX_USAGE). */
    USAGE(64),
    /** Unreadable or invalid input file (sysexits EX_DATAERR). */
    INVALID_INPUT(65),
    /**
     * {@code serve}: the verdict store's database cannot be used at start-up — down, refusing the credentials, a
     * schema it cannot migrate (sysexits EX_UNAVAILABLE). Not 64: the settings may be right, and a restart once the
     * database is there starts; not 1, which is FAIL.
     */
    UNAVAILABLE(69),
    /** A bug: one line on stderr, no stack trace (sysexits EX_SOFTWARE). */
    INTERNAL_ERROR(70),
    /** The output ({@code --output}, stdout, {@code --learned-noise}) cannot be written (sysexits EX_CANTCREAT). */
    CANNOT_WRITE(73);

    private final int status;

    ExitCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
