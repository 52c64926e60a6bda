package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.asm.Opcodes.ACC_PUBLIC;
import static org.springframework.asm.Opcodes.ACC_STATIC;
import static org.springframework.asm.Opcodes.ALOAD;
import static org.springframework.asm.Opcodes.GOTO;
import static org.springframework.asm.Opcodes.IF_ICMPGE;
import static org.springframework.asm.Opcodes.ILOAD;
import static org.springframework.asm.Opcodes.INVOKESPECIAL;
import static org.springframework.asm.Opcodes.ISTORE;
import static org.springframework.asm.Opcodes.LADD;
import static org.springframework.asm.Opcodes.LLOAD;
import static org.springframework.asm.Opcodes.LMUL;
import static org.springframework.asm.Opcodes.LRETURN;
import static org.springframework.asm.Opcodes.LSTORE;
import static org.springframework.asm.Opcodes.RETURN;
import static org.springframework.asm.Opcodes.V17;

import io.canaryjudge.profile.testing.SyntheticWorkload;
import io.canaryjudge.profile.testing.WorkloadRecording;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.asm.ClassWriter;
import org.springframework.asm.Label;
import org.springframework.asm.MethodVisitor;

/**
 * A JVM method name may hold backticks and pipes (javac never writes them, other compilers and generators can).
 * The Markdown summary quoted such a name by splitting the judge's sentence at every backtick, so the pull-request
 * comment's headline came out as broken code spans with a literal {@code \|}. The canary here runs a new hot method
 * named {@code `audit|log`}, generated at run time and recorded by async-profiler in this JVM; the headline must
 * show it as one code element.
 */
class CompareMarkdownQuotedNamesTest {
    private static final String METHOD = "`audit|log`";

    @TempDir
    Path dir;

    @Test
    void aNameHoldingBackticksIsOneCodeElementInTheHeadline() throws Throwable {
        MethodHandle audit = generatedAudit();
        // The profiler's timer samples only while this JVM runs: on a busy machine 3 runs of 3 s gave under 1,000
        // samples, INCONCLUSIVE whatever the names. This test is about names, so a lower floor.
        Path config = Files.writeString(dir.resolve("floor.yaml"), "minSamplesPerGroup: 300\n");
        String[] args = {"compare", "--format", "markdown", "--config", config.toString()};
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(args));
        for (int k = 1; k <= 3; k++) {
            Path main = Files.createDirectories(dir.resolve("main-" + k)).resolve("run.jfr");
            Path pr = Files.createDirectories(dir.resolve("pr-" + k)).resolve("run.jfr");
            WorkloadRecording.record(main, Duration.ofMillis(3000), Duration.ofMillis(4), 0, new Step(null));
            WorkloadRecording.record(pr, Duration.ofMillis(3000), Duration.ofMillis(4), 0, new Step(audit));
            command.addAll(java.util.List.of("--baseline", main.toString(), "--canary", pr.toString()));
        }
        command.addAll(java.util.List.of("--slice", "500ms"));
        CliRun run = CliRun.of(command.toArray(String[]::new));
        assertThat(run.status()).as(run.err() + run.out()).isEqualTo(1);
        String headline = run.out().lines().skip(2).findFirst().orElseThrow();
        // one element, whatever form the class part takes (slashes or dots); not
        // necessarily the first incident: a short real recording's JIT may add another new path beside it
        assertThat(headline).containsPattern("new hot path under <code>[^<]*Audit\\.\\\\`audit&#124;log\\\\`</code>, ")
                .doesNotContain("\\|").doesNotContain("``");
    }

    /** One step of the benchmark, the same frames on both sides; the canary's also calls the generated method. */
    private static final class Step implements Runnable {
        private final MethodHandle audit;
        private long sink;

        Step(MethodHandle audit) {
            this.audit = audit;
        }

        @Override
        public void run() {
            SyntheticWorkload.step();
            if (audit != null) {
                try {
                    sink += (long) audit.invokeExact(sink);
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** {@code io.canaryjudge.cli.gen.Audit.`audit|log`(long)}: a loop of 200,000 multiply-adds. */
    private static MethodHandle generatedAudit() throws Exception {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        writer.visit(V17, ACC_PUBLIC, "io/canaryjudge/cli/gen/Audit", null, "java/lang/Object", null);
        MethodVisitor init = writer.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor m = writer.visitMethod(ACC_PUBLIC | ACC_STATIC, METHOD, "(J)J", null, null);
        m.visitCode();
        m.visitLdcInsn(0);
        m.visitVarInsn(ISTORE, 2);
        Label loop = new Label();
        Label end = new Label();
        m.visitLabel(loop);
        m.visitVarInsn(ILOAD, 2);
        m.visitLdcInsn(200_000);
        m.visitJumpInsn(IF_ICMPGE, end);
        m.visitVarInsn(LLOAD, 0);
        m.visitLdcInsn(6364136223846793005L);
        m.visitInsn(LMUL);
        m.visitLdcInsn(1442695040888963407L);
        m.visitInsn(LADD);
        m.visitVarInsn(LSTORE, 0);
        m.visitIincInsn(2, 1);
        m.visitJumpInsn(GOTO, loop);
        m.visitLabel(end);
        m.visitVarInsn(LLOAD, 0);
        m.visitInsn(LRETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        writer.visitEnd();
        byte[] bytes = writer.toByteArray();
        Class<?> type = new ClassLoader(CompareMarkdownQuotedNamesTest.class.getClassLoader()) {
            Class<?> define() {
                return defineClass("io.canaryjudge.cli.gen.Audit", bytes, 0, bytes.length);
            }
        }.define();
        return MethodHandles.publicLookup().findStatic(type, METHOD, MethodType.methodType(long.class, long.class));
    }
}
