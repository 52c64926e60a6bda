package io.canaryjudge.memory.heldout;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Renders responses as JSON text and encodes them (short-lived garbage per request). */
final class Renderer {
    private Renderer() {
    }

    static String indexed(int docId, List<String> terms) {
        StringBuilder sb = new StringBuilder("{\"indexed\":").append(docId).append(",\"terms\":[");
        for (String t : terms) {
            sb.append('"').append(t).append("\",");
        }
        return encode(sb.append("]}"));
    }

    static String results(String query, List<Document> docs) {
        StringBuilder sb = new StringBuilder("{\"query\":\"").append(query).append("\",\"hits\":[");
        for (Document d : docs) {
            sb.append("{\"id\":").append(d.id).append(",\"at\":").append(d.indexedAt).append(",\"snippet\":\"");
            for (String t : d.snippet) {
                sb.append(t).append(' ');
            }
            sb.append("\"},");
        }
        return encode(sb.append("]}"));
    }

    private static String encode(StringBuilder sb) {
        byte[] wire = sb.toString().getBytes(StandardCharsets.UTF_8);
        return new String(wire, 0, Math.min(wire.length, 4096), StandardCharsets.ISO_8859_1);
    }
}
