package io.canaryjudge.qa89;

import java.util.concurrent.ThreadLocalRandom;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * One pod of the live scrape (qa89): a real Spring Boot WebFlux application with Actuator and Micrometer's Prometheus
 * registry, as a service under Argo Rollouts runs, in its own JVM. Three routes of the application
 * ({@code /search}, {@code /product/{id}}, {@code /cart}), each a little CPU work; Actuator's {@code health} and
 * {@code prometheus} endpoints under the base path its arguments give ({@code --management.endpoints.web.base-path}),
 * which Micrometer records in {@code http_server_requests_seconds_count} as it records the application's routes:
 * Prometheus' scrapes and the kubelet's probes are requests to it.
 *
 * <p>Run as {@code java -cp <test classpath> io.canaryjudge.qa89.ActuatorPod --server.port=P
 * --management.endpoints.web.base-path=/manage}. Only auto-configuration a WebFlux service with Actuator uses is
 * kept: the test classpath also holds the judge's JDBC, Flyway and Kubernetes starters, which a pod has none of.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ActuatorPod {

    /** Properties every pod runs with: Actuator's two endpoints, probes on, the judge's own starters off. */
    static final String[] DEFAULTS = {
            "--spring.main.banner-mode=off",
            "--spring.application.name=qa89-pod",
            "--management.endpoints.web.exposure.include=health,prometheus",
            "--management.endpoint.health.probes.enabled=true",
            "--spring.cloud.kubernetes.enabled=false",
            "--spring.cloud.kubernetes.config.enabled=false",
            "--spring.flyway.enabled=false",
            "--spring.sql.init.mode=never",
            "--spring.autoconfigure.exclude="
                    + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                    + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "--logging.level.root=WARN",
    };

    public static void main(String[] args) {
        String[] all = new String[DEFAULTS.length + args.length];
        System.arraycopy(DEFAULTS, 0, all, 0, DEFAULTS.length);
        System.arraycopy(args, 0, all, DEFAULTS.length, args.length);
        SpringApplication.run(ActuatorPod.class, all);
        System.out.println("qa89 pod ready");
    }

    @Bean
    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .GET("/search", request -> ServerResponse.ok().bodyValue("found " + work(400)))
                .GET("/product/{id}", request -> ServerResponse.ok().bodyValue(request.pathVariable("id") + " "
                        + work(150)))
                .GET("/cart", request -> ServerResponse.ok().bodyValue("cart " + work(100)))
                .build();
    }

    /** A few microseconds of arithmetic per unit, so each route costs its own CPU. */
    private static long work(int units) {
        long h = ThreadLocalRandom.current().nextLong();
        for (int i = 0; i < units * 50; i++) {
            h = h * 6364136223846793005L + 1442695040888963407L;
        }
        return h & 0xff;
    }
}
