package io.canaryjudge.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with columns padded to their widest cell (measured in code points, so "µs"
 * and "…" count as one column): names left-aligned, numbers right-aligned, as benchstat prints.
 */
final class TextTable {
    private final List<String> header;
    private final boolean[] rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    /** @param rightAligned one flag per column, true for numeric columns */
    TextTable(List<String> header, boolean... rightAligned) {
        if (header.size() != rightAligned.length) {
            throw new IllegalArgumentException("one alignment per column");
        }
        this.header = List.copyOf(header);
        this.rightAligned = rightAligned.clone();
    }

    void add(List<String> row) {
        if (row.size() != header.size()) {
            throw new IllegalArgumentException("row has " + row.size() + " cells, table has " + header.size());
        }
        rows.add(List.copyOf(row));
    }

    /** The lines of the table, each starting with {@code indent}; trailing spaces trimmed. */
    List<String> lines(String indent) {
        int[] widths = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], width(row.get(c)));
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder(indent);
            for (int c = 0; c < row.size(); c++) {
                if (c > 0) {
                    line.append("  ");
                }
                String cell = row.get(c);
                String padding = " ".repeat(widths[c] - width(cell));
                line.append(rightAligned[c] ? padding + cell : cell + padding);
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    private static int width(String text) {
        return text.codePointCount(0, text.length());
    }
}
