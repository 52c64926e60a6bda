package io.canaryjudge.heldout3;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.random.RandomDataGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * The simulated service, fixed for every case: "remit-gateway", a Spring Boot 3 / Tomcat / Hibernate 6 /
 * PostgreSQL / Lettuce service of an invented cross-border payments company ({@code com.ferrowave.remit}),
 * with seven HTTP endpoints, JVM-internal threads (G1, C1/C2, VM thread) and fixed-rate background work.
 * Every leaf of the call tree is a {@link Site}: a full stack (root first) with a CPU cost per request of
 * its endpoint (or per second / per allocated byte for background work) and an allocation rate.
 */
final class RemitService {

    enum Kind { REQUEST, ANY_REQUEST, FIXED, GC, JIT }

    /** One stack. cpu: ms of CPU per request of the endpoint (REQUEST), per request of any endpoint (ANY_REQUEST),
     * per second (FIXED), relative weight (GC, JIT). alloc: bytes per request / per second; allocWeight: mean bytes
     * one allocation sample stands for when the site allocates outside TLABs (0 = TLAB-sized samples). */
    record Site(String stack, Kind kind, int endpoint, double cpu, Set<String> tags, double alloc, String allocType,
                double largeObject) {
        boolean has(String tag) {
            return tags.contains(tag);
        }
    }

    static final String[] ENDPOINTS = {"GET /quotes", "GET /transfers/{id}", "GET /beneficiaries", "POST /transfers",
            "POST /compliance/screen", "POST /webhooks/partner", "GET /statements/{month}"};
    /** The daytime global mix of requests over the endpoints. */
    static final double[] GLOBAL_MIX = {0.30, 0.25, 0.15, 0.12, 0.06, 0.10, 0.02};
    /** Coefficient of variation of one request's CPU cost, per endpoint (statements vary with account size). */
    static final double[] REQUEST_COST_CV = {0.4, 0.4, 0.8, 0.6, 1.0, 0.5, 2.0};

    static final String APP = "com.ferrowave.remit.";
    /** The application function whose self cost the power cell raises (calibrated to 5 % of CPU). */
    static final String MARKUP = APP + "fx.QuotePricer.applyMarkup";
    /** The application method under which the power cell adds a new hot path. */
    static final String NEW_PATH_PARENT = APP + "quote.QuoteService.quote";
    static final String NEW_PATH = APP + "quote.QuoteAuditor.fingerprint;java.security.MessageDigest.digest;"
            + "sun.security.provider.DigestBase.engineDigest;sun.security.provider.SHA2.implDigest;"
            + "sun.security.provider.DigestBase.implCompressMultiBlock;sun.security.provider.SHA2.implCompress0";

    final List<Site> sites;
    /** Requests per second of a pod at the daytime mix, so that one pod yields ~14,000 CPU samples in 10 minutes. */
    final double requestsPerSecond;
    /** GC CPU samples per allocated byte, so that GC is ~5 % of CPU at the daytime mix. */
    final double gcSamplesPerByte;
    /** Expected CPU samples per second of a pod at the daytime mix. */
    final double samplesPerSecond;
    final int functionCount;

    RemitService() {
        Map<String, Site> out = new LinkedHashMap<>();
        for (int e = 0; e < ENDPOINTS.length; e++) {
            flatten(endpointTree(e), "", Set.of(), Kind.REQUEST, e, out);
        }
        for (N n : anyRequestTrees()) {
            flatten(n, "", Set.of(), Kind.ANY_REQUEST, -1, out);
        }
        for (N n : fixedTrees()) {
            flatten(n, "", Set.of(), Kind.FIXED, -1, out);
        }
        flatten(gcTree(), "", Set.of(), Kind.GC, -1, out);
        flatten(jitTree(), "", Set.of(), Kind.JIT, -1, out);
        List<Site> raw = new ArrayList<>(out.values());
        // allocation rates, fixed for the world (seed 7)
        RandomDataGenerator rnd = new RandomDataGenerator(new Well19937c(7));
        List<Site> withAlloc = new ArrayList<>();
        for (Site s : raw) {
            double intensity = allocIntensity(s);
            double alloc = intensity == 0 ? 0 : s.cpu() * intensity * Math.exp(rnd.nextGaussian(0, 0.7));
            String type = allocType(s);
            double large = s.has("LARGE") ? 1.5 * 1024 * 1024 : 0;
            withAlloc.add(new Site(s.stack(), s.kind(), s.endpoint(), s.cpu(), s.tags(), alloc, type, large));
        }
        // calibrate the markup function to 5 % of CPU
        double perRequestOther = 0;
        double markupPerRequest = 0;
        for (Site s : withAlloc) {
            double w = perRequest(s);
            if (s.stack().endsWith(MARKUP)) {
                markupPerRequest += w;
            } else {
                perRequestOther += w;
            }
        }
        // fixed work 4 % and JIT 0.4 % and GC 5 % of CPU: markup + other + (fixed, gc, jit) all in ms/request
        // solve target: markup' = 0.05 * total, total = (other + markup') / (1 - 0.094)
        double requestShare = 1 - 0.094;
        double total = perRequestOther / (requestShare - 0.05);
        double markupTarget = 0.05 * total;
        double markupScale = markupTarget / markupPerRequest;
        List<Site> calibrated = new ArrayList<>();
        for (Site s : withAlloc) {
            calibrated.add(s.stack().endsWith(MARKUP) ? new Site(s.stack(), s.kind(), s.endpoint(), s.cpu() * markupScale,
                    s.tags(), s.alloc(), s.allocType(), s.largeObject()) : s);
        }
        samplesPerSecond = 14_000.0 / 600.0;
        // total ms of CPU per request (all kinds) = total; samples/s = rps * total / 10
        requestsPerSecond = samplesPerSecond * 10 / total;
        double fixedPerSecondRaw = 0;
        double gcRaw = 0;
        double jitRaw = 0;
        double allocPerRequest = 0;
        double allocFixed = 0;
        for (Site s : calibrated) {
            switch (s.kind()) {
                case FIXED -> {
                    fixedPerSecondRaw += s.cpu();
                    allocFixed += s.alloc();
                }
                case GC -> gcRaw += s.cpu();
                case JIT -> jitRaw += s.cpu();
                default -> allocPerRequest += s.alloc() * (s.kind() == Kind.ANY_REQUEST ? 1 : GLOBAL_MIX[s.endpoint()]);
            }
        }
        // rescale: fixed -> 4 % of samples, jit (steady state) -> 0.4 %, gc -> 5 %, alloc -> ~14,000 samples of 512 KiB / 10 min
        double fixedScale = 0.04 * samplesPerSecond / (fixedPerSecondRaw / 10);
        double jitScale = 0.004 * samplesPerSecond / jitRaw;     // JIT in samples per second
        double gcScale = 1.0 / gcRaw;                              // GC weights sum to 1
        double bytesPerSecondTarget = 14_000.0 / 600.0 * 512 * 1024;
        double allocScale = bytesPerSecondTarget / (allocPerRequest * requestsPerSecond + allocFixed);
        List<Site> fin = new ArrayList<>();
        for (Site s : calibrated) {
            double cpu = switch (s.kind()) {
                case FIXED -> s.cpu() * fixedScale;
                case JIT -> s.cpu() * jitScale;
                case GC -> s.cpu() * gcScale;
                default -> s.cpu();
            };
            fin.add(new Site(s.stack(), s.kind(), s.endpoint(), cpu, s.tags(), s.alloc() * allocScale, s.allocType(),
                    s.largeObject()));
        }
        sites = List.copyOf(fin);
        gcSamplesPerByte = 0.05 * samplesPerSecond / bytesPerSecondTarget;
        Set<String> functions = new HashSet<>();
        for (Site s : sites) {
            functions.addAll(Arrays.asList(s.stack().split(";")));
            if (s.allocType() != null) {
                functions.add(s.allocType());
            }
        }
        functions.addAll(Arrays.asList(NEW_PATH.split(";")));
        functionCount = functions.size();
    }

