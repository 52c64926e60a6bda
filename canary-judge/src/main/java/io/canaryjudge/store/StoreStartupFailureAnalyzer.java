package io.canaryjudge.store;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Prints a store that cannot start as Spring Boot's "APPLICATION FAILED TO START" block (description and
 * action, naming the properties) instead of a page of nested bean-creation exceptions.
 * Registered in {@code META-INF/spring.factories}.
 */
public class StoreStartupFailureAnalyzer extends AbstractFailureAnalyzer<StoreStartupException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StoreStartupException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
