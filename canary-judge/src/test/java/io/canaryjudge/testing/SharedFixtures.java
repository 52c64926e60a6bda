package io.canaryjudge.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the read-only third-party fixtures and schemas live: {@code ../shared} beside the clone,
 * passed by surefire as the system property {@code canaryjudge.shared.dir}.
 */
public final class SharedFixtures {
    private SharedFixtures() {
    }

    public static Path sharedDir() {
        String configured = System.getProperty("canaryjudge.shared.dir");
        Path dir = configured != null ? Path.of(configured) : projectRoot().resolve("../shared");
        if (!Files.isDirectory(dir.resolve("fixtures"))) {
            throw new IllegalStateException("shared fixtures not found at " + dir.toAbsolutePath().normalize()
                    + ": tests expect the read-only ../shared folder beside the clone (system property canaryjudge.shared.dir)");
        }
        return dir.normalize();
    }

    public static Path fixtures() {
        return sharedDir().resolve("fixtures");
    }

    public static Path schemas() {
        return sharedDir().resolve("schemas");
    }

    /** The repository's top folder (the one holding the parent pom). */
    public static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("canary-judge")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the project root above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
