package io.canaryjudge.web;

import java.net.URI;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Where report links point: {@code canary-judge.public-url} when set (the address callers and people use, e.g.
 * behind an ingress), else the scheme, host and port the request came in on (behind a proxy that sets
 * {@code X-Forwarded-*}, turn on {@code server.forward-headers-strategy=framework}).
 */
public final class ReportLinks {
    private final URI publicUrl;

    /** @param publicUrl the configured public URL, or null */
    public ReportLinks(URI publicUrl) {
        this.publicUrl = publicUrl;
    }

    /** The base of report links for this request, without a trailing slash. */
    public String base(ServerHttpRequest request) {
        String base;
        if (publicUrl != null) {
            base = publicUrl.toString();
        } else {
            URI uri = request.getURI();
            base = uri.getScheme() + "://" + uri.getRawAuthority();
        }
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
