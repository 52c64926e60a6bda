package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JvmInternalFunctionsTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "C2Compiler::compile_method", "CompileBroker::compiler_thread_loop", "PhaseIdealLoop::build_loop_tree",
            "G1CMTask::do_marking_step", "libjvm.so.G1CMTask::do_marking_step",
            "libjvm.so.void G1CMTask::process_grey_task_entry<true>", "ClassFileParser::parse_stream",
            "java.lang.ClassLoader.loadClass", "jdk.internal.loader.BuiltinClassLoader.loadClassOrNull",
            "SystemDictionary::resolve_or_fail", ".finish_task_switch.isra.0", "libc-2.31.so.clock_gettime",
            "libc.so.6.__lll_lock_wake"})
    void jvmWorkIsRecognised(String name) {
        assertThat(JvmInternalFunctions.isJvmInternal(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "com.shop.PriceCalculator.applyDiscounts", "java.util.regex.Pattern.compile", "java.lang.Thread.run",
            "org.apache.kafka.common.record.MemoryRecords.filterTo",
            "java.util.HashMap.get"})
    void applicationAndLibraryCodeIsNot(String name) {
        assertThat(JvmInternalFunctions.isJvmInternal(name)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CompileBroker::compiler_thread_loop", "libjvm.so.GangWorker::loop", "VMThread::run"})
    void jvmThreadRootsAreRecognised(String name) {
        assertThat(JvmInternalFunctions.isJvmThreadRoot(name)).isTrue();
    }
}
