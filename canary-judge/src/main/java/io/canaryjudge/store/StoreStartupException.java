package io.canaryjudge.store;

/**
 * The configured store cannot work (no database URL, a database that cannot be reached or migrated): start-up
 * stops with {@link #getMessage()} and the {@link #action()} to take, both naming the properties involved.
 */
public class StoreStartupException extends IllegalStateException {
    private final String action;

    public StoreStartupException(String message, String action, Throwable cause) {
        super(message, cause);
        this.action = action;
    }

    /** What to change, e.g. which property to set. */
    public String action() {
        return action;
    }
}