    private static double perRequest(Site s) {
        return switch (s.kind()) {
            case REQUEST -> s.cpu() * GLOBAL_MIX[s.endpoint()];
            case ANY_REQUEST -> s.cpu();
            default -> 0;
        };
    }

    private static double allocIntensity(Site s) {
        String leaf = s.stack().substring(s.stack().lastIndexOf(';') + 1);
        if (s.kind() == Kind.GC || s.kind() == Kind.JIT || leaf.contains("::") || leaf.endsWith("0")
                || leaf.contains("EPoll") || leaf.contains("epoll")) {
            return 0;
        }
        if (leaf.startsWith("com.fasterxml.jackson") || leaf.contains("StringBuilder") || leaf.contains("String.")) {
            return 3;
        }
        if (leaf.startsWith("org.postgresql") || leaf.startsWith("org.hibernate")) {
            return 2.5;
        }
        if (leaf.startsWith("java.math") || s.has("EA")) {
            return 2;
        }
        if (leaf.startsWith("org.apache.pdfbox") || leaf.startsWith("java.util.zip")) {
            return 2;
        }
        if (leaf.startsWith("io.netty") || leaf.startsWith("sun.security") || leaf.startsWith("com.sun.crypto")) {
            return 0.3;
        }
        return 1;
    }

    private static String allocType(Site s) {
        String leaf = s.stack().substring(s.stack().lastIndexOf(';') + 1);
        if (s.has("LARGE") || leaf.startsWith("org.postgresql") || leaf.contains("zip")) {
            return "byte[]";
        }
        if (leaf.startsWith("com.fasterxml.jackson")) {
            return "char[]";
        }
        if (leaf.contains("StringBuilder") || leaf.contains("String.") || leaf.contains("Encoding")) {
            return "java.lang.String";
        }
        if (leaf.startsWith("java.math")) {
            return "java.math.BigDecimal";
        }
        if (leaf.contains("HashMap")) {
            return "java.util.HashMap$Node";
        }
        if (leaf.contains("ArrayList") || leaf.contains("stream")) {
            return "java.lang.Object[]";
        }
        if (leaf.startsWith("org.hibernate")) {
            return "java.lang.Object[]";
        }
        if (leaf.contains("Long.valueOf")) {
            return "java.lang.Long";
        }
        if (leaf.startsWith(APP)) {
            return leaf.substring(0, leaf.lastIndexOf('.'));
        }
        return "java.lang.Object[]";
    }

    // ----- the call tree -----

    static final class N {
        final String frame;
        final double self;
        final List<N> kids = new ArrayList<>();
        final Set<String> tags = new HashSet<>();

        N(String frame, double self) {
            this.frame = frame;
            this.self = self;
        }

        N tag(String... t) {
            tags.addAll(Arrays.asList(t));
            return this;
        }
    }

    static N n(String frame, double self, N... kids) {
        N node = new N(frame, self);
        node.kids.addAll(Arrays.asList(kids));
        return node;
    }

    /** A chain of frames "a;b;c" (root first); self and kids belong to the last. */
    static N c(String frames, double self, N... kids) {
        String[] f = frames.split(";");
        N last = n(f[f.length - 1], self, kids);
        N head = last;
        for (int i = f.length - 2; i >= 0; i--) {
            head = n(f[i], 0, head);
        }
        return head;
    }

    private static void flatten(N node, String prefix, Set<String> tags, Kind kind, int endpoint, Map<String, Site> out) {
        String stack = prefix.isEmpty() ? node.frame : prefix + ";" + node.frame;
        Set<String> t = new HashSet<>(tags);
        t.addAll(node.tags);
        if (node.self > 0) {
            Site old = out.get(stack);
            double cpu = node.self + (old == null ? 0 : old.cpu());
            out.put(stack, new Site(stack, kind, endpoint, cpu, Set.copyOf(t), 0, null, 0));
        }
        for (N kid : node.kids) {
            flatten(kid, stack, t, kind, endpoint, out);
        }
    }

    // ----- library subtrees (costs in ms per request, scaled by s) -----

