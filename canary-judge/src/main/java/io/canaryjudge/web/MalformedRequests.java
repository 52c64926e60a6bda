package io.canaryjudge.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Requests the HTTP server cannot parse — a request line longer than {@code server.netty.max-initial-line-length}
 * (4 KB), headers beyond {@code server.max-http-request-header-size} (8 KB), a line that is not HTTP — never reach a
 * controller: Reactor Netty answers them 414, 431 or 400 with an empty body. This handler, placed right after the
 * HTTP codec, answers them itself with the problem body every other bad request gets
 * ({@link ProblemResponses#json}), naming the limit and the property that sets it, and closes the connection (the
 * codec discards the rest of such a request).
 *
 * <p>So does a request line whose HTTP version is not 1.x ({@code GET / HTTP/9.9}): the codec reads any
 * {@code HTTP/M.N}, and the service answered it as HTTP/1.1 under a status line echoing the version it does not speak
 * (Reactor Netty's empty 400 for {@code HTTP/2.0}); it is a 505 problem now (RFC 9110, 15.6.6). A later minor version
 * of HTTP/1 ({@code HTTP/1.9}) is served as HTTP/1.1, the highest this server speaks (RFC 9112, 2.3).
 */
final class MalformedRequests extends ChannelInboundHandlerAdapter {
    /** Its name in the channel pipeline. */
    static final String NAME = "canaryJudge.malformedRequests";
    private static final Logger LOG = LoggerFactory.getLogger(MalformedRequests.class);

    /** A request was refused on this connection: what follows of it is dropped until the connection closes. */
    private boolean refused;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof HttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (request.decoderResult().isSuccess()) {
            HttpVersion version = request.protocolVersion();
            if (version.majorVersion() != 1) {
                ReferenceCountUtil.release(msg);
                HttpStatus status = HttpStatus.HTTP_VERSION_NOT_SUPPORTED;
                answer(ctx, status, ProblemResponses.json(status, "http-version-not-supported",
                        "HTTP version not supported", "the request line says " + version.text()
                                + "; this service speaks HTTP/1.1 and HTTP/1.0", null), version.text());
                return;
            }
            if (version.minorVersion() > 1) {
                request.setProtocolVersion(HttpVersion.HTTP_1_1);
            }
            ctx.fireChannelRead(msg);
            return;
        }
        Throwable cause = request.decoderResult().cause();
        ReferenceCountUtil.release(msg);
        String reason = cause == null || cause.getMessage() == null ? "" : cause.getMessage().strip();
        String json;
        HttpStatus status;
        if (cause instanceof TooLongHttpLineException) {
            status = HttpStatus.URI_TOO_LONG;
            json = ProblemResponses.json(status, "uri-too-long", "URI too long", "the request line (method, URL and"
                    + " HTTP version) is longer than this service reads: " + reason + " (server.netty.max-initial-line-length);"
                    + " the service's own URLs are far shorter: check the URL", "URL");
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            json = ProblemResponses.json(status, "header-too-large", "Request headers too large", "the request's"
                    + " headers are larger than this service reads: " + reason + " (server.max-http-request-header-size)",
                    "headers");
        } else {
            status = HttpStatus.BAD_REQUEST;
            json = ProblemResponses.json(status, "invalid-request", "Invalid request", "not a valid HTTP/1.x request: "
                    + (reason.isEmpty() ? String.valueOf(cause) : reason), null);
        }
        answer(ctx, status, json, reason);
    }

    /** Answers {@code json} and closes the connection; the rest of the request is dropped. */
    private void answer(ChannelHandlerContext ctx, HttpStatus status, String json, String reason) {
        refused = true;
        LOG.debug("{} answered to {}: {}", status.value(), ctx.channel().remoteAddress(), reason);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status.value()), Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
