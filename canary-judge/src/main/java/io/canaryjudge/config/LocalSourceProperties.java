package io.canaryjudge.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The local profile directory, the embedded default source when no Pyroscope URL is configured
 * ({@code canary-judge.local.*}): {@code DIRECTORY/APPLICATION/POD/} with the pod's profile files,
 * an optional {@code requests.csv} and {@code labels.properties}.
 *
 * @param directory    the directory; unset = {@code examples/profiles} (the shipped examples when the service
 *                     runs from the repository root). A directory that is set must exist
 * @param matchWindows use only files whose own timestamps fall in the requested window; off by default, so the
 *                     shipped (past) recordings give a verdict whatever the clock says — every verdict says so
 * @param timeout      time allowed for reading one pod's files
 */
@ConfigurationProperties("canary-judge.local")
public record LocalSourceProperties(Path directory, @DefaultValue("false") boolean matchWindows,
                                    @DefaultValue("5s") Duration timeout) {

    /** Where the shipped examples are, relative to the repository root. */
    public static final Path DEFAULT_DIRECTORY = Path.of("examples", "profiles");
    private static final String P = "canary-judge.local.";

    public LocalSourceProperties {
        if (directory != null && !Files.isDirectory(directory)) {
            throw new IllegalArgumentException(P + "directory " + directory.toAbsolutePath()
                    + " does not exist or is not a directory");
        }
        PropertyCheck.positive(timeout, P + "timeout");
    }

    /** The configured directory, or the default. */
    public Path effectiveDirectory() {
        return directory != null ? directory : DEFAULT_DIRECTORY;
    }
}
