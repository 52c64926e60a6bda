package io.canaryjudge.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the read-only third-party fixtures beside the clone (system property
 * {@code canaryjudge.shared.dir}, set by surefire to {@code ../shared}).
 */
final class SharedFixtures {
    private SharedFixtures() {
    }

    /** A file under {@code fixtures/}; fails with a clear message when the shared folder is missing. */
    static Path fixture(String relative) {
        String dir = System.getProperty("canaryjudge.shared.dir");
        if (dir == null || !Files.isDirectory(Path.of(dir, "fixtures"))) {
            throw new IllegalStateException("shared fixtures not found: system property canaryjudge.shared.dir is "
                    + (dir == null ? "unset" : "\"" + dir + "\"") + "; expected a folder with fixtures/ beside the clone "
                    + "(run the tests through Maven from the repository)");
        }
        Path file = Path.of(dir, "fixtures", relative);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("shared fixture missing: " + file);
        }
        return file;
    }
}
