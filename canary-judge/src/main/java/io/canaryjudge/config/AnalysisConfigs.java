package io.canaryjudge.config;

import java.util.SortedSet;

/**
 * The per-application (named) analysis configs. One small seam: today they come from Spring properties and
 * the judge configuration file ({@link ConfiguredAnalysisConfigs}); in Kubernetes they may come from
 * ConfigMaps and change while the service runs ({@link #refresh()}).
 */
public interface AnalysisConfigs {

    /**
     * The config an analysis runs with.
     *
     * @param requested   the name a request asked for, or null
     * @param application the request's application: its own config when one has its name and none was asked for
     * @throws UnknownConfigException when {@code requested} is not a known name (the message lists them)
     */
    AnalysisConfig resolve(String requested, String application) throws UnknownConfigException;

    /** The known names, sorted. */
    SortedSet<String> names();

    /**
     * Reads the configs again (a changed file or ConfigMap). When the new configs are invalid the old ones
     * stay in use and the exception says why.
     */
    void refresh() throws InvalidConfigException;

    /** A request asked for a config that does not exist. */
    final class UnknownConfigException extends Exception {
        private final String name;

        public UnknownConfigException(String name, SortedSet<String> known) {
            super("unknown config \"" + name + "\"; known configs: " + (known.isEmpty() ? "none" : String.join(", ", known)));
            this.name = name;
        }

        public String name() {
            return name;
        }
    }
}
