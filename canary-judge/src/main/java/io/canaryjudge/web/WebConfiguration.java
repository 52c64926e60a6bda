package io.canaryjudge.web;

import io.canaryjudge.config.AnalysisConfigs;
import io.canaryjudge.config.AnalysisProperties;
import io.canaryjudge.config.CanaryJudgeProperties;
import io.canaryjudge.config.HttpProperties;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.NettyPipeline;

/** The web layer's helpers: request checking, verdict answers, report links. */
@Configuration(proxyBeanMethods = false)
public class WebConfiguration {

    /** Reactor's dropped errors as WARN or DEBUG lines, not ERROR with a stack trace ({@link DroppedErrors}). */
    public WebConfiguration() {
        DroppedErrors.install();
    }

    @Bean
    AnalysisRequests analysisRequests(AnalysisConfigs configs, AnalysisProperties settings, Clock clock) {
        return new AnalysisRequests(configs, settings, clock);
    }

    @Bean
    VerdictResponses verdictResponses(AnalysisProperties settings) {
        return new VerdictResponses(settings.responseFindings());
    }

    /**
     * The HTTP server's event loops belong to this application context. Boot's default shares Reactor Netty's
     * global loops, and closing any context disposes them under every other context in the same JVM (the test
     * suite; an embedding application). The loops stop without Netty's default 2 s quiet period: graceful shutdown
     * has already let the requests in flight finish before they are disposed.
     */
    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        factory.setShutdownQuietPeriod(Duration.ZERO);
        return factory;
    }

    /**
     * Requests the HTTP server cannot parse (URL or headers too long) are answered with problem bodies too; a request
     * whose body stalls or trickles is cut off ({@link HttpProperties}).
     */
    @Bean
    NettyServerCustomizer httpServerLimits(HttpProperties http) {
        return server -> server.readTimeout(http.readTimeout()).requestTimeout(http.requestTimeout())
                .doOnChannelInit((observer, channel, remote) -> {
                    if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                        channel.pipeline().addAfter(NettyPipeline.HttpCodec, MalformedRequests.NAME,
                                new MalformedRequests());
                    }
                });
    }

    @Bean
    ReportLinks reportLinks(CanaryJudgeProperties service) {
        return new ReportLinks(service.publicUrl());
    }
}
