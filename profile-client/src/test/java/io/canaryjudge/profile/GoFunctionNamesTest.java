package io.canaryjudge.profile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go function names told from a JVM's, and their import paths. */
class GoFunctionNamesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "compress/flate.(*compressor).deflate | compress/flate",
            "compress/flate.NewWriter | compress/flate",
            "net/http.(*conn).serve | net/http",
            "github.com/shop/cart.(*Cart).Add | github.com/shop/cart",
            "github.com/goccy/go-json.Marshal | github.com/goccy/go-json",
            "gopkg.in/yaml%2ev3.Unmarshal | gopkg.in/yaml%2ev3",
            "runtime.mallocgc | runtime",
            "runtime.gcBgMarkWorker.func2 | runtime",
            "sync.(*Mutex).Lock | sync",
            "reflect.Value.Call | reflect",
            "main.main.func1 | main",
            // a JVM's names
            "java/util/HashMap.get | -",
            "io/netty/channel/nio/NioEventLoop.run | -",
            "io.netty.channel.nio.NioEventLoop.run | -",
            "net.bytebuddy.dynamic.Nexus.initialize | -",
            "clojure/core$map.invoke | -",
            "jdk.proxy1/$Proxy12.invoke | -",
            "org/mozilla/javascript/gen/risk_js_17ojsc0.execute | -",
            "com.shop.Cart.add | -",
            "libjvm.so.PhaseChaitin::Split | -",
            "/usr/lib/libc.so.6 | -"})
    void importPaths(String name, String path) {
        assertThat(GoFunctionNames.importPath(name)).isEqualTo(path);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "compress/flate.NewWriter | compress/flate.NewWriter",
            "encoding/json.Unmarshal | encoding/json.Unmarshal",
            "github.com/shop/cart.Add | github.com/shop/cart.Add",
            "java/util/HashMap.get | java.util.HashMap.get",
            "io/netty/channel/nio/NioEventLoop.run | io.netty.channel.nio.NioEventLoop.run"})
    void normalisationKeepsGoSlashesOnly(String raw, String normalised) {
        assertThat(FrameNames.normalize(raw)).isEqualTo(normalised);
    }
}
