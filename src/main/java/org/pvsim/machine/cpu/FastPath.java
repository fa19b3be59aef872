package org.pvsim.machine.cpu;

import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandles;
import java.util.List;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * The interpreter's fast path, generated from the {@link Inline} declarations of the opcode table: one
 * switch on {@link Insn#fast} whose cases call the instructions' kernels with their fields, which the
 * JIT compiles into one method instead of a megamorphic call of a {@link Handler} per instruction. The
 * same switch is these instructions' handler (EXECUTE and the translator's handler calls use it), so an
 * inline instruction has exactly one definition of its semantics: its kernel.
 */
final class FastPath {
    private FastPath() {
    }

    static final int NONE = 0;

    private static final String CPU = Type.getInternalName(Cpu.class);
    private static final String INSN = Type.getInternalName(Insn.class);
    private static final int C = 1;
    private static final int IN = 2;

    /** The fast path of the standard opcode table. */
    static final Handler DISPATCH = generate(Decoder.standard().opcodes());

    /** Generates the switch over the inline instructions of {@code opcodes} (their {@code fast} ids are 1..n). */
    static Handler generate(List<Opcode> opcodes) {
        List<Opcode> inline = opcodes.stream().filter(o -> o.fast() != NONE)
                .sorted(java.util.Comparator.comparingInt(Opcode::fast)).toList();
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object";
            }
        };
        String name = "org/pvsim/machine/cpu/FastDispatch";
        cw.visit(V17, ACC_FINAL | ACC_SUPER, name, null, "java/lang/Object",
                new String[] {Type.getInternalName(Handler.class)});
        MethodVisitor init = cw.visitMethod(0, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "exec", "(L" + CPU + ";L" + INSN + ";)V", null, null);
        mv.visitCode();
        Label[] cases = new Label[inline.size()];
        for (int k = 0; k < cases.length; k++) {
            cases[k] = new Label();
            if (inline.get(k).fast() != k + 1) {
                throw new IllegalStateException("fast-path ids are not 1.." + cases.length);
            }
        }
        Label other = new Label();
        mv.visitVarInsn(ALOAD, IN);
        mv.visitFieldInsn(GETFIELD, INSN, "fast", "I");
        mv.visitTableSwitchInsn(1, cases.length, other, cases);
        for (int k = 0; k < cases.length; k++) {
            mv.visitLabel(cases[k]);
            Inline op = inline.get(k).inline();
            mv.visitVarInsn(ALOAD, C);
            for (Inline.Operand o : op.operands()) {
                o.load(mv, C, IN);
            }
            op.call(mv);
            if (op.kind() == Inline.Kind.RELATIVE_BRANCH) {
                Label notTaken = new Label();
                mv.visitJumpInsn(IFEQ, notTaken);
                mv.visitVarInsn(ALOAD, C);
                mv.visitVarInsn(ALOAD, C);
                mv.visitVarInsn(ALOAD, IN);
                mv.visitMethodInsn(INVOKESTATIC, Type.getInternalName(Branch.class), "target",
                        "(L" + CPU + ";L" + INSN + ";)J", false);
                mv.visitFieldInsn(PUTFIELD, CPU, "ia", "J");
                mv.visitLabel(notTaken);
            }
            mv.visitInsn(RETURN);
        }
        mv.visitLabel(other);
        mv.visitTypeInsn(NEW, "java/lang/IllegalStateException");
        mv.visitInsn(DUP);
        mv.visitLdcInsn("not an inline instruction");
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/IllegalStateException", "<init>", "(Ljava/lang/String;)V", false);
        mv.visitInsn(ATHROW);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        try {
            MethodHandles.Lookup l = MethodHandles.lookup().defineHiddenClass(cw.toByteArray(), true);
            return (Handler) l.findConstructor(l.lookupClass(), java.lang.invoke.MethodType.methodType(void.class))
                    .invoke();
        } catch (Throwable e) {
            throw new IllegalStateException("generating the fast path: " + e, e);
        }
    }
}
