package org.pvsim.machine.cpu;

import static org.objectweb.asm.Opcodes.*;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Copies an inline kernel's bytecode (an {@link Ops} method and the helpers it calls with the CPU) into a
 * translated block, with each {@code c.gr[k]} and {@code c.cc} of a constant register number turned into
 * a JVM local of the block: the kernel stays the only definition of the instruction, and the JIT sees the
 * block's registers as values instead of array elements it must reload after every call it does not
 * inline. Register fields are constants of the block, so every register number is known here, and
 * branches on constants are decided here (a kernel's code for another register or addressing mode is
 * left out).
 *
 * <p>Storage is still reached through the CPU's accessors ({@link #STORAGE}), which do not read or write
 * the registers or the condition code. Anything else this does not model (another call that takes the
 * CPU, a register number computed at run time, loops, switches, exception handlers) makes {@link #inline}
 * throw {@link Unsupported} before anything is emitted for real: the block then calls the kernel on
 * {@code c.gr} as before, around a write-back and a reload of its locals.
 */
final class KernelInliner {
    /** Where the block keeps registers, and what the kernels emitted so far have touched. */
    static final class Locals {
        static final int CC = 16;
        final int grBase;
        /**
         * The condition code is {@code cc} if {@code ccKind} is 0, else computed from {@code ccArg} (and
         * {@code ccArg2}) by the function {@link #cc} names by that kind: a kernel's condition code that
         * the next one replaces is then never computed.
         */
        final int cc;
        final int ccKind;
        final int ccArg;
        final int ccArg2;
        final int tempBase;
        int next;
        /** Bits 0-15: the GRs read or written; bit {@link #CC}: the condition code. */
        int used;
        /** The same bits, for the GRs and condition code assigned (the caller clears it per kernel). */
        int written;

        Locals(int grBase) {
            this.grBase = grBase;
            this.cc = grBase + 32;
            this.ccKind = cc + 1;
            this.ccArg = cc + 2;
            this.ccArg2 = cc + 4;
            this.tempBase = cc + 6;
            this.next = tempBase;
        }

        int gr(int r) {
            return grBase + 2 * r;
        }

        int temp(int size) {
            int t = next;
            next += size;
            return t;
        }
    }

    /** The condition-code functions computed only when the condition code is read, with their kinds. */
    private static final Map<String, Integer> LAZY = Map.of(
            "org/pvsim/machine/cpu/FixedPoint.ccSigned(J)I", 1,
            "org/pvsim/machine/cpu/Logical.ccZero(J)I", 2,
            "org/pvsim/machine/cpu/FixedPoint.ccCompare(JJ)I", 3,
            "org/pvsim/machine/cpu/FixedPoint.ccCompareUnsigned(JJ)I", 4);

    /** The condition code of the locals {@code cc}, {@code ccKind}, {@code ccArg}, {@code ccArg2}. */
    static int cc(int cc, int kind, long a, long b) {
        return switch (kind) {
            case 0 -> cc;
            case 1 -> FixedPoint.ccSigned(a);
            case 2 -> Logical.ccZero(a);
            case 3 -> FixedPoint.ccCompare(a, b);
            default -> FixedPoint.ccCompareUnsigned(a, b);
        };
    }

    /** Pushes the condition code held in {@code locals}. */
    static void pushCc(MethodVisitor mv, Locals locals) {
        mv.visitVarInsn(ILOAD, locals.cc);
        mv.visitVarInsn(ILOAD, locals.ccKind);
        mv.visitVarInsn(LLOAD, locals.ccArg);
        mv.visitVarInsn(LLOAD, locals.ccArg2);
        mv.visitMethodInsn(INVOKESTATIC, Type.getInternalName(KernelInliner.class), "cc", "(IIJJ)I", false);
    }

    /** A kernel this does not inline (the reason, for debugging). */
    static final class Unsupported extends RuntimeException {
        Unsupported(String what) {
            super(what, null, false, false);
        }
    }

    /** What a kernel parameter is bound to: the block's CPU, a constant of the block, or a local. */
    sealed interface Binding permits CpuArg, Const, Local {
    }

    record CpuArg() implements Binding {
    }

    /** An Integer or a Long. */
    record Const(Object value) implements Binding {
    }

    record Local(int slot) implements Binding {
    }

    static final Binding CPU_ARG = new CpuArg();

    private static final String CPU = Type.getInternalName(Cpu.class);
    private static final String CPU_D = Type.getDescriptor(Cpu.class);
    /** The CPU's storage accessors: they fault or not, and touch neither the registers nor the condition code. */
    private static final Set<String> STORAGE = Set.of("load8", "load16", "load32", "load64", "store8", "store16",
            "store32", "store64");
    private static final int MAX_DEPTH = 6;

    private final MethodVisitor mv;
    private final int cpu;
    private final Locals locals;

    /**
     * @param mv where the code goes (a visitor that drops it, for a trial run)
     * @param cpu the block's local holding the CPU
     */
    KernelInliner(MethodVisitor mv, int cpu, Locals locals) {
        this.mv = mv;
        this.cpu = cpu;
        this.locals = locals;
    }

    /** Emits the kernel with these bindings of its parameters; its result (if any) is left on the stack. */
    void inline(String owner, String name, String descriptor, Binding[] args) {
        new Frame(new ArrayList<>(), 0).body(method(owner, name, descriptor), args);
    }

    // ---- one inlined method ------------------------------------------------------------------------------

    /** A stack slot's value as far as it is known: the CPU, its {@code gr} array, a constant, or other. */
    private record V(int kind, long value) {
        static final int OTHER = 0;
        static final int CPU = 1;
        static final int GR = 2;
        static final int CONST = 3;
        /** The second slot of a long or double. */
        static final int TOP = 4;
    }

    private static final V OTHER = new V(V.OTHER, 0);
    private static final V TOP = new V(V.TOP, 0);
    private static final V CPU_V = new V(V.CPU, 0);
    private static final V GR_V = new V(V.GR, 0);

    private static V constant(long v) {
        return new V(V.CONST, v);
    }

    private final class Frame {
        /** The simulated operand stack (slots), shared with the callers below {@link #floor}. */
        final List<V> stack;
        final int floor;
        final int depth;

        Frame(List<V> stack, int depth) {
            this.stack = stack;
            this.floor = stack.size();
            this.depth = depth;
        }

        void push(V v, int size) {
            stack.add(v);
            if (size == 2) {
                stack.add(TOP);
            }
        }

        /** Pops a value of {@code size} slots, returning its first slot. */
        V pop(int size) {
            if (stack.size() - size < floor) {
                throw new Unsupported("stack underflow");
            }
            V v = null;
            for (int i = 0; i < size; i++) {
                v = stack.remove(stack.size() - 1);
            }
            return v;
        }

        V peek(int fromTop) {
            return stack.get(stack.size() - 1 - fromTop);
        }

        /** Pops one value that must be a plain value (not the CPU or its registers). */
        void popPlain(int size) {
            V v = pop(size);
            if (v.kind == V.CPU || v.kind == V.GR) {
                throw new Unsupported("the CPU or its registers used as a value");
            }
        }

        void body(Body m, Binding[] args) {
            if (depth > MAX_DEPTH) {
                throw new Unsupported("nested too deep");
            }
            Type[] params = Type.getArgumentTypes(m.descriptor);
            int[] paramSlot = new int[params.length];
            Binding[] bound = new Binding[m.maxLocals];
            int slot = 0;
            for (int i = 0; i < params.length; i++) {
                paramSlot[i] = slot;
                Binding b = args[i];
                if (m.stored.contains(slot)) {
                    // a parameter the method assigns lives in a local of its own
                    if (b instanceof CpuArg) {
                        throw new Unsupported("the CPU parameter is assigned");
                    }
                    if (b instanceof Const k) {
                        int t = locals.temp(params[i].getSize());
                        mv.visitLdcInsn(k.value);
                        mv.visitVarInsn(params[i].getOpcode(ISTORE), t);
                        b = new Local(t);
                    }
                }
                bound[slot] = b;
                slot += params[i].getSize();
            }
            int paramSlots = slot;
            int base = locals.temp(Math.max(0, m.maxLocals - paramSlots));
            int retSize = Type.getReturnType(m.descriptor).getSize();

            Map<Label, Label> labels = new HashMap<>();
            Map<Label, List<V>> pending = new HashMap<>();
            Set<Label> seen = new HashSet<>();
            Label end = new Label();
            List<V> atEnd = null;
            boolean reachable = true;

            for (int at = 0; at < m.ops.size(); at++) {
                Op op = m.ops.get(at);
                if (op instanceof LabelOp l) {
                    seen.add(l.label);
                    List<V> in = pending.remove(l.label);
                    if (in != null) {
                        if (reachable) {
                            merge(stack, in);
                        } else {
                            stack.clear();
                            stack.addAll(in);
                            reachable = true;
                        }
                    }
                    if (reachable) {
                        mv.visitLabel(labels.computeIfAbsent(l.label, x -> new Label()));
                    }
                    continue;
                }
                if (!reachable) {
                    continue; // left out: only reached by a branch decided here
                }
                if (op instanceof Plain p) {
                    reachable = plain(p.opcode, retSize, end);
                } else if (op instanceof IntOp i) {
                    if (i.opcode == NEWARRAY) {
                        throw new Unsupported("arrays");
                    }
                    mv.visitIntInsn(i.opcode, i.operand);
                    push(constant(i.operand), 1);
                } else if (op instanceof LdcOp l) {
                    mv.visitLdcInsn(l.value);
                    if (l.value instanceof Integer v) {
                        push(constant(v), 1);
                    } else if (l.value instanceof Long v) {
                        push(constant(v), 2);
                    } else {
                        push(OTHER, l.value instanceof Double ? 2 : 1);
                    }
                } else if (op instanceof VarOp v) {
                    variable(v, bound, paramSlots, base);
                } else if (op instanceof IincOp i) {
                    int s = i.var < paramSlots ? localOf(bound[i.var]) : base + i.var - paramSlots;
                    mv.visitIincInsn(s, i.incr);
                } else if (op instanceof TypeOp t) {
                    if (t.opcode == NEW) {
                        push(OTHER, 1);
                    } else if (t.opcode == CHECKCAST || t.opcode == INSTANCEOF) {
                        popPlain(1);
                        push(OTHER, 1);
                    } else {
                        throw new Unsupported("arrays");
                    }
                    mv.visitTypeInsn(t.opcode, t.type);
                } else if (op instanceof FieldOp f) {
                    field(f);
                } else if (op instanceof MethodOp c) {
                    if (lazy(c, at + 1 < m.ops.size() ? m.ops.get(at + 1) : null)) {
                        at++;
                    } else {
                        call(c);
                    }
                } else if (op instanceof JumpOp j) {
                    reachable = jump(j, labels, pending, seen);
                } else {
                    throw new Unsupported(((Unsupported_) op).what);
                }
                if (!reachable && op instanceof Plain p && p.opcode >= IRETURN && p.opcode <= RETURN) {
                    List<V> s = new ArrayList<>(stack);
                    atEnd = atEnd == null ? s : mergedCopy(atEnd, s);
                    // the return value is back on the stack for the merge at the end
                    pop(retSize);
                }
            }
            if (!pending.isEmpty()) {
                throw new Unsupported("a branch to a label not seen");
            }
            if (atEnd == null) {
                throw new Unsupported("never returns");
            }
            stack.clear();
            stack.addAll(atEnd);
            if (stack.size() != floor + retSize) {
                throw new Unsupported("values left on the stack at a return");
            }
            mv.visitLabel(end);
            if (retSize > 0) {
                pop(retSize);
                push(OTHER, retSize);
            }
        }

        int localOf(Binding b) {
            if (b instanceof Local l) {
                return l.slot;
            }
            throw new Unsupported("a constant parameter is assigned");
        }

        void variable(VarOp v, Binding[] bound, int paramSlots, int base) {
            int op = v.opcode;
            boolean load = op >= ILOAD && op <= ALOAD;
            int size = op == LLOAD || op == DLOAD || op == LSTORE || op == DSTORE ? 2 : 1;
            if (v.var < paramSlots) {
                Binding b = bound[v.var];
                if (b == null) {
                    throw new Unsupported("the second slot of a parameter");
                }
                if (load) {
                    if (b instanceof CpuArg) {
                        mv.visitVarInsn(ALOAD, cpu);
                        push(CPU_V, 1);
                    } else if (b instanceof Const k) {
                        mv.visitLdcInsn(k.value);
                        push(constant(k.value instanceof Long l ? l : (long) (Integer) k.value), size);
                    } else {
                        mv.visitVarInsn(op, ((Local) b).slot);
                        push(OTHER, size);
                    }
                    return;
                }
                popPlain(size);
                mv.visitVarInsn(op, localOf(b));
                return;
            }
            int s = base + v.var - paramSlots;
            if (load) {
                mv.visitVarInsn(op, s);
                push(OTHER, size);
            } else {
                popPlain(size);
                mv.visitVarInsn(op, s);
            }
        }

        /**
         * {@code c.cc = f(...)} with f a function of {@link #LAZY}: keeps f's arguments and kind instead of
         * calling it. Returns false (having done nothing) for any other call.
         */
        boolean lazy(MethodOp c, Op next) {
            Integer kind = LAZY.get(c.owner + "." + c.name + c.desc);
            if (c.opcode != INVOKESTATIC || kind == null || !(next instanceof FieldOp f) || f.opcode != PUTFIELD
                    || !f.owner.equals(CPU) || !f.name.equals("cc")) {
                return false;
            }
            int args = Type.getArgumentTypes(c.desc).length;
            if (stack.size() - 2 * args - 1 < floor || peek(2 * args).kind != V.CPU) {
                return false;
            }
            if (args == 2) {
                popPlain(2);
                mv.visitVarInsn(LSTORE, locals.ccArg2);
            }
            popPlain(2);
            mv.visitVarInsn(LSTORE, locals.ccArg);
            pop(1);
            mv.visitInsn(POP);
            mv.visitLdcInsn(kind);
            mv.visitVarInsn(ISTORE, locals.ccKind);
            locals.used |= 1 << Locals.CC;
            locals.written |= 1 << Locals.CC;
            return true;
        }

        void field(FieldOp f) {
            int size = Type.getType(f.desc).getSize();
            boolean cpuField = f.owner.equals(CPU);
            switch (f.opcode) {
                case GETFIELD -> {
                    V o = pop(1);
                    if (o.kind == V.CPU && cpuField && f.name.equals("gr")) {
                        mv.visitFieldInsn(GETFIELD, f.owner, f.name, f.desc); // dropped where it is indexed
                        push(GR_V, 1);
                    } else if (o.kind == V.CPU && cpuField && f.name.equals("cc")) {
                        mv.visitInsn(POP);
                        pushCc(mv, locals);
                        locals.used |= 1 << Locals.CC;
                        push(OTHER, 1);
                    } else if (o.kind == V.GR) {
                        throw new Unsupported("a field of the registers");
                    } else {
                        mv.visitFieldInsn(GETFIELD, f.owner, f.name, f.desc);
                        push(OTHER, size);
                    }
                }
                case PUTFIELD -> {
                    popPlain(size);
                    V o = pop(1);
                    if (o.kind == V.CPU && cpuField && f.name.equals("cc")) {
                        mv.visitVarInsn(ISTORE, locals.cc);
                        mv.visitInsn(POP);
                        mv.visitInsn(ICONST_0);
                        mv.visitVarInsn(ISTORE, locals.ccKind);
                        locals.used |= 1 << Locals.CC;
                        locals.written |= 1 << Locals.CC;
                    } else if (o.kind == V.CPU && cpuField && f.name.equals("gr")) {
                        throw new Unsupported("assigns the registers");
                    } else {
                        mv.visitFieldInsn(PUTFIELD, f.owner, f.name, f.desc);
                    }
                }
                case GETSTATIC -> {
                    mv.visitFieldInsn(GETSTATIC, f.owner, f.name, f.desc);
                    push(OTHER, size);
                }
                default -> throw new Unsupported("assigns a static field");
            }
        }

        void call(MethodOp c) {
            Type[] args = Type.getArgumentTypes(c.desc);
            Type ret = Type.getReturnType(c.desc);
            boolean takesCpu = false;
            for (Type t : args) {
                takesCpu |= t.getDescriptor().equals(CPU_D);
            }
            if (c.opcode == INVOKESTATIC && takesCpu) {
                Binding[] bound = new Binding[args.length];
                for (int i = args.length - 1; i >= 0; i--) {
                    int size = args[i].getSize();
                    V v = pop(size);
                    if (v.kind == V.CPU) {
                        mv.visitInsn(POP);
                        bound[i] = CPU_ARG;
                    } else if (v.kind == V.CONST) {
                        mv.visitInsn(size == 2 ? POP2 : POP);
                        bound[i] = new Const(size == 2 ? (Object) v.value : (Object) (int) v.value);
                    } else if (v.kind == V.GR) {
                        throw new Unsupported("the registers passed to " + c.name);
                    } else {
                        int t = locals.temp(size);
                        mv.visitVarInsn(args[i].getOpcode(ISTORE), t);
                        bound[i] = new Local(t);
                    }
                }
                new Frame(stack, depth + 1).body(method(c.owner, c.name, c.desc), bound);
                return;
            }
            for (int i = args.length - 1; i >= 0; i--) {
                popPlain(args[i].getSize());
            }
            if (c.opcode != INVOKESTATIC) {
                V receiver = pop(1);
                if (receiver.kind == V.GR) {
                    throw new Unsupported("a method of the registers");
                }
                if (receiver.kind == V.CPU && !(c.owner.equals(CPU) && STORAGE.contains(c.name))) {
                    throw new Unsupported("calls " + c.name + " of the CPU");
                }
            }
            mv.visitMethodInsn(c.opcode, c.owner, c.name, c.desc, c.itf);
            if (ret.getSize() > 0) {
                push(OTHER, ret.getSize());
            }
        }

        /** Returns whether the next instruction is reachable from this one. */
        boolean jump(JumpOp j, Map<Label, Label> labels, Map<Label, List<V>> pending, Set<Label> seen) {
            if (seen.contains(j.label)) {
                throw new Unsupported("a loop");
            }
            int op = j.opcode;
            Boolean decided = null;
            if (op >= IFEQ && op <= IFLE) {
                V v = peek(0);
                popPlain(1);
                if (v.kind == V.CONST) {
                    decided = test(op - IFEQ + IF_ICMPEQ, v.value, 0);
                }
            } else if (op >= IF_ICMPEQ && op <= IF_ICMPLE) {
                V b = peek(0);
                V a = peek(1);
                popPlain(1);
                popPlain(1);
                if (a.kind == V.CONST && b.kind == V.CONST) {
                    decided = test(op, a.value, b.value);
                }
            } else if (op == IF_ACMPEQ || op == IF_ACMPNE) {
                popPlain(1);
                popPlain(1);
            } else if (op == IFNULL || op == IFNONNULL) {
                popPlain(1);
            } else if (op != GOTO) {
                throw new Unsupported("jump " + op);
            }
            if (decided != null) {
                mv.visitInsn(op >= IF_ICMPEQ ? POP2 : POP);
                if (!decided) {
                    return true;
                }
                op = GOTO;
            }
            List<V> here = new ArrayList<>(stack);
            pending.merge(j.label, here, KernelInliner::mergedCopy);
            mv.visitJumpInsn(op, labels.computeIfAbsent(j.label, x -> new Label()));
            return op != GOTO;
        }

        /** The stack effect of an instruction without operands; returns whether the next one is reachable. */
        boolean plain(int op, int retSize, Label end) {
            switch (op) {
                case NOP -> { }
                case ACONST_NULL -> push(OTHER, 1);
                case ICONST_M1, ICONST_0, ICONST_1, ICONST_2, ICONST_3, ICONST_4, ICONST_5 -> push(constant(op - ICONST_0), 1);
                case LCONST_0, LCONST_1 -> push(constant(op - LCONST_0), 2);
                case FCONST_0, FCONST_1, FCONST_2 -> push(OTHER, 1);
                case DCONST_0, DCONST_1 -> push(OTHER, 2);
                case LALOAD -> {
                    V index = pop(1);
                    V array = pop(1);
                    if (array.kind == V.GR) {
                        int r = register(index);
                        mv.visitInsn(POP2);
                        mv.visitVarInsn(LLOAD, locals.gr(r));
                        locals.used |= 1 << r;
                        push(OTHER, 2);
                        return true;
                    }
                    throw new Unsupported("an array other than the registers");
                }
                case LASTORE -> {
                    popPlain(2);
                    V index = pop(1);
                    V array = pop(1);
                    if (array.kind == V.GR) {
                        int r = register(index);
                        mv.visitVarInsn(LSTORE, locals.gr(r));
                        mv.visitInsn(POP2);
                        locals.used |= 1 << r;
                        locals.written |= 1 << r;
                        return true;
                    }
                    throw new Unsupported("an array other than the registers");
                }
                case POP -> pop(1);
                case POP2 -> {
                    pop(1);
                    pop(1);
                }
                case DUP, DUP_X1, DUP_X2, DUP2, DUP2_X1, DUP2_X2, SWAP -> {
                    shuffle(op);
                }
                case IADD, ISUB, IMUL, IAND, IOR, IXOR, ISHL, ISHR, IUSHR -> {
                    V b = pop(1);
                    V a = pop(1);
                    V r = OTHER;
                    if (a.kind == V.CONST && b.kind == V.CONST) {
                        r = constant(intOp(op, (int) a.value, (int) b.value));
                    } else if (a.kind != V.OTHER && a.kind != V.CONST || b.kind != V.OTHER && b.kind != V.CONST) {
                        throw new Unsupported("the CPU or its registers in arithmetic");
                    }
                    push(r, 1);
                }
                case IDIV, IREM, FADD, FSUB, FMUL, FDIV, FREM, FCMPL, FCMPG -> {
                    popPlain(1);
                    popPlain(1);
                    push(OTHER, 1);
                }
                case LADD, LSUB, LMUL, LAND, LOR, LXOR, LDIV, LREM, DADD, DSUB, DMUL, DDIV, DREM -> {
                    popPlain(2);
                    popPlain(2);
                    push(OTHER, 2);
                }
                case LSHL, LSHR, LUSHR -> {
                    popPlain(1);
                    popPlain(2);
                    push(OTHER, 2);
                }
                case LCMP, DCMPL, DCMPG -> {
                    V b = peek(1);
                    popPlain(2);
                    V a = peek(1);
                    popPlain(2);
                    push(op == LCMP && a.kind == V.CONST && b.kind == V.CONST ? constant(Long.compare(a.value, b.value)) : OTHER, 1);
                }
                case INEG, I2B, I2C, I2S, I2F, F2I, FNEG -> {
                    popPlain(1);
                    push(OTHER, 1);
                }
                case LNEG, L2D, D2L, DNEG -> {
                    popPlain(2);
                    push(OTHER, 2);
                }
                case I2L, I2D, F2L, F2D -> {
                    V v = peek(0);
                    popPlain(1);
                    push(op == I2L && v.kind == V.CONST ? v : OTHER, 2);
                }
                case L2I, L2F, D2I, D2F -> {
                    V v = peek(1);
                    popPlain(2);
                    push(op == L2I && v.kind == V.CONST ? constant((int) v.value) : OTHER, 1);
                }
                case IRETURN, LRETURN, FRETURN, DRETURN, ARETURN, RETURN -> {
                    if (stack.size() != floor + retSize) {
                        throw new Unsupported("values left on the stack at a return");
                    }
                    mv.visitJumpInsn(GOTO, end);
                    return false;
                }
                case ATHROW -> {
                    popPlain(1);
                    mv.visitInsn(ATHROW);
                    return false;
                }
                default -> throw new Unsupported("opcode " + op);
            }
            mv.visitInsn(op);
            return true;
        }

        /** A register number: a constant 0-15. */
        int register(V index) {
            if (index.kind != V.CONST || index.value < 0 || index.value > 15) {
                throw new Unsupported("a register number not known when translating");
            }
            return (int) index.value;
        }

        /** DUP and SWAP forms, on slots as the JVM defines them. */
        void shuffle(int op) {
            int n = stack.size();
            if (n - floor < 4 && (op == DUP2_X2) || n - floor < 3 && (op == DUP_X2 || op == DUP2_X1)
                    || n - floor < 2 && (op == DUP_X1 || op == DUP2 || op == SWAP) || n - floor < 1) {
                throw new Unsupported("stack underflow");
            }
            List<V> top;
            int under;
            switch (op) {
                case DUP -> { top = List.of(stack.get(n - 1)); under = 0; }
                case DUP_X1 -> { top = List.of(stack.get(n - 1)); under = 1; }
                case DUP_X2 -> { top = List.of(stack.get(n - 1)); under = 2; }
                case DUP2 -> { top = List.of(stack.get(n - 2), stack.get(n - 1)); under = 0; }
                case DUP2_X1 -> { top = List.of(stack.get(n - 2), stack.get(n - 1)); under = 1; }
                case DUP2_X2 -> { top = List.of(stack.get(n - 2), stack.get(n - 1)); under = 2; }
                default -> { // SWAP
                    V a = stack.remove(n - 1);
                    stack.add(n - 2, a);
                    return;
                }
            }
            stack.addAll(n - top.size() - under, top);
        }
    }

    private static boolean test(int ifIcmp, long a, long b) {
        return switch (ifIcmp) {
            case IF_ICMPEQ -> a == b;
            case IF_ICMPNE -> a != b;
            case IF_ICMPLT -> a < b;
            case IF_ICMPGE -> a >= b;
            case IF_ICMPGT -> a > b;
            default -> a <= b;
        };
    }

    private static int intOp(int op, int a, int b) {
        return switch (op) {
            case IADD -> a + b;
            case ISUB -> a - b;
            case IMUL -> a * b;
            case IAND -> a & b;
            case IOR -> a | b;
            case IXOR -> a ^ b;
            case ISHL -> a << b;
            case ISHR -> a >> b;
            default -> a >>> b;
        };
    }

    private static void merge(List<V> into, List<V> other) {
        List<V> m = mergedCopy(into, other);
        into.clear();
        into.addAll(m);
    }

    private static List<V> mergedCopy(List<V> a, List<V> b) {
        if (a.size() != b.size()) {
            throw new Unsupported("stacks of different heights meet");
        }
        List<V> m = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            V x = a.get(i);
            V y = b.get(i);
            if (x.equals(y)) {
                m.add(x);
            } else if (x.kind == V.CPU || y.kind == V.CPU || x.kind == V.GR || y.kind == V.GR || x.kind == V.TOP
                    || y.kind == V.TOP) {
                throw new Unsupported("different kinds of values meet");
            } else {
                m.add(OTHER);
            }
        }
        return m;
    }

    // ---- kernels as read from their class files ---------------------------------------------------------

    private sealed interface Op permits Plain, IntOp, VarOp, TypeOp, FieldOp, MethodOp, JumpOp, LabelOp, LdcOp,
            IincOp, Unsupported_ {
    }

    private record Plain(int opcode) implements Op {
    }

    private record IntOp(int opcode, int operand) implements Op {
    }

    private record VarOp(int opcode, int var) implements Op {
    }

    private record TypeOp(int opcode, String type) implements Op {
    }

    private record FieldOp(int opcode, String owner, String name, String desc) implements Op {
    }

    private record MethodOp(int opcode, String owner, String name, String desc, boolean itf) implements Op {
    }

    private record JumpOp(int opcode, Label label) implements Op {
    }

    private record LabelOp(Label label) implements Op {
    }

    private record LdcOp(Object value) implements Op {
    }

    private record IincOp(int var, int incr) implements Op {
    }

    private record Unsupported_(String what) implements Op {
    }

    /** A static method's code; {@code stored}: the local slots it assigns. */
    private record Body(String descriptor, List<Op> ops, int maxLocals, Set<Integer> stored) {
    }

    private static final Map<String, Body> METHODS = new ConcurrentHashMap<>();

    private static Body method(String owner, String name, String descriptor) {
        Body b = METHODS.computeIfAbsent(owner + "." + name + descriptor, k -> read(owner, name, descriptor));
        if (b.ops == null) {
            throw new Unsupported("not a static method of this program: " + owner + "." + name);
        }
        return b;
    }

    private static Body read(String owner, String name, String descriptor) {
        byte[] bytes;
        try (InputStream in = KernelInliner.class.getClassLoader().getResourceAsStream(owner + ".class")) {
            if (in == null || !owner.startsWith("org/pvsim/")) {
                return new Body(descriptor, null, 0, Set.of());
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            return new Body(descriptor, null, 0, Set.of());
        }
        Body[] found = {new Body(descriptor, null, 0, Set.of())};
        new ClassReader(bytes).accept(new ClassVisitor(ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String n, String d, String sig, String[] ex) {
                if (!n.equals(name) || !d.equals(descriptor) || (access & ACC_STATIC) == 0) {
                    return null;
                }
                List<Op> ops = new ArrayList<>();
                Set<Integer> stored = new HashSet<>();
                return new MethodVisitor(ASM9) {
                    @Override
                    public void visitInsn(int opcode) {
                        ops.add(new Plain(opcode));
                    }

                    @Override
                    public void visitIntInsn(int opcode, int operand) {
                        ops.add(new IntOp(opcode, operand));
                    }

                    @Override
                    public void visitVarInsn(int opcode, int var) {
                        if (opcode >= ISTORE && opcode <= ASTORE) {
                            stored.add(var);
                        }
                        ops.add(opcode == RET ? new Unsupported_("ret") : new VarOp(opcode, var));
                    }

                    @Override
                    public void visitTypeInsn(int opcode, String type) {
                        ops.add(new TypeOp(opcode, type));
                    }

                    @Override
                    public void visitFieldInsn(int opcode, String o, String fn, String fd) {
                        ops.add(new FieldOp(opcode, o, fn, fd));
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String o, String mn, String md, boolean itf) {
                        ops.add(new MethodOp(opcode, o, mn, md, itf));
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String mn, String md, Handle bsm, Object... args) {
                        ops.add(new Unsupported_("invokedynamic"));
                    }

                    @Override
                    public void visitJumpInsn(int opcode, Label label) {
                        ops.add(opcode == JSR ? new Unsupported_("jsr") : new JumpOp(opcode, label));
                    }

                    @Override
                    public void visitLabel(Label label) {
                        ops.add(new LabelOp(label));
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                        ops.add(value instanceof Integer || value instanceof Long || value instanceof Float
                                || value instanceof Double || value instanceof String ? new LdcOp(value)
                                : new Unsupported_("ldc of " + value.getClass()));
                    }

                    @Override
                    public void visitIincInsn(int var, int increment) {
                        stored.add(var);
                        ops.add(new IincOp(var, increment));
                    }

                    @Override
                    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
                        ops.add(new Unsupported_("switch"));
                    }

                    @Override
                    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
                        ops.add(new Unsupported_("switch"));
                    }

                    @Override
                    public void visitMultiANewArrayInsn(String d2, int dims) {
                        ops.add(new Unsupported_("arrays"));
                    }

                    @Override
                    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
                        ops.add(0, new Unsupported_("exception handler"));
                    }

                    @Override
                    public void visitMaxs(int maxStack, int maxLocals) {
                        found[0] = new Body(descriptor, List.copyOf(ops), maxLocals, Set.copyOf(stored));
                    }
                };
            }
        }, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
        return found[0];
    }
}