    static final String TOMCAT = "java.lang.Thread.run;org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run;"
            + "org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run;org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker;"
            + "org.apache.tomcat.util.net.SocketProcessorBase.run;org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun;"
            + "org.apache.coyote.AbstractProtocol$ConnectionHandler.process;org.apache.coyote.AbstractProcessorLight.process;"
            + "org.apache.coyote.http11.Http11Processor.service";
    static final String FILTERS = "org.apache.catalina.connector.CoyoteAdapter.service;org.apache.catalina.core.StandardEngineValve.invoke;"
            + "org.apache.catalina.valves.ErrorReportValve.invoke;org.apache.catalina.core.StandardHostValve.invoke;"
            + "org.apache.catalina.authenticator.AuthenticatorBase.invoke;org.apache.catalina.core.StandardContextValve.invoke;"
            + "org.apache.catalina.core.StandardWrapperValve.invoke;org.apache.catalina.core.ApplicationFilterChain.doFilter;"
            + "org.apache.catalina.core.ApplicationFilterChain.internalDoFilter;org.springframework.web.filter.OncePerRequestFilter.doFilter;"
            + "org.springframework.web.filter.ServerHttpObservationFilter.doFilterInternal";
    static final String SECURITY = "org.springframework.web.filter.DelegatingFilterProxy.doFilter;"
            + "org.springframework.security.web.FilterChainProxy.doFilterInternal;"
            + "org.springframework.security.web.ObservationFilterChainDecorator$FilterObservation$SimpleFilterObservation.lambda$wrap$1;"
            + "org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter.doFilterInternal";
    static final String DISPATCH = "jakarta.servlet.http.HttpServlet.service;org.springframework.web.servlet.FrameworkServlet.service;"
            + "org.springframework.web.servlet.FrameworkServlet.processRequest;org.springframework.web.servlet.DispatcherServlet.doService;"
            + "org.springframework.web.servlet.DispatcherServlet.doDispatch";
    static final String INVOKE = "org.springframework.web.servlet.mvc.method.AbstractHandlerMethodAdapter.handle;"
            + "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.handleInternal;"
            + "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.invokeHandlerMethod;"
            + "org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle";

    static N jdbcExec(String entry, double s) {
        return c(entry + ";org.postgresql.jdbc.PgStatement.executeInternal;org.postgresql.core.v3.QueryExecutorImpl.execute", 0.02 * s,
                c("org.postgresql.core.v3.QueryExecutorImpl.sendQuery;org.postgresql.core.v3.QueryExecutorImpl.sendOneQuery", 0.02 * s,
                        c("org.postgresql.core.PGStream.flush;java.io.BufferedOutputStream.flush;sun.nio.ch.NioSocketImpl$2.write;"
                                + "sun.nio.ch.NioSocketImpl.write;sun.nio.ch.NioSocketImpl.implWrite;sun.nio.ch.SocketDispatcher.write0", 0.06 * s)),
                c("org.postgresql.core.v3.QueryExecutorImpl.processResults", 0.05 * s,
                        n("org.postgresql.core.PGStream.receiveTupleV3", 0.06 * s),
                        c("org.postgresql.core.VisibleBufferedInputStream.readMore;sun.nio.ch.NioSocketImpl$1.read;sun.nio.ch.NioSocketImpl.read;"
                                + "sun.nio.ch.NioSocketImpl.implRead;sun.nio.ch.NioSocketImpl.timedRead;sun.nio.ch.SocketDispatcher.read0", 0.07 * s)))
                .tag("DB");
    }

    static N hikari(double s) {
        return c("com.zaxxer.hikari.HikariDataSource.getConnection;com.zaxxer.hikari.pool.HikariPool.getConnection;"
                + "com.zaxxer.hikari.util.ConcurrentBag.borrow", 0.02 * s).tag("DB");
    }

    static N hibernateSelect(double s) {
        return c("org.hibernate.sql.exec.internal.JdbcSelectExecutorStandardImpl.list;"
                        + "org.hibernate.sql.exec.internal.JdbcSelectExecutorStandardImpl.doExecuteQuery", 0.02 * s,
                c("org.hibernate.sql.results.jdbc.internal.DeferredResultSetAccess.getResultSet;"
                        + "org.hibernate.sql.results.jdbc.internal.DeferredResultSetAccess.executeQuery", 0.01 * s,
                        hikari(s), jdbcExec("com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeQuery;"
                                + "org.postgresql.jdbc.PgPreparedStatement.executeQuery;org.postgresql.jdbc.PgPreparedStatement.executeWithFlags", s)),
                c("org.hibernate.sql.results.spi.ListResultsConsumer.consume;org.hibernate.sql.results.internal.RowProcessingStateStandardImpl.next", 0.02 * s,
                        c("org.hibernate.sql.results.internal.StandardRowReader.readRow;"
                                        + "org.hibernate.sql.results.graph.entity.internal.EntityInitializerImpl.resolveInstance", 0.05 * s,
                                c("org.hibernate.type.descriptor.jdbc.VarcharJdbcType$2.doExtract;org.postgresql.jdbc.PgResultSet.getString;"
                                        + "org.postgresql.core.Encoding.decode", 0.04 * s)),
                        n("org.hibernate.engine.internal.StatefulPersistenceContext.addEntity", 0.02 * s))).tag("DB");
    }

    static N jpaFind(double s) {
        return c("org.springframework.data.jpa.repository.support.SimpleJpaRepository.findById;org.hibernate.internal.SessionImpl.find;"
                        + "org.hibernate.event.internal.DefaultLoadEventListener.onLoad;org.hibernate.event.internal.DefaultLoadEventListener.doLoad;"
                        + "org.hibernate.loader.ast.internal.SingleIdEntityLoaderStandardImpl.load;org.hibernate.loader.ast.internal.SingleIdLoadPlan.load",
                0.03 * s, hibernateSelect(s)).tag("DB");
    }

    static N jpaQuery(double s) {
        return c("org.springframework.data.jpa.repository.query.AbstractJpaQuery.execute;"
                        + "org.springframework.data.jpa.repository.query.JpaQueryExecution$CollectionExecution.doExecute;"
                        + "org.hibernate.query.spi.AbstractSelectionQuery.list;org.hibernate.query.sqm.internal.ConcreteSqmSelectQueryPlan.performList",
                0.04 * s, hibernateSelect(s),
                n("org.hibernate.query.sqm.internal.QuerySqmImpl.resolveParameterBindings", 0.03 * s)).tag("DB");
    }

    static N jpaPersist(double s) {
        return c("org.hibernate.internal.SessionImpl.persist;org.hibernate.event.internal.DefaultPersistEventListener.onPersist;"
                + "org.hibernate.event.internal.AbstractSaveEventListener.performSave", 0.05 * s,
                n("org.hibernate.id.enhanced.PooledOptimizer.generate", 0.01 * s)).tag("DB");
    }

