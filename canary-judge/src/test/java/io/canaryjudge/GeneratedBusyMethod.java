package io.canaryjudge;

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

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.springframework.asm.ClassWriter;
import org.springframework.asm.Label;
import org.springframework.asm.MethodVisitor;

/**
 * A method generated at run time with a name javac never writes (backticks, pipes, spaces: what other JVM compilers
 * and generators emit), so tests can record it with a real profiler and see how its frame is named and classed.
 */
public final class GeneratedBusyMethod {
    private GeneratedBusyMethod() {
    }

    /**
     * {@code className.methodName(long)}: a static method running a loop of 200,000 multiply-adds.
     *
     * @param className  binary name, e.g. {@code io.canaryjudge.cli.gen.Audit}
     * @param methodName any name the JVM accepts (none of {@code . ; [ / < >})
     */
    public static MethodHandle define(String className, String methodName) throws ReflectiveOperationException {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        writer.visit(V17, ACC_PUBLIC, className.replace('.', '/'), null, "java/lang/Object", null);
        MethodVisitor init = writer.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor m = writer.visitMethod(ACC_PUBLIC | ACC_STATIC, methodName, "(J)J", null, null);
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
        Class<?> type = new ClassLoader(GeneratedBusyMethod.class.getClassLoader()) {
            Class<?> define() {
                return defineClass(className, bytes, 0, bytes.length);
            }
        }.define();
        return MethodHandles.publicLookup().findStatic(type, methodName, MethodType.methodType(long.class, long.class));
    }
}
