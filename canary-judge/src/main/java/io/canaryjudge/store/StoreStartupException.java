package io.canaryjudge.store;

/**
 * The configured store cannot work (no database URL, a database that cannot be reached or migrated): start-up
 * stops with {@link #getMessage()} and the {@link #action()} to take, both naming the properties involved.
 * {@link #property()} tells the two kinds apart: a setting whose value can never work (a URL that is no PostgreSQL
 * JDBC URL), or none — the settings may be right and the database is what cannot be used (down, refusing the
 * credentials, a schema it cannot migrate).
 */
public class StoreStartupException extends IllegalStateException {
    private final String action;
    private final String property;

    /** The database named by the settings cannot be used. */
    public StoreStartupException(String message, String action, Throwable cause) {
        this(message, action, null, cause);
    }

    /** The value of {@code property} can never work, whatever the database does. */
    public StoreStartupException(String message, String action, String property, Throwable cause) {
        super(message, cause);
        this.action = action;
        this.property = property;
    }

    /** The setting whose value is refused ({@code spring.datasource.url}); null when the database is what failed. */
    public String property() {
        return property;
    }

    /** What to change, e.g. which property to set. */
    public String action() {
        return action;
    }
}