    static N txCommit(double s) {
        return c("org.springframework.transaction.support.AbstractPlatformTransactionManager.commit;"
                        + "org.springframework.orm.jpa.JpaTransactionManager.doCommit;org.hibernate.engine.transaction.internal.TransactionImpl.commit;"
                        + "org.hibernate.internal.SessionImpl.beforeTransactionCompletion;org.hibernate.internal.SessionImpl.flush;"
                        + "org.hibernate.event.internal.DefaultFlushEventListener.onFlush", 0.03 * s,
                n("org.hibernate.event.internal.AbstractFlushingEventListener.flushEntities", 0.05 * s,
                        n("org.hibernate.event.internal.DefaultFlushEntityEventListener.dirtyCheck", 0.06 * s)),
                c("org.hibernate.engine.spi.ActionQueue.executeActions;org.hibernate.action.internal.EntityInsertAction.execute;"
                                + "org.hibernate.persister.entity.mutation.InsertCoordinator.coordinateInsert", 0.03 * s,
                        jdbcExec("com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeUpdate;"
                                + "org.postgresql.jdbc.PgPreparedStatement.executeUpdate;org.postgresql.jdbc.PgPreparedStatement.executeWithFlags", s)),
                c("org.hibernate.resource.jdbc.internal.LogicalConnectionManagedImpl.commit;org.postgresql.jdbc.PgConnection.commit", 0.01 * s,
                        jdbcExec("org.postgresql.jdbc.PgConnection.executeTransactionCommand", 0.3 * s))).tag("DB");
    }

    static N jacksonWrite(double s) {
        return c("com.fasterxml.jackson.databind.ObjectWriter.writeValue;com.fasterxml.jackson.databind.ObjectWriter$GeneratorSettings.serialize;"
                        + "com.fasterxml.jackson.databind.ser.DefaultSerializerProvider.serializeValue;com.fasterxml.jackson.databind.ser.BeanSerializer.serialize",
                0.01 * s,
                c("com.fasterxml.jackson.databind.ser.std.BeanSerializerBase.serializeFields;"
                                + "com.fasterxml.jackson.databind.ser.BeanPropertyWriter.serializeAsField", 0.05 * s,
                        c("com.fasterxml.jackson.databind.ser.std.StringSerializer.serialize;com.fasterxml.jackson.core.json.UTF8JsonGenerator.writeString",
                                0.06 * s),
                        c("com.fasterxml.jackson.databind.ser.std.NumberSerializer.serialize;com.fasterxml.jackson.core.json.UTF8JsonGenerator.writeNumber;"
                                + "java.math.BigDecimal.toPlainString", 0.03 * s),
                        c("com.fasterxml.jackson.databind.ser.std.CollectionSerializer.serializeContents", 0.01 * s,
                                c("com.fasterxml.jackson.databind.ser.BeanSerializer.serialize;com.fasterxml.jackson.databind.ser.std.BeanSerializerBase.serializeFields",
                                        0.04 * s,
                                        c("com.fasterxml.jackson.databind.ser.std.StringSerializer.serialize;"
                                                + "com.fasterxml.jackson.core.json.UTF8JsonGenerator.writeString", 0.05 * s))),
                        c("com.fasterxml.jackson.datatype.jsr310.ser.InstantSerializerBase.serialize;java.time.format.DateTimeFormatter.format",
                                0.03 * s)),
                c("com.fasterxml.jackson.core.json.UTF8JsonGenerator.flush;org.apache.catalina.connector.CoyoteOutputStream.write;"
                        + "org.apache.catalina.connector.OutputBuffer.append", 0.02 * s));
    }

    static N jacksonRead(double s) {
        return c("com.fasterxml.jackson.databind.ObjectMapper.readValue;com.fasterxml.jackson.databind.ObjectMapper._readMapAndClose;"
                        + "com.fasterxml.jackson.databind.deser.BeanDeserializer.deserialize;"
                        + "com.fasterxml.jackson.databind.deser.BeanDeserializer.vanillaDeserialize", 0.04 * s,
                n("com.fasterxml.jackson.core.json.UTF8StreamJsonParser.nextFieldName", 0.04 * s),
                c("com.fasterxml.jackson.databind.deser.impl.MethodProperty.deserializeAndSet;"
                        + "com.fasterxml.jackson.databind.deser.std.StringDeserializer.deserialize;"
                        + "com.fasterxml.jackson.core.json.UTF8StreamJsonParser.getText", 0.04 * s),
                c("com.fasterxml.jackson.databind.deser.impl.FieldProperty.deserializeAndSet;"
                        + "com.fasterxml.jackson.databind.deser.std.NumberDeserializers$BigDecimalDeserializer.deserialize;"
                        + "java.math.BigDecimal.<init>", 0.03 * s));
    }

    static N validate(double s) {
        return c("org.springframework.validation.beanvalidation.SpringValidatorAdapter.validate;"
                        + "org.hibernate.validator.internal.engine.ValidatorImpl.validate;"
                        + "org.hibernate.validator.internal.engine.ValidatorImpl.validateInContext", 0.03 * s,
                c("org.hibernate.validator.internal.engine.constraintvalidation.SimpleConstraintTree.validateConstraints;"
                        + "org.hibernate.validator.internal.constraintvalidators.bv.PatternValidator.isValid;java.util.regex.Matcher.matches;"
                        + "java.util.regex.Pattern$Start.match;java.util.regex.Pattern$CharPropertyGreedy.match", 0.04 * s),
                n("org.hibernate.validator.internal.engine.valuecontext.ValueContexts.getLocalExecutionContextForExecutable", 0.02 * s));
    }

    static N hmac(double s) {
        return c("javax.crypto.Mac.doFinal;com.sun.crypto.provider.HmacCore.engineDoFinal;sun.security.provider.DigestBase.engineDigest;"
                + "sun.security.provider.SHA2.implDigest;sun.security.provider.DigestBase.implCompressMultiBlock;"
                + "sun.security.provider.SHA2.implCompress0", 0.08 * s).tag("CRYPTO");
    }

    static N redis(String op, double s) {
        return c("io.lettuce.core.FutureSyncInvocationHandler.handleInvocation", 0.01 * s,
                c("io.lettuce.core.AbstractRedisAsyncCommands." + op + ";io.lettuce.core.AbstractRedisAsyncCommands.dispatch;"
                        + "io.lettuce.core.StatefulRedisConnectionImpl.dispatch;io.lettuce.core.protocol.DefaultEndpoint.write", 0.03 * s,
                        n("io.lettuce.core.protocol.DefaultEndpoint.writeToChannelAndFlush", 0.02 * s)),
                c("io.lettuce.core.codec.StringCodec.encodeValue;io.lettuce.core.codec.StringCodec.encodeAndAllocateBuffer", 0.02 * s),
                c("io.lettuce.core.protocol.AsyncCommand.await;java.util.concurrent.CompletableFuture.get;"
                        + "java.util.concurrent.CompletableFuture.waitingGet", 0.01 * s)).tag("REDIS");
    }

