package org.pvsim.machine.cpu;

import static org.objectweb.asm.Opcodes.*;

import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.util.List;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * The semantics of an instruction that the run loop and translated blocks execute inline, without a
 * call through its {@link Handler}: a static kernel method (see {@link Ops}) and the fields it takes.
 * From this one declaration {@link FastPath} generates the interpreter's case (the fields read from the
 * {@link Insn}), {@link Translator} generates a call with the fields as constants of the block, and the
 * instruction's handler is that same interpreter case. A relative-branch kernel only says whether the
 * branch is taken; its caller sets the PSW address to the instruction's address + 2 * I2.
 *
 * <p>Kernels are named by method references (checked by the compiler against the operand list's types);
 * the generated code calls the referenced static method directly.
 */
public record Inline(Kind kind, String owner, String name, String descriptor, List<Operand> operands) {

    public enum Kind {
        /** Changes registers or the condition code only. */
        COMPUTE,
        /** May store: a translated block checks after it that its own bytes were not stored into. */
        STORE,
        /** Returns whether the branch to the instruction's address + 2 * I2 is taken. */
        RELATIVE_BRANCH,
        /** May set the PSW address itself (to a register): a translated block runs it as a handler call. */
        REGISTER_BRANCH
    }

    /** What a kernel parameter is: an instruction field or a value of the CPU at that instruction. */
    public enum Operand {
        R1("r1", Type.INT_TYPE), R2("r2", Type.INT_TYPE), R3("r3", Type.INT_TYPE), X2("x2", Type.INT_TYPE),
        B2("b2", Type.INT_TYPE), D2("d2", Type.LONG_TYPE), I2("i2", Type.LONG_TYPE), I5("i5", Type.INT_TYPE),
        I3("i3", Type.INT_TYPE), I4("i4", Type.INT_TYPE), M("m", Type.INT_TYPE),
        /** The addressing-mode mask (a constant -1 in blocks, which are made for the 64-bit mode only). */
        ADDRESS_MASK(null, Type.LONG_TYPE),
        /** The address of the next instruction (link information). */
        NEXT(null, Type.LONG_TYPE),
        /** The instruction's address + 2 * I2 (an RIL-b relative operand). */
        RELATIVE(null, Type.LONG_TYPE);

        /** The {@link Insn} field it is, or null for a value of the CPU. */
        final String field;
        final Type type;

        Operand(String field, Type type) {
            this.field = field;
            this.type = type;
        }

        /** The operand as a constant of a translated block, for the instruction {@code in} at {@code address}. */
        Object constant(Insn in, long address) {
            return switch (this) {
                case R1 -> in.r1;
                case R2 -> in.r2;
                case R3 -> in.r3;
                case X2 -> in.x2;
                case B2 -> in.b2;
                case D2 -> in.d2;
                case I2 -> in.i2;
                case I5 -> in.i5;
                case I3 -> in.i3;
                case I4 -> in.i4;
                case M -> in.m;
                case ADDRESS_MASK -> -1L;
                case NEXT -> address + in.length;
                case RELATIVE -> address + 2 * in.i2;
            };
        }

        /** Pushes the operand read at run time from the CPU in local {@code cpu} and the Insn in local {@code insn}. */
        void load(MethodVisitor mv, int cpu, int insn) {
            String cpuName = Type.getInternalName(Cpu.class);
            switch (this) {
                case ADDRESS_MASK -> {
                    mv.visitVarInsn(ALOAD, cpu);
                    mv.visitFieldInsn(GETFIELD, cpuName, "amask", "J");
                }
                case NEXT -> { // the run loop has already advanced the PSW past the instruction
                    mv.visitVarInsn(ALOAD, cpu);
                    mv.visitFieldInsn(GETFIELD, cpuName, "ia", "J");
                }
                case RELATIVE -> {
                    mv.visitVarInsn(ALOAD, cpu);
                    mv.visitVarInsn(ALOAD, insn);
                    mv.visitMethodInsn(INVOKESTATIC, Type.getInternalName(FixedPoint.class), "relative",
                            "(L" + cpuName + ";" + Type.getDescriptor(Insn.class) + ")J", false);
                }
                default -> {
                    mv.visitVarInsn(ALOAD, insn);
                    mv.visitFieldInsn(GETFIELD, Type.getInternalName(Insn.class), field, type.getDescriptor());
                }
            }
        }
    }

    // ---- kernel shapes: one functional interface per parameter list, so that the compiler checks them ----

    /** R1, X2, B2, D2 and the addressing-mode mask. */
    public interface Memory extends Serializable {
        void run(Cpu c, int r1, int x2, int b2, long d2, long amask);
    }

    public interface RegReg extends Serializable {
        void run(Cpu c, int a, int b);
    }

    public interface RegImm extends Serializable {
        void run(Cpu c, int r1, long i2);
    }

    public interface RegRegImm extends Serializable {
        void run(Cpu c, int r1, int r3, long i2);
    }

    /** R1, R3, B2, D2 (shifts). */
    public interface RegRegAddress extends Serializable {
        void run(Cpu c, int r1, int r3, int b2, long d2);
    }

    /** R1, an address and the addressing-mode mask. */
    public interface RegAddress extends Serializable {
        void run(Cpu c, int r1, long address, long amask);
    }

    /** R1, R2, I3, I4, I5 (the rotate-then-insert/operate family). */
    public interface Rotate extends Serializable {
        void run(Cpu c, int r1, int r2, int i3, int i4, int i5);
    }

    public interface Test1 extends Serializable {
        boolean taken(Cpu c, int a);
    }

    public interface Test3 extends Serializable {
        boolean taken(Cpu c, int a, int b, int d);
    }

    /** R1, the link address and the addressing-mode mask. */
    public interface Link extends Serializable {
        boolean taken(Cpu c, int r1, long next, long amask);
    }

    // ---- declarations ------------------------------------------------------------------------------

    /** A load or LOAD ADDRESS: R1, X2, B2, D2. */
    public static Inline load(Memory k) {
        return of(k, Kind.COMPUTE, Operand.R1, Operand.X2, Operand.B2, Operand.D2, Operand.ADDRESS_MASK);
    }

    /** A store: R1, X2, B2, D2. */
    public static Inline store(Memory k) {
        return of(k, Kind.STORE, Operand.R1, Operand.X2, Operand.B2, Operand.D2, Operand.ADDRESS_MASK);
    }

    /** R1 and R2. */
    public static Inline registers(RegReg k) {
        return of(k, Kind.COMPUTE, Operand.R1, Operand.R2);
    }

    /** R1 and the immediate. */
    public static Inline immediate(RegImm k) {
        return of(k, Kind.COMPUTE, Operand.R1, Operand.I2);
    }

    /** R1, the register of the first operand ({@code R1} or, distinct-operands forms, {@code R3}) and the immediate. */
    public static Inline immediate(RegRegImm k, Operand source) {
        return of(k, Kind.COMPUTE, Operand.R1, source, Operand.I2);
    }

    /** R1, R3 and the shift amount's B2 and D2. */
    public static Inline shift(RegRegAddress k) {
        return of(k, Kind.COMPUTE, Operand.R1, Operand.R3, Operand.B2, Operand.D2);
    }

    /** R1, R2 and the rotation's I3, I4 and I5. */
    public static Inline rotate(Rotate k) {
        return of(k, Kind.COMPUTE, Operand.R1, Operand.R2, Operand.I3, Operand.I4, Operand.I5);
    }

    /** R1 and the relative operand's address. */
    public static Inline relative(RegAddress k) {
        return of(k, Kind.COMPUTE, Operand.R1, Operand.RELATIVE, Operand.ADDRESS_MASK);
    }

    /** A relative branch whose condition takes one field. */
    public static Inline branch(Test1 k, Operand a) {
        return of(k, Kind.RELATIVE_BRANCH, a);
    }

    /** A relative branch whose condition takes three fields. */
    public static Inline branch(Test3 k, Operand a, Operand b, Operand d) {
        return of(k, Kind.RELATIVE_BRANCH, a, b, d);
    }

    /** A relative branch that saves the link information in R1. */
    public static Inline branchAndLink(Link k) {
        return of(k, Kind.RELATIVE_BRANCH, Operand.R1, Operand.NEXT, Operand.ADDRESS_MASK);
    }

    /** A branch to a register address, taking two fields. */
    public static Inline registerBranch(RegReg k, Operand a, Operand b) {
        return of(k, Kind.REGISTER_BRANCH, a, b);
    }

    private static Inline of(Serializable kernel, Kind kind, Operand... operands) {
        SerializedLambda l;
        try {
            var m = kernel.getClass().getDeclaredMethod("writeReplace");
            m.setAccessible(true);
            l = (SerializedLambda) m.invoke(kernel);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("an inline kernel must be a method reference: " + e, e);
        }
        if (l.getImplMethodKind() != MethodHandleInfo.REF_invokeStatic || l.getImplMethodName().startsWith("lambda$")) {
            throw new IllegalStateException("an inline kernel must be a static method reference, not " + l);
        }
        StringBuilder d = new StringBuilder("(").append(Type.getDescriptor(Cpu.class));
        for (Operand o : operands) {
            d.append(o.type.getDescriptor());
        }
        d.append(')').append(kind == Kind.RELATIVE_BRANCH ? 'Z' : 'V');
        if (!d.toString().equals(l.getImplMethodSignature())) {
            throw new IllegalStateException(l.getImplMethodName() + l.getImplMethodSignature()
                    + " does not take " + List.of(operands));
        }
        return new Inline(kind, l.getImplClass(), l.getImplMethodName(), l.getImplMethodSignature(), List.of(operands));
    }

    /** Emits the call of the kernel; the operands are already on the stack. */
    void call(MethodVisitor mv) {
        mv.visitMethodInsn(INVOKESTATIC, owner, name, descriptor, false);
    }
}
