package io.canaryjudge.judge;

import java.util.List;

/**
 * The well-known third-party libraries whose frames are {@link FrameClass#LIBRARY}, not application
 * code, by default: Java package prefixes and the name a summary gives them ("mostly Jackson").
 * README.md lists the same. A service adds its own with {@code libraryPackages}, or narrows what is
 * application with {@code applicationPackages}.
 */
final class LibraryPackages {
    private LibraryPackages() {
    }

    /** A package prefix (without trailing dot) and the library's display name. */
    record Library(String prefix, String name) {
    }

    static final List<Library> DEFAULTS = List.of(
            // serialisation
            new Library("com.fasterxml.jackson", "Jackson"), new Library("tools.jackson", "Jackson"),
            new Library("com.google.gson", "Gson"), new Library("com.google.protobuf", "protobuf"),
            new Library("org.yaml.snakeyaml", "SnakeYAML"), new Library("org.json", "org.json"),
            new Library("com.alibaba.fastjson", "fastjson"), new Library("com.alibaba.fastjson2", "fastjson"),
            new Library("org.apache.avro", "Avro"), new Library("org.apache.thrift", "Thrift"),
            new Library("com.esotericsoftware.kryo", "Kryo"), new Library("org.msgpack", "MessagePack"),
            new Library("com.ctc.wstx", "Woodstox"), new Library("org.codehaus.jackson", "Jackson"),
            new Library("net.minidev.json", "json-smart"), new Library("com.jayway.jsonpath", "JsonPath"),
            // web, RPC and networking
            new Library("io.netty", "Netty"), new Library("org.springframework", "Spring"),
            new Library("io.grpc", "gRPC"), new Library("reactor", "Reactor"), new Library("io.reactivex", "RxJava"),
            new Library("rx", "RxJava"), new Library("io.vertx", "Vert.x"), new Library("io.undertow", "Undertow"),
            new Library("org.xnio", "XNIO"), new Library("org.eclipse.jetty", "Jetty"),
            new Library("org.apache.catalina", "Tomcat"), new Library("org.apache.coyote", "Tomcat"),
            new Library("org.apache.tomcat", "Tomcat"), new Library("org.apache.http", "Apache HttpClient"),
            new Library("org.apache.hc", "Apache HttpClient"), new Library("okhttp3", "OkHttp"),
            new Library("okio", "Okio"), new Library("com.squareup", "Square"),
            new Library("org.glassfish", "GlassFish"), new Library("jakarta", "Jakarta EE"),
            new Library("org.jboss", "JBoss"), new Library("io.micronaut", "Micronaut"),
            new Library("io.quarkus", "Quarkus"), new Library("io.helidon", "Helidon"), new Library("akka", "Akka"),
            new Library("org.apache.pekko", "Pekko"), new Library("feign", "Feign"),
            new Library("retrofit2", "Retrofit"), new Library("software.amazon.awssdk", "AWS SDK"),
            new Library("com.amazonaws", "AWS SDK"), new Library("com.google.cloud", "Google Cloud"),
            new Library("com.google.api", "Google API"), new Library("io.swagger", "Swagger"),
            new Library("org.jsoup", "jsoup"),
            // data and storage
            new Library("org.apache.kafka", "Kafka clients"), new Library("org.apache.lucene", "Lucene"),
            new Library("org.h2", "H2"), new Library("org.hibernate", "Hibernate"),
            new Library("com.zaxxer.hikari", "HikariCP"), new Library("org.postgresql", "PostgreSQL JDBC"),
            new Library("com.mysql", "MySQL JDBC"), new Library("org.mariadb", "MariaDB JDBC"),
            new Library("oracle.jdbc", "Oracle JDBC"), new Library("com.mongodb", "MongoDB driver"),
            new Library("org.bson", "MongoDB driver"), new Library("redis.clients", "Jedis"),
            new Library("io.lettuce", "Lettuce"), new Library("org.redisson", "Redisson"),
            new Library("com.datastax", "Cassandra driver"), new Library("org.jooq", "jOOQ"),
            new Library("org.mybatis", "MyBatis"), new Library("org.apache.ibatis", "MyBatis"),
            new Library("org.flywaydb", "Flyway"), new Library("liquibase", "Liquibase"),
            new Library("org.apache.zookeeper", "ZooKeeper"), new Library("org.apache.curator", "Curator"),
            new Library("org.elasticsearch", "Elasticsearch"), new Library("org.opensearch", "OpenSearch"),
            new Library("org.rocksdb", "RocksDB"), new Library("org.apache.parquet", "Parquet"),
            new Library("org.apache.arrow", "Arrow"),
            // compression
            new Library("org.xerial.snappy", "snappy-java"), new Library("com.github.luben.zstd", "zstd-jni"),
            new Library("net.jpountz", "lz4-java"), new Library("org.lz4", "lz4-java"),
            new Library("org.apache.commons.compress", "Apache Commons"), new Library("com.aayushatharva.brotli4j", "Brotli4j"),
            // core utilities and collections
            new Library("com.google.common", "Guava"), new Library("com.google.thirdparty", "Guava"),
            new Library("org.apache.commons", "Apache Commons"), new Library("com.github.benmanes.caffeine", "Caffeine"),
            new Library("org.ehcache", "Ehcache"), new Library("it.unimi.dsi.fastutil", "fastutil"),
            new Library("org.eclipse.collections", "Eclipse Collections"), new Library("org.agrona", "Agrona"),
            new Library("org.jctools", "JCTools"), new Library("com.lmax.disruptor", "Disruptor"),
            new Library("org.joda", "Joda-Time"), new Library("org.threeten", "ThreeTen"),
            new Library("io.vavr", "Vavr"), new Library("org.apache.groovy", "Groovy"),
            new Library("org.codehaus.groovy", "Groovy"), new Library("groovy", "Groovy"),
            new Library("kotlin", "Kotlin stdlib"), new Library("kotlinx", "Kotlin coroutines"),
            new Library("scala", "Scala"), new Library("clojure", "Clojure"),
            // bytecode, proxies, injection
            new Library("net.bytebuddy", "Byte Buddy"), new Library("org.objectweb.asm", "ASM"),
            new Library("javassist", "Javassist"), new Library("org.aspectj", "AspectJ"),
            new Library("com.google.inject", "Guice"), new Library("dagger", "Dagger"),
            // logging, metrics, tracing
            new Library("org.slf4j", "SLF4J"), new Library("ch.qos.logback", "Logback"),
            new Library("org.apache.logging.log4j", "Log4j"), new Library("org.apache.log4j", "Log4j"),
            new Library("io.micrometer", "Micrometer"), new Library("io.prometheus", "Prometheus client"),
            new Library("io.opentelemetry", "OpenTelemetry"), new Library("io.opencensus", "OpenCensus"),
            new Library("brave", "Brave"), new Library("zipkin2", "Zipkin"), new Library("io.jaegertracing", "Jaeger"),
            new Library("com.codahale.metrics", "Dropwizard Metrics"), new Library("io.dropwizard", "Dropwizard"),
            new Library("com.yammer.metrics", "Yammer Metrics"), new Library("org.HdrHistogram", "HdrHistogram"),
            new Library("datadog", "dd-trace-java"), new Library("com.datadog", "dd-trace-java"),
            new Library("co.elastic.apm", "Elastic APM"), new Library("com.newrelic", "New Relic"),
            // security, templating, parsing
            new Library("org.bouncycastle", "Bouncy Castle"), new Library("io.jsonwebtoken", "JJWT"),
            new Library("com.nimbusds", "Nimbus JOSE"), new Library("org.conscrypt", "Conscrypt"),
            new Library("freemarker", "FreeMarker"), new Library("org.thymeleaf", "Thymeleaf"),
            new Library("org.antlr", "ANTLR"), new Library("com.typesafe", "Typesafe"),
            // test frameworks (when a test JVM is profiled)
            new Library("org.junit", "JUnit"), new Library("org.mockito", "Mockito"), new Library("org.assertj", "AssertJ"));
}