    static N log(double s) {
        return c("ch.qos.logback.classic.Logger.info;ch.qos.logback.classic.Logger.filterAndLog_1;ch.qos.logback.classic.Logger.buildLoggingEventAndAppend",
                0.01 * s, c("ch.qos.logback.classic.spi.LoggingEvent.<init>;ch.qos.logback.classic.spi.LoggingEvent.extractThrowableAnRearrangeArguments",
                        0.01 * s), c("ch.qos.logback.core.AsyncAppenderBase.append;java.util.concurrent.ArrayBlockingQueue.offer", 0.01 * s));
    }

    static N bigDecimal(double s) {
        return n("java.math.BigDecimal.multiply", 0.04 * s, n("java.math.BigDecimal.multiplyAndRound", 0.02 * s)).tag("EA");
    }

    static N partnerCall(String method, double s) {
        return c(APP + "partner.PartnerClient." + method + ";io.github.resilience4j.retry.internal.RetryImpl$ContextImpl.executeCheckedSupplier", 0.01 * s,
                c("reactor.core.publisher.Mono.block;reactor.core.publisher.BlockingSingleSubscriber.blockingGet", 0.02 * s,
                        c("java.util.concurrent.CountDownLatch.await;java.util.concurrent.locks.AbstractQueuedSynchronizer.acquireSharedInterruptibly",
                                0.01 * s)),
                c("org.springframework.web.reactive.function.client.DefaultWebClient$DefaultRequestBodyUriSpec.retrieve;"
                        + "org.springframework.web.reactive.function.client.DefaultWebClient$DefaultRequestBodyUriSpec.exchange", 0.03 * s,
                        c("org.springframework.http.codec.json.AbstractJackson2Encoder.encodeValue", 0.02 * s, jacksonWrite(0.3 * s))),
                // only rises when the partner times out (I/O bursts): retries build exceptions
                c("io.github.resilience4j.retry.internal.RetryImpl$ContextImpl.onError;"
                        + "org.springframework.web.reactive.function.client.WebClientRequestException.<init>;java.lang.Throwable.<init>;"
                        + "java.lang.Throwable.fillInStackTrace;java.lang.StackStreamFactory$AbstractStackWalker.callStackWalk", 0.003 * s).tag("EXC"))
                .tag("HTTP");
    }

    // ----- endpoints -----

