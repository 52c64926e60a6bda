package io.canaryjudge.launch;

import io.canaryjudge.cli.Cli;
import java.lang.reflect.InvocationTargetException;

/**
 * The executable jar's entry point ({@code Main-Class}). {@code collapse} and the usage text run
 * straight from classes at the jar's root, loaded by the JVM's own class loader; {@code compare}
 * from the command jar stored in the jar ({@link CommandJar}); anything else starts the service
 * through Spring Boot's launcher, which reads {@code BOOT-INF/}.
 *
 * <p>Why: Spring Boot's nested-jar class loader and a 75-jar class path cost a command about
 * 0.1 s of a 0.3 s run on a small profile (docs/BENCHMARKS.md). The build
 * ({@code src/build/HoistCli.java}) copies {@code collapse}'s classes to the jar's root and
 * {@code compare}'s, with their libraries, to the command jar; nothing here may touch Spring.
 */
public final class Main {
    /** Spring Boot's launcher for executable jars; it reads {@code Start-Class} from the manifest. */
    static final String SPRING_BOOT_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";

    private Main() {
    }

    public static void main(String[] args) throws Throwable {
        if (Cli.isCommand(args)) {
            Integer status = "compare".equals(args[0]) ? CommandJar.run(args, System.out, System.err) : null;
            System.exit(status != null ? status : Cli.run(args, System.out, System.err));
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
