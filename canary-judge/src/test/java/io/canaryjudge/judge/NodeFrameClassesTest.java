package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.FrameNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * JavaScript frames as Pyroscope's Node SDK (@pyroscope/nodejs 0.6.4 over @datadog/pprof 5.14.4) sends them, copied
 * from the recorded pods (src/test/resources/qa75, bench/qa75-node) and normalised as the readers do. At 20794fe6 every
 * one of them but Node's dotted method names read as native code: {@code ./server.js:priceOrder} was "the kernel and C
 * library", reported apart, so a slower application function could not FAIL a canary.
 */
class NodeFrameClassesTest {
    private final FrameClassifier defaults = FrameClassifier.defaults();

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            // the service's own scripts: under the working directory ("./"), elsewhere (absolute), ESM URLs
            "./server.js:priceOrder:43 | APPLICATION",
            "./server.js:(anonymous:L#99:C#19):99 | APPLICATION",
            "/usr/src/app/dist/cart.js:Cart.add:12 | APPLICATION",
            "file:///app/server.mjs:handle:3 | APPLICATION",
            "./src/routes/order.ts:handleOrder:20 | APPLICATION",
            // npm packages: under node_modules, and as the SDK's shortenPaths writes them
            "./node_modules/mustache/mustache.js:renderTokens:568 | LIBRARY",
            "/app/node_modules/@fastify/ajv-compiler/index.js:compile:9 | LIBRARY",
            "mustache/mustache.js:renderTokens:568 | LIBRARY",
            // the profiler's own packages
            "./node_modules/@datadog/pprof/out/src/profile-serializer.js:getLocation:78 | PROFILER",
            "./node_modules/@pyroscope/nodejs/dist/cjs/utils/process-profile.js:adjustSampleNames:127 | PROFILER",
            "./node_modules/pprof-format/dist/commonjs/index.js:_encodeFunctionsToBuffer:838 | PROFILER",
            // Node's own modules and its native functions
            "node:events:_addListener:552 | JDK",
            "node:internal/streams/readable:Readable.read:647 | JDK",
            "node:internal/deps/undici/undici:lib/web/websocket/util.js:11858 | JDK",
            ":writeSync:0 | JDK",
            ":(external):0 | JDK",
            // the runtime's work, and the event loop waiting
            ":Garbage Collection:0 | JVM_INTERNAL",
            ":Non JS threads activity:0 | JVM_INTERNAL",
            ":(program):0 | JVM_INTERNAL",
            ":Node.js:0 | JVM_INTERNAL",
            ":(idle):0 | NATIVE_SYSTEM",
    })
    void nodeFramesAreClassified(String raw, FrameClass expected) {
        assertThat(defaults.classify(FrameNames.normalize(raw))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "./server.js:priceOrder:43 | ./server.js:priceOrder",
            "./server.js:(anonymous:L#99:C#19):99 | ./server.js:(anonymous)",
            ":(anonymous):0 | :(anonymous)",
            ":(idle):0 | :(idle)",
            "node:internal/streams/readable:Readable.read:647 | node:internal/streams/readable:Readable.read",
            "mustache/mustache.js:renderTokens:568 | mustache/mustache.js:renderTokens",
            ":Garbage Collection:0 | :Garbage Collection",
    })
    void theLineIsDroppedAndAnonymousFunctionsKeepTheirFile(String raw, String expected) {
        assertThat(FrameNames.normalize(raw)).isEqualTo(expected);
        assertThat(FrameNames.normalize(expected)).isEqualTo(expected);
    }

    @Test
    void labelsSayWhoseCodeItIs() {
        assertThat(defaults.label("./node_modules/mustache/mustache.js:renderTokens")).isEqualTo("the npm package mustache");
        assertThat(defaults.label("/app/node_modules/@fastify/ajv-compiler/index.js:compile"))
                .isEqualTo("the npm package @fastify/ajv-compiler");
        assertThat(defaults.label("node:events:_addListener")).isEqualTo("Node.js's node:events");
        assertThat(defaults.label(":Garbage Collection")).isEqualTo("the Node.js runtime (garbage collection)");
        assertThat(defaults.label("./server.js:priceOrder")).isEqualTo("application code");
    }

    @Test
    void javaGoAndNativeNamesAreNotTakenForNode() {
        assertThat(defaults.classify(FrameNames.normalize("com/shop/Orders.checksum:112"))).isEqualTo(FrameClass.APPLICATION);
        assertThat(FrameNames.normalize("com/shop/Orders.checksum:112")).isEqualTo("com.shop.Orders.checksum");
        assertThat(defaults.classify("::operator new")).isEqualTo(FrameClass.NATIVE_SYSTEM);
        assertThat(defaults.classify("libjvm.so.G1CMTask::do_marking_step")).isEqualTo(FrameClass.JVM_INTERNAL);
        assertThat(defaults.classify("runtime.gcBgMarkWorker")).isEqualTo(FrameClass.JVM_INTERNAL);
    }
}