    private static N endpointTree(int e) {
        String controller;
        N body;
        double resp;
        boolean post = ENDPOINTS[e].startsWith("POST");
        switch (e) {
            case 0 -> {
                controller = APP + "api.QuoteController.getQuote";
                resp = 0.5;
                body = n(APP + "quote.QuoteService.quote", 0.05,
                        c(APP + "fx.FxRateCache.get", 0.04, n("java.util.concurrent.ConcurrentHashMap.get", 0.04),
                                n(APP + "fx.FxRateCache.isStale", 0.01),
                                c("ObjectSynchronizer::enter;ObjectMonitor::enter;ObjectMonitor::TrySpin", 0.004).tag("SPIN")).tag("LOCK"),
                        c(APP + "fx.CorridorRegistry.lookup", 0.04, n("java.util.HashMap.getNode", 0.02), n("java.lang.String.hashCode", 0.01)),
                        c(APP + "quote.FeeSchedule.feesFor", 0.05,
                                c(APP + "quote.FeeRule.matches", 0.08, c("java.util.regex.Matcher.find;java.util.regex.Matcher.search;"
                                        + "java.util.regex.Pattern$BmpCharProperty.match", 0.06)),
                                n("java.util.ArrayList.iterator", 0.01).tag("EA")),
                        c(APP + "fx.QuotePricer.price", 0.04, n(APP + "fx.QuotePricer.applyMarkup", 0.3, bigDecimal(1)),
                                c("java.math.BigDecimal.setScale;java.math.BigDecimal.divideAndRound", 0.04).tag("EA")),
                        c(APP + "quote.QuoteSigner.sign", 0.02, hmac(1), c("java.util.Base64$Encoder.encode", 0.02)),
                        c(APP + "quote.QuoteStore.save", 0.02, redis("setex", 1)),
                        c(APP + "quote.QuoteView.of", 0.02, n("java.lang.Long.valueOf", 0.005).tag("EA")));
            }
            case 1 -> {
                controller = APP + "api.TransferController.status";
                resp = 0.5;
                body = n(APP + "transfer.TransferQueryService.findStatus", 0.03,
                        c(APP + "transfer.StatusCache.lookup", 0.02, redis("get", 1)),
                        c("jdk.proxy2.$Proxy142.findById;" + APP + "persistence.TransferRepository.findById", 0.0, jpaFind(1)),
                        c(APP + "transfer.TransferMapper.toView", 0.05,
                                c(APP + "transfer.StatusTimeline.build", 0.06, c("java.util.ArrayList.sort;java.util.TimSort.sort", 0.03),
                                        c("java.util.stream.ReferencePipeline.collect", 0.02).tag("EA"),
                                        c("java.time.format.DateTimeFormatter.format;java.time.format.DateTimeFormatterBuilder$CompositePrinterParser.format",
                                                0.05))));
            }
            case 2 -> {
                controller = APP + "api.BeneficiaryController.list";
                resp = 1.5;
                body = n(APP + "beneficiary.BeneficiaryService.list", 0.03,
                        c("jdk.proxy2.$Proxy151.findByOwner;" + APP + "persistence.BeneficiaryRepository.findByOwner", 0.0, jpaQuery(1.4)),
                        c(APP + "beneficiary.IbanMasker.mask", 0.06, n("java.lang.StringBuilder.append", 0.03)),
                        c(APP + "beneficiary.BeneficiaryView.of", 0.03, n("java.util.ArrayList.iterator", 0.01).tag("EA")),
                        c(APP + "beneficiary.CountryRules.displayName", 0.02, n("java.util.HashMap.getNode", 0.02)));
            }
            case 3 -> {
                controller = APP + "api.TransferController.create";
                resp = 0.4;
                body = c("org.springframework.transaction.interceptor.TransactionInterceptor.invoke;"
                                + "org.springframework.transaction.interceptor.TransactionAspectSupport.invokeWithinTransaction;"
                                + APP + "transfer.TransferService.create", 0.06,
                        c(APP + "transfer.IdempotencyGuard.check", 0.02, redis("setnx", 1)),
                        c(APP + "quote.QuoteService.redeem", 0.03, c(APP + "quote.QuoteStore.load", 0.01, redis("get", 1)),
                                c(APP + "quote.QuoteSigner.verify", 0.02, hmac(1), c("java.security.MessageDigest.isEqual", 0.01))),
                        c(APP + "compliance.SanctionsScreener.screen", 0.03,
                                c(APP + "compliance.NameNormalizer.normalize", 0.03, c("java.text.Normalizer.normalize;"
                                        + "jdk.internal.icu.text.NormalizerBase.normalize", 0.06), n("java.lang.String.toLowerCase", 0.02)),
                                c(APP + "compliance.WatchlistIndex.candidates", 0.08, n("java.util.HashMap.getNode", 0.03),
                                        n(APP + "compliance.Trigram.of", 0.06)),
                                c(APP + "compliance.FuzzyMatcher.score", 0.06, n(APP + "compliance.JaroWinkler.similarity", 0.35))),
                        c(APP + "ledger.LedgerPoster.post", 0.04, c(APP + "ledger.DoubleEntry.balance", 0.05,
                                c("java.math.BigDecimal.add;java.math.BigDecimal.add", 0.03).tag("EA")), jpaPersist(1)),
                        c(APP + "notify.OutboxWriter.enqueue", 0.02, c("com.fasterxml.jackson.databind.ObjectMapper.writeValueAsString", 0.0,
                                jacksonWrite(0.4)), jpaPersist(0.6)),
                        partnerCall("submit", 1),
                        c(APP + "transfer.TransferService.audit", 0.01, log(1)),
                        txCommit(1));
            }
            case 4 -> {
                controller = APP + "api.ScreeningController.screen";
                resp = 0.3;
                body = c(APP + "compliance.SanctionsScreener.screenBatch", 0.05,
                        c(APP + "compliance.NameNormalizer.normalize", 0.08, c("java.text.Normalizer.normalize;"
                                + "jdk.internal.icu.text.NormalizerBase.normalize", 0.15), n("java.lang.String.toLowerCase", 0.05)),
                        c(APP + "compliance.WatchlistIndex.candidates", 0.25, n("java.util.HashMap.getNode", 0.08),
                                n(APP + "compliance.Trigram.of", 0.2)),
                        c(APP + "compliance.FuzzyMatcher.score", 0.15, n(APP + "compliance.JaroWinkler.similarity", 1.1),
                                n(APP + "compliance.FuzzyMatcher.tokenSetRatio", 0.25)),
                        c(APP + "compliance.ScreeningAudit.record", 0.02, jpaPersist(1), txCommit(0.8)));
            }
            case 5 -> {
                controller = APP + "api.PartnerWebhookController.receive";
                resp = 0.1;
                body = n(APP + "partner.WebhookHandler.handle", 0.03,
                        c(APP + "partner.WebhookVerifier.verify", 0.03, hmac(2), c("java.util.Base64$Decoder.decode", 0.02)),
                        c(APP + "partner.SettlementUpdater.apply", 0.04, c("jdk.proxy2.$Proxy142.findById;"
                                        + APP + "persistence.TransferRepository.findById", 0.0, jpaFind(1)),
                                c(APP + "transfer.TransferStateMachine.transition", 0.05, n("java.util.EnumMap.get", 0.01)),
                                txCommit(1)),
                        c(APP + "notify.OutboxWriter.enqueue", 0.02, c("com.fasterxml.jackson.databind.ObjectMapper.writeValueAsString", 0.0,
                                jacksonWrite(0.4)), jpaPersist(0.6)),
                        c(APP + "partner.WebhookHandler.ack", 0.01, log(1)));
            }
            default -> {
                controller = APP + "api.StatementController.export";
                resp = 0;
                body = n(APP + "statement.StatementService.monthly", 0.2,
                        c("jdk.proxy2.$Proxy163.streamByAccountAndMonth;" + APP + "persistence.LedgerEntryRepository.streamByAccountAndMonth",
                                0.0, jpaQuery(25)),
                        c(APP + "statement.StatementAggregator.aggregate", 1.2, c("java.math.BigDecimal.add;java.math.BigDecimal.add", 0.8).tag("EA"),
                                n("java.util.HashMap.merge", 0.5)),
                        c(APP + "statement.CsvRenderer.render", 1.0, n("java.lang.StringBuilder.append", 1.5).tag("LARGE"),
                                n("java.math.BigDecimal.toPlainString", 0.8),
                                c("java.time.format.DateTimeFormatter.format;java.time.format.DateTimeFormatterBuilder$CompositePrinterParser.format",
                                        1.0)),
                        c(APP + "statement.PdfRenderer.render", 0.8,
                                c("org.apache.pdfbox.pdmodel.PDPageContentStream.showText;org.apache.pdfbox.pdmodel.font.PDType0Font.encode",
                                        2.0, n("org.apache.pdfbox.pdmodel.font.TrueTypeEmbedder.addToSubset", 0.6)),
                                c("org.apache.pdfbox.pdmodel.PDDocument.save;org.apache.pdfbox.pdfwriter.COSWriter.write;"
                                        + "org.apache.pdfbox.pdfwriter.COSWriter.doWriteObject", 0.5,
                                        c("org.apache.pdfbox.cos.COSStream.createOutputStream;org.apache.pdfbox.filter.FlateFilter.encode;"
                                                + "java.util.zip.DeflaterOutputStream.write;java.util.zip.Deflater.deflate;"
                                                + "java.util.zip.Deflater.deflateBytesBytes", 3.0).tag("CRYPTO", "LARGE"))),
                        c("org.springframework.http.converter.ByteArrayHttpMessageConverter.writeInternal;"
                                + "org.springframework.util.StreamUtils.copy;org.apache.catalina.connector.OutputBuffer.write", 0.3));
            }
        }
        List<N> inDispatch = new ArrayList<>();
        inDispatch.add(c("org.springframework.web.servlet.DispatcherServlet.getHandler;"
                + "org.springframework.web.servlet.handler.AbstractHandlerMethodMapping.lookupHandlerMethod", 0.03,
                n("org.springframework.web.util.pattern.PathPattern.matches", 0.02)));
        List<N> inInvoke = new ArrayList<>();
        List<N> args = new ArrayList<>();
        if (post) {
            args.add(c("org.springframework.web.servlet.mvc.method.annotation.RequestResponseBodyMethodProcessor.resolveArgument;"
                            + "org.springframework.web.servlet.mvc.method.annotation.AbstractMessageConverterMethodArgumentResolver.readWithMessageConverters;"
                            + "org.springframework.http.converter.json.AbstractJackson2HttpMessageConverter.read", 0.01,
                    jacksonRead(e == 4 ? 3 : 1)));
            args.add(c("org.springframework.web.servlet.mvc.method.annotation.RequestResponseBodyMethodProcessor.validateIfApplicable", 0, validate(1)));
        }
        inInvoke.add(c("org.springframework.web.method.support.InvocableHandlerMethod.invokeForRequest", 0.01,
                c("org.springframework.web.method.support.InvocableHandlerMethod.getMethodArgumentValues", 0.01, args.toArray(new N[0])),
                c("org.springframework.web.method.support.InvocableHandlerMethod.doInvoke;java.lang.reflect.Method.invoke;" + controller, 0.01, body)));
        if (resp > 0) {
            inInvoke.add(c("org.springframework.web.method.support.HandlerMethodReturnValueHandlerComposite.handleReturnValue;"
                            + "org.springframework.web.servlet.mvc.method.annotation.RequestResponseBodyMethodProcessor.handleReturnValue;"
                            + "org.springframework.web.servlet.mvc.method.annotation.AbstractMessageConverterMethodProcessor.writeWithMessageConverters;"
                            + "org.springframework.http.converter.json.AbstractJackson2HttpMessageConverter.writeInternal", 0.01,
                    jacksonWrite(resp)));
        }
        inDispatch.add(c(INVOKE, 0.02, inInvoke.toArray(new N[0])));
        N dispatch = c(DISPATCH, 0.01, inDispatch.toArray(new N[0]));
        N security = c(SECURITY, 0.02,
                c("org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider.authenticate;"
                        + "org.springframework.security.oauth2.jwt.NimbusJwtDecoder.decode;com.nimbusds.jwt.proc.DefaultJWTProcessor.process", 0.02,
                        c("com.nimbusds.jose.crypto.RSASSAVerifier.verify;java.security.Signature.verify;"
                                + "sun.security.rsa.RSASignature.engineVerify;sun.security.rsa.RSACore.rsa;java.math.BigInteger.modPow;"
                                + "java.math.BigInteger.oddModPow;java.math.BigInteger.montgomerySquare", 0.09).tag("CRYPTO"),
                        c("com.nimbusds.jose.util.Base64URL.decode;com.nimbusds.jose.util.Base64Codec.decode", 0.02),
                        c("com.nimbusds.jose.shaded.gson.Gson.fromJson;com.nimbusds.jose.shaded.gson.internal.bind.ObjectTypeAdapter.read", 0.03)),
                c("org.apache.catalina.core.ApplicationFilterChain.doFilter", 0.0, dispatch));
        N observation = c("io.micrometer.observation.SimpleObservation.stop;"
                        + "io.micrometer.core.instrument.observation.DefaultMeterObservationHandler.onStop;"
                        + "io.micrometer.core.instrument.Timer$Sample.stop;io.micrometer.prometheusmetrics.PrometheusTimer.recordNonNegative", 0.02,
                n("io.micrometer.core.instrument.distribution.TimeWindowPercentileHistogram.recordLong", 0.02));
        N filters = c(FILTERS, 0.01, security, observation);
        return c(TOMCAT, 0.02, n("org.apache.coyote.http11.Http11InputBuffer.parseRequestLine", 0.03),
                n("org.apache.coyote.http11.Http11InputBuffer.parseHeaders", 0.03), filters,
                c("org.apache.coyote.http11.Http11OutputBuffer.commit;org.apache.tomcat.util.net.NioEndpoint$NioSocketWrapper.doWrite;"
                        + "sun.nio.ch.SocketChannelImpl.write;sun.nio.ch.IOUtil.write;sun.nio.ch.SocketDispatcher.write0", 0.04));
    }

