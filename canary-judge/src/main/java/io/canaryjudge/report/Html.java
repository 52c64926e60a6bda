package io.canaryjudge.report;

/**
 * HTML escaping for the report page. Everything that came from a profile or a request — frame
 * names, pod names, labels, messages — goes through {@link #text} (element content and quoted
 * attribute values alike); frame names go through {@link #frame}, which also abbreviates them and
 * keeps the full name in a {@code title}.
 */
final class Html {
    /** Longest frame name shown in a table cell before its middle is cut (the title has all of it). */
    static final int FRAME_CHARS = 90;

    private Html() {
    }

    /**
     * Escapes text for element content and for double- or single-quoted attribute values. Control and
     * invisible formatting characters (U+202E and friends) are shown as {@code <U+XXXX>} so they
     * cannot reorder the text around them.
     */
    static String text(String text) {
        if (text == null) {
            return "";
        }
        String visible = ShortNames.visible(text.replace('\n', ' ').replace('\t', ' '));
        StringBuilder out = new StringBuilder(visible.length() + 16);
        for (int i = 0; i < visible.length(); i++) {
            char c = visible.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A frame name as {@code <code title="full name">abbreviated</code>}. */
    static String frame(String name) {
        return frame(name, FRAME_CHARS);
    }

    static String frame(String name, int maxChars) {
        if (name == null) {
            return "";
        }
        return "<code class=\"frame\" title=\"" + text(name) + "\">" + text(ShortNames.display(name, maxChars)) + "</code>";
    }

    /**
     * The judge's sentences: text between backticks (the judge quotes frame names that way) becomes an
     * abbreviated {@link #frame}, the rest is escaped.
     */
    static String prose(String sentence) {
        return ReportCells.prose(sentence, Html::text, Html::frame);
    }
}
