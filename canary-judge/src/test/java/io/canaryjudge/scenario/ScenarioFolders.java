package io.canaryjudge.scenario;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the committed recordings live, found from the working directory (module or repository root). */
final class ScenarioFolders {
    private ScenarioFolders() {
    }

    /** {@code canary-judge/src/test/resources/scenarios}. */
    static Path scenarios() {
        return find("canary-judge/src/test/resources/scenarios");
    }

    /** {@code examples/profiles}, the shipped example. */
    static Path example() {
        return find("examples/profiles");
    }

    private static Path find(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("folder " + relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