    private static List<N> anyRequestTrees() {
        List<N> list = new ArrayList<>();
        list.add(c("java.lang.Thread.run;org.apache.tomcat.util.net.NioEndpoint$Poller.run", 0.005,
                c("sun.nio.ch.SelectorImpl.select;sun.nio.ch.SelectorImpl.lockAndDoSelect;sun.nio.ch.EPollSelectorImpl.doSelect;"
                        + "sun.nio.ch.EPoll.wait", 0.02),
                c("org.apache.tomcat.util.net.NioEndpoint$Poller.processKey;org.apache.tomcat.util.net.AbstractEndpoint.processSocket",
                        0.01)));
        list.add(c("java.lang.Thread.run;ch.qos.logback.core.AsyncAppenderBase$Worker.run;ch.qos.logback.core.OutputStreamAppender.subAppend",
                0.003, c("net.logstash.logback.encoder.LogstashEncoder.encode;net.logstash.logback.composite.CompositeJsonFormatter.writeEvent;"
                        + "com.fasterxml.jackson.core.json.WriterBasedJsonGenerator.writeString", 0.02),
                c("ch.qos.logback.core.OutputStreamAppender.writeBytes;java.io.FileOutputStream.writeBytes", 0.01)));
        // netty event loops: partner HTTPS (reactor-netty) and Redis (lettuce); tagged by resource
        String loop = "java.lang.Thread.run;io.netty.util.concurrent.FastThreadLocalRunnable.run;"
                + "io.netty.util.internal.ThreadExecutorMap$2.run;io.netty.util.concurrent.SingleThreadEventExecutor$4.run;"
                + "io.netty.channel.epoll.EpollEventLoop.run";
        list.add(c(loop, 0.002, c("io.netty.channel.epoll.EpollEventLoop.epollWait;io.netty.channel.epoll.Native.epollWait", 0.01),
                c("io.netty.channel.epoll.EpollEventLoop.processReady;"
                                + "io.netty.channel.epoll.AbstractEpollStreamChannel$EpollStreamUnsafe.epollInReady;"
                                + "io.netty.channel.DefaultChannelPipeline.fireChannelRead", 0.002,
                        c("io.netty.handler.ssl.SslHandler.channelRead;io.netty.handler.codec.ByteToMessageDecoder.channelRead;"
                                + "io.netty.handler.ssl.SslHandler.decode;io.netty.handler.ssl.SslHandler.unwrap;sun.security.ssl.SSLEngineImpl.unwrap;"
                                + "sun.security.ssl.SSLTransport.decode;sun.security.ssl.SSLCipher$T13GcmReadCipherGenerator$GcmReadCipher.decrypt;"
                                + "javax.crypto.Cipher.doFinal;com.sun.crypto.provider.GaloisCounterMode$GCMDecrypt.doFinal", 0.012).tag("HTTP", "CRYPTO"),
                        c("reactor.netty.http.client.HttpClientOperations.onInboundNext;reactor.netty.channel.FluxReceive.onInboundNext", 0.005)
                                .tag("HTTP"),
                        c("io.lettuce.core.protocol.CommandHandler.channelRead;io.lettuce.core.protocol.CommandHandler.decode;"
                                + "io.lettuce.core.protocol.RedisStateMachine.decode", 0.01).tag("REDIS"))));
        return list;
    }

