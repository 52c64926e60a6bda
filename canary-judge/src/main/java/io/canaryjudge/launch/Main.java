package io.canaryjudge.launch;

import io.canaryjudge.cli.Cli;
import java.lang.reflect.InvocationTargetException;

/**
 * The executable jar's entry point ({@code Main-Class}). Commands ({@code compare}, {@code collapse})
 * run straight from classes at the jar's root, loaded by the JVM's own class loader; anything else
 * starts the service through Spring Boot's launcher, which reads {@code BOOT-INF/}.
 *
 * <p>Why: Spring Boot's nested-jar class loader and a 75-jar class path cost a command about
 * 0.1 s of a 0.3 s run on a small profile (docs/BENCHMARKS.md). The build
 * ({@code src/build/HoistCli.java}) copies the command line's classes and their libraries to the
 * jar's root; nothing here may touch Spring.
 */
public final class Main {
    /** Spring Boot's launcher for executable jars; it reads {@code Start-Class} from the manifest. */
    static final String SPRING_BOOT_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";

    private Main() {
    }

    public static void main(String[] args) throws Throwable {
        if (Cli.isCommand(args)) {
            System.exit(Cli.run(args, System.out, System.err));
        }
        Class<?> launcher;
        try {
            launcher = Class.forName(SPRING_BOOT_LAUNCHER);
        } catch (ClassNotFoundException e) {
            System.err.println("canary-judge: the service starts only from the executable jar"
                    + " (java -jar canary-judge/target/canary-judge.jar); " + SPRING_BOOT_LAUNCHER + " is missing");
            System.exit(70);
            return;
        }
        try {
            launcher.getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
