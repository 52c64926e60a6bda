package io.canaryjudge.store;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: a fresh cluster ({@code initdb}) in a temporary directory, started with
 * {@code pg_ctl} on 127.0.0.1 and a free port, password authentication over TCP (SCRAM), stopped and deleted by
 * {@link #close()}. Binaries come from the Debian package ({@code /usr/lib/postgresql/VERSION/bin}, the highest
 * version installed) or {@code PATH}.
 *
 * <p>PostgreSQL refuses to run as root, and tests run as root here and in CI: then every PostgreSQL command runs as
 * the {@code postgres} system user the Debian package creates ({@code runuser -u postgres --}), in a directory
 * handed to that user. As any other user, the commands run as that user. Every wait is bounded; a missing
 * installation fails with what to install.
 */
public final class PostgresServer implements AutoCloseable {
    /** The superuser {@code initdb} creates, and its password (SCRAM over TCP: a wrong one is refused). */
    public static final String USER = "canary";
    public static final String PASSWORD = "judge-test-password";
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    static final String INSTALL_HINT = "install the Debian package 'postgresql' (apt-get install postgresql), which"
            + " provides /usr/lib/postgresql/VERSION/bin/{initdb,pg_ctl}";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    private final Path bin;
    private final Path directory;
    private final int port;
    private final boolean asPostgresUser;

    private PostgresServer(Path bin, Path directory, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.directory = directory;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Creates a cluster and starts it. */
    public static PostgresServer start() throws IOException {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path directory = Files.createTempDirectory("canary-judge-postgres-");
        PostgresServer server = new PostgresServer(bin, directory, freePort(), root);
        try {
            if (root) {
                UserPrincipal postgres = directory.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName("postgres");
                Files.setOwner(directory, postgres);
            }
            Path passwordFile = directory.resolve("password");
            Files.writeString(passwordFile, PASSWORD + "\n");
            if (root) {
                Files.setOwner(passwordFile, directory.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName("postgres"));
            }
            server.run("initdb", "-D", server.data().toString(), "-U", USER, "--pwfile=" + passwordFile,
                    "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync");
            server.startServer();
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** Creates a database and returns its JDBC URL. */
    public String createDatabase(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must match " + NAME.pattern() + ", was " + name);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    /** Stops the server at once (as a crash or a lost database would look to clients); {@link #resume()} restarts it. */
    public void stopNow() {
        run("pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "-t", "60", "stop");
    }

    /** Starts the stopped server again on the same port, with its data. */
    public void resume() {
        startServer();
    }

    @Override
    public void close() {
        if (Files.exists(data().resolve("postmaster.pid"))) {
            try {
                run("pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "-t", "60", "stop");
            } catch (RuntimeException e) {
                // Deleting the directory below is all that is left to do.
            }
        }
        deleteRecursively(directory);
    }

    private void startServer() {
        run("pg_ctl", "-D", data().toString(), "-l", directory.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1 -c fsync=off"
                        + " -c max_connections=40", "start");
    }

    private Path data() {
        return directory.resolve("data");
    }

    /** Runs one PostgreSQL command (as the postgres user when we are root) and waits for it, bounded. */
    private void run(String command, String... arguments) {
        List<String> line = new ArrayList<>();
        if (asPostgresUser) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.add(bin.resolve(command).toString());
        line.addAll(List.of(arguments));
        Path output = directory.resolve(command + ".out");
        try {
            Files.deleteIfExists(output);
            Process process = new ProcessBuilder(line).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", line) + " did not finish within " + COMMAND_TIMEOUT
                        + ":\n" + tail(output) + serverLog());
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", line) + " exited with " + process.exitValue() + ":\n"
                        + tail(output) + serverLog());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", line)
                    + (asPostgresUser ? " (runuser from util-linux runs it as the postgres user)" : ""), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private String serverLog() {
        Path log = directory.resolve("server.log");
        return Files.exists(log) ? "\nserver.log:\n" + tail(log) : "";
    }

    /** {@code /usr/lib/postgresql/VERSION/bin} of the highest version installed, else the directory of initdb on PATH. */
    static Path binaries() {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Path newest = versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                        .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                        .orElse(null);
                if (newest != null) {
                    return newest.resolve("bin");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb"))
                        && Files.isExecutable(Path.of(dir, "pg_ctl"))) {
                    return Path.of(dir);
                }
            }
        }
        throw new IllegalStateException("PostgreSQL's initdb and pg_ctl were not found in /usr/lib/postgresql/*/bin or"
                + " on PATH: the verdict store's tests start a real PostgreSQL; " + INSTALL_HINT);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Left in the temp directory; nothing a test can do about it.
        }
    }
}
