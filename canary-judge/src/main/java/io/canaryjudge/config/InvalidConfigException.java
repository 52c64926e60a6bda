package io.canaryjudge.config;

/**
 * A judge configuration that cannot be used: unknown key, value of the wrong kind or out of range,
 * unknown service. The message names the file, the key (as a path, e.g.
 * {@code services.checkout.thresholds.maxQValue}) and the offending value.
 */
public class InvalidConfigException extends Exception {
    private final String key;

    public InvalidConfigException(String source, String key, String problem) {
        super((source == null ? "<config>" : source) + ": " + (key == null || key.isEmpty() ? "" : key + ": ") + problem);
        this.key = key;
    }

    /** Path of the offending key, e.g. {@code functions[1].match}; empty for the whole document. */
    public String key() {
        return key;
    }
}
