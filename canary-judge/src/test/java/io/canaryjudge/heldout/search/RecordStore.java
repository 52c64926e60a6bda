package io.canaryjudge.heldout.search;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The row store: an embedded in-memory H2 database with one table of catalogue items (title,
 * price, stock, payload). A request loads its hits' rows by primary key, one prepared statement
 * execution per batch of ids, the way a service looks up the records behind search hits.
 */
public final class RecordStore implements AutoCloseable {
    private static final int BATCH = 5;
    private final Connection connection;
    private final PreparedStatement select;
    private final RowAuditor auditor;

    /**
     * @param name    the in-memory database name (one per store)
     * @param auditor verifies loaded rows when not null (the new hot path of the {@code rowAudit} variant)
     */
    public RecordStore(Corpus corpus, String name, RowAuditor auditor) throws SQLException {
        this.auditor = auditor;
        connection = DriverManager.getConnection("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "");
        try (var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE item(id INT PRIMARY KEY, title VARCHAR(200), price DECIMAL(10,2), "
                    + "stock INT, payload VARBINARY(2000))");
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO item VALUES (?, ?, ?, ?, ?)")) {
            for (int id = 0; id < Corpus.DOCUMENTS; id++) {
                insert.setInt(1, id);
                insert.setString(2, corpus.title(id));
                insert.setBigDecimal(3, java.math.BigDecimal.valueOf((id * 7L) % 50_000, 2));
                insert.setInt(4, (id * 13) % 400);
                insert.setBytes(5, corpus.payload(id));
                insert.addBatch();
                if (id % 500 == 499) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
        StringBuilder sql = new StringBuilder("SELECT id, title, price, stock, payload FROM item WHERE id IN (");
        for (int i = 0; i < BATCH; i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        select = connection.prepareStatement(sql.append(")").toString());
    }

    /** The rows of {@code ids}, in no particular order. */
    public List<Row> load(int[] ids) throws SQLException {
        List<Row> rows = new ArrayList<>(ids.length);
        for (int start = 0; start < ids.length; start += BATCH) {
            for (int i = 0; i < BATCH; i++) {
                // Short last batch: repeat the last id (duplicates match once).
                select.setInt(i + 1, ids[Math.min(start + i, ids.length - 1)]);
            }
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(new Row(result.getInt(1), result.getString(2), result.getBigDecimal(3).doubleValue(),
                            result.getInt(4), result.getBytes(5)));
                }
            }
        }
        if (auditor != null) {
            auditor.verify(rows);
        }
        return rows;
    }

    @Override
    public void close() throws SQLException {
        select.close();
        connection.close();
    }

    /**
     * One stored item.
     *
     * @param id      catalogue id
     * @param title   title text
     * @param price   price, currency units
     * @param stock   items in stock
     * @param payload stored description bytes
     */
    public record Row(int id, String title, double price, int stock, byte[] payload) {
    }
}
