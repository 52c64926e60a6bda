package io.canaryjudge.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The report page's script and style sheet ({@code report.js}, {@code report.css}), kept as
 * classpath resources under {@code static/report-assets/} — where Spring Boot serves static files
 * from, so the running service serves them at {@code /report-assets/…} — and either linked
 * ({@link #served}) or copied into the page ({@link #inline}, for a self-contained file).
 * No CDN, no other request: the page works offline.
 */
public final class ReportAssets {
    /** Classpath folder of the assets; Spring Boot serves {@code classpath:/static/} at {@code /}. */
    public static final String RESOURCE_FOLDER = "static/report-assets/";
    /** Path the service serves the assets under (Spring Boot's default static resource mapping). */
    public static final String SERVED_PATH = "/report-assets/";
    public static final String SCRIPT = "report.js";
    public static final String STYLE = "report.css";

    private static final String SCRIPT_TEXT = resource(SCRIPT);
    private static final String STYLE_TEXT = resource(STYLE);

    private final String baseUrl;

    private ReportAssets(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Script and style copied into the page: one file that needs nothing else (compare --format html). */
    public static ReportAssets inline() {
        return new ReportAssets(null);
    }

    /**
     * Script and style linked from {@code baseUrl}, e.g. {@code "../report-assets/"} for a page served at
     * {@code /reports/{id}} (relative, so it also works behind a path prefix) or {@link #SERVED_PATH}.
     * The links carry a hash of the content ({@code ?v=…}) so browsers never mix versions.
     */
    public static ReportAssets served(String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("the assets' base URL must not be blank");
        }
        return new ReportAssets(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    }

    public boolean inlined() {
        return baseUrl == null;
    }

    /**
     * The page's Content-Security-Policy: scripts and styles only from the assets (inline ones only
     * when their hash matches), no requests anywhere. A second wall behind the escaping: even a frame
     * name that slipped through could not run a script. The page carries it in a {@code <meta>} tag; the
     * service may send the same as a header.
     */
    public String contentSecurityPolicy() {
        String scripts = inlined() ? "'" + sha256(SCRIPT_TEXT) + "'" : "'self'";
        String styles = inlined() ? "'" + sha256(STYLE_TEXT) + "'" : "'self'";
        return "default-src 'none'; script-src " + scripts + "; style-src " + styles
                + "; img-src 'self' data:; base-uri 'none'; form-action 'none'";
    }

    /** The style sheet for {@code <head>}. */
    String styleTag() {
        if (inlined()) {
            return "<style>" + STYLE_TEXT + "</style>";
        }
        return "<link rel=\"stylesheet\" href=\"" + Html.text(baseUrl + STYLE + "?v=" + version(STYLE_TEXT)) + "\">";
    }

    /** The script, placed at the end of {@code <body>}. */
    String scriptTag() {
        if (inlined()) {
            return "<script>" + SCRIPT_TEXT + "</script>";
        }
        return "<script src=\"" + Html.text(baseUrl + SCRIPT + "?v=" + version(SCRIPT_TEXT)) + "\"></script>";
    }

    /** The text of one asset ({@link #SCRIPT} or {@link #STYLE}), as served. */
    public static String text(String name) {
        return switch (name) {
            case SCRIPT -> SCRIPT_TEXT;
            case STYLE -> STYLE_TEXT;
            default -> throw new IllegalArgumentException("no report asset \"" + name + "\"; the assets are "
                    + SCRIPT + " and " + STYLE);
        };
    }

    private static String resource(String name) {
        try (InputStream in = ReportAssets.class.getClassLoader().getResourceAsStream(RESOURCE_FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("report asset " + RESOURCE_FOLDER + name + " missing from the classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (text.contains("</script") || text.contains("</style")) {
                // inlined, such text would end the element early
                throw new IllegalStateException("report asset " + name + " must not contain </script or </style");
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read report asset " + name, e);
        }
    }

    private static String version(String text) {
        return HexFormat.of().formatHex(digest(text)).substring(0, 12);
    }

    private static String sha256(String text) {
        return "sha256-" + Base64.getEncoder().encodeToString(digest(text));
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