    /** Fixed-rate work, weights relative (rescaled to 4 % of CPU). */
    private static List<N> fixedTrees() {
        List<N> list = new ArrayList<>();
        String sched = "java.lang.Thread.run;java.util.concurrent.ThreadPoolExecutor$Worker.run;"
                + "java.util.concurrent.ThreadPoolExecutor.runWorker;java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask.run";
        list.add(c(sched + ";org.springframework.scheduling.support.ScheduledMethodRunnable.run;java.lang.reflect.Method.invoke;"
                        + APP + "fx.RateRefresher.refresh", 0.05,
                partnerCall("fetchRates", 2), c("com.fasterxml.jackson.databind.ObjectMapper.readValue", 0, jacksonRead(3)),
                c(APP + "fx.FxRateCache.replaceAll", 0.1, n("java.util.concurrent.ConcurrentHashMap.putVal", 0.1)).tag("LOCK")));
        list.add(c(sched + ";com.zaxxer.hikari.pool.HikariPool$HouseKeeper.run", 0.05,
                n("com.zaxxer.hikari.pool.HikariPool.fillPool", 0.02)).tag("DB"));
        list.add(c(TOMCAT + ";" + FILTERS + ";" + DISPATCH + ";" + INVOKE
                        + ";org.springframework.web.method.support.InvocableHandlerMethod.invokeForRequest;"
                        + "org.springframework.boot.actuate.endpoint.web.servlet.AbstractWebMvcEndpointHandlerMapping$OperationHandler.handle;"
                        + "org.springframework.boot.actuate.metrics.export.prometheus.PrometheusScrapeEndpoint.scrape", 0.05,
                c("io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.write", 0.3,
                        n("io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.writeNameAndLabels", 0.3)),
                c("io.prometheus.metrics.model.registry.PrometheusRegistry.scrape;io.micrometer.prometheusmetrics.PrometheusMeterRegistry$1.collect",
                        0.4, n("io.micrometer.core.instrument.distribution.TimeWindowPercentileHistogram.takeSnapshot", 0.3))));
        list.add(c("thread_native_entry;Thread::call_run;VMThread::run;VMThread::inner_execute;SafepointSynchronize::begin", 0.15));
        list.add(c("thread_native_entry;Thread::call_run;WatcherThread::run;PeriodicTask::real_time_tick", 0.05));
        list.add(c("thread_native_entry;Thread::call_run;JavaThread::thread_main_inner;ServiceThread::service_thread_entry", 0.05));
        return list;
    }

    /** G1 threads, weights relative. */
    private static N gcTree() {
        String gang = "thread_native_entry;Thread::call_run;AbstractGangWorker::run;GangWorker::loop";
        return c("thread_native_entry;Thread::call_run", 0,
                c("AbstractGangWorker::run;GangWorker::loop;G1EvacuateRegionsTask::work", 0,
                        c("G1EvacuateRegionsBaseTask::evacuate_live_objects;G1ParEvacuateFollowersClosure::do_void", 0.02,
                                n("G1ParScanThreadState::trim_queue_to_threshold", 0.35,
                                        n("G1ParScanThreadState::do_copy_to_survivor_space", 0.25))),
                        c("G1EvacuateRegionsTask::scan_roots;G1RootProcessor::evacuate_roots", 0.02,
                                n("G1CodeBlobClosure::do_code_blob", 0.04), n("G1CLDScanClosure::do_cld", 0.02)),
                        c("G1RemSet::scan_heap_roots;G1ScanHRForRegionClosure::scan_heap_roots", 0.07),
                        c("G1ParTask::steal_work;GenericTaskQueueSet::steal_best_of_2", 0.03)),
                c("AbstractGangWorker::run;GangWorker::loop;G1CMConcurrentMarkingTask::work;G1CMTask::do_marking_step", 0.03,
                        n("G1CMBitMap::iterate", 0.06), n("G1CMTask::drain_local_queue", 0.04)),
                c("ConcurrentGCThread::run;G1ConcurrentRefineThread::run_service;G1ConcurrentRefine::do_refinement_step;"
                        + "G1RemSet::refine_card_concurrently", 0.06),
                c("VMThread::run;VMThread::inner_execute;VMThread::evaluate_operation;VM_G1CollectForAllocation::doit;"
                        + "G1CollectedHeap::do_collection_pause_at_safepoint", 0.03,
                        n("G1CollectedHeap::pre_evacuate_collection_set", 0.01), n("G1Policy::record_collection_pause_end", 0.01)),
                c("G1ServiceThread::run_service;G1PeriodicGCTask::execute", 0.004));
    }

    /** C1/C2 compiler threads, weights relative (steady state 0.4 % of CPU, a young JVM far more). */
    private static N jitTree() {
        return c("thread_native_entry;Thread::call_run;JavaThread::thread_main_inner;CompileBroker::compiler_thread_loop", 0.01,
                c("CompileBroker::invoke_compiler_on_method", 0.01,
                        c("C2Compiler::compile_method;Compile::Compile", 0.02,
                                c("Compile::Optimize", 0.02, n("PhaseIdealLoop::build_and_optimize", 0.25), n("PhaseIterGVN::optimize", 0.12),
                                        n("PhaseMacroExpand::expand_macro_nodes", 0.04), n("ConnectionGraph::do_analysis", 0.05)),
                                c("Compile::Code_Gen", 0.02, n("PhaseChaitin::Register_Allocate", 0.18), n("PhaseCFG::do_global_code_motion", 0.05),
                                        n("Matcher::match", 0.05)),
                                c("ParseGenerator::generate;Parse::Parse;Parse::do_all_blocks", 0.08)),
                        c("Compiler::compile_method;Compilation::Compilation;Compilation::compile_method;Compilation::compile_java_method", 0.01,
                                n("LinearScan::do_linear_scan", 0.06), c("IR::IR;GraphBuilder::GraphBuilder", 0.05),
                                n("Compilation::emit_code_body", 0.03))),
                c("CompileQueue::get", 0.01));
    }
}
