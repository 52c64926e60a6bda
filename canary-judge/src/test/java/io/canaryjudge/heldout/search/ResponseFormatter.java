package io.canaryjudge.heldout.search;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Writes the response: the rows ordered by their re-ranked score as JSON, with a snippet of each
 * payload. With {@code copyPayloads} every payload is first copied (a defensive copy): more bytes
 * allocated, the same output.
 */
public final class ResponseFormatter {
    private static final int SNIPPET_BYTES = 400;
    private final boolean copyPayloads;

    public ResponseFormatter(boolean copyPayloads) {
        this.copyPayloads = copyPayloads;
    }

    public byte[] format(String query, List<RecordStore.Row> rows, float[] scores) {
        Integer[] order = new Integer[rows.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        StringBuilder json = new StringBuilder(4096);
        json.append("{\"query\":\"").append(query.replace("\"", "\\\"")).append("\",\"hits\":[");
        for (int k = 0; k < order.length; k++) {
            RecordStore.Row row = rows.get(order[k]);
            byte[] payload = copyPayloads ? Arrays.copyOf(row.payload(), row.payload().length) : row.payload();
            if (k > 0) {
                json.append(',');
            }
            json.append("{\"id\":").append(row.id())
                    .append(",\"title\":\"").append(row.title())
                    .append("\",\"price\":").append(String.format(Locale.ROOT, "%.2f", row.price()))
                    .append(",\"inStock\":").append(row.stock() > 0)
                    .append(",\"score\":").append(scores[order[k]])
                    .append(",\"snippet\":\"")
                    .append(new String(payload, 0, Math.min(SNIPPET_BYTES, payload.length), StandardCharsets.US_ASCII))
                    .append("\"}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
