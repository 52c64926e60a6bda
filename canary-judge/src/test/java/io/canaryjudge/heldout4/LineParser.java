package io.canaryjudge.heldout4;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses one access-log line with {@code java.util.regex}; lines that do not match are counted and dropped. */
final class LineParser {
    private static final Pattern LINE = Pattern.compile(
            "ts=(\\d+) host=(\\S+) svc=(\\w+) \"(GET|POST|PUT|DELETE|PATCH) ([^\"]+)\" status=(\\d{3}) "
                    + "latency=(\\d+)us bytes=(\\d+) ip=(\\d{1,3}(?:\\.\\d{1,3}){3}) user=(\\w+) session=([0-9a-f]+) "
                    + "ua=\"([^\"]*)\"");
    private long rejected;

    LogEvent parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            rejected++;
            return null;
        }
        LogEvent e = new LogEvent();
        e.timestampMillis = Long.parseLong(m.group(1));
        e.host = m.group(2);
        e.service = m.group(3);
        e.method = m.group(4);
        e.path = normalise(m.group(5));
        e.status = Integer.parseInt(m.group(6));
        e.latencyMicros = Integer.parseInt(m.group(7));
        e.bytes = Integer.parseInt(m.group(8));
        e.clientIp = m.group(9);
        e.userId = m.group(10);
        e.sessionId = m.group(11);
        e.userAgent = m.group(12);
        return e;
    }

    /** {@code /api/v2/items/42} → {@code /api/v2/items/{id}}: rollups are per route, not per URL. */
    private static String normalise(String path) {
        StringBuilder out = new StringBuilder(path.length());
        int i = 0;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (Character.isDigit(c) && i > 0 && path.charAt(i - 1) == '/') {
                while (i < path.length() && Character.isDigit(path.charAt(i))) {
                    i++;
                }
                out.append("{id}");
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    long rejected() {
        return rejected;
    }
}
