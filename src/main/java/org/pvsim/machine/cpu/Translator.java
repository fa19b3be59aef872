package org.pvsim.machine.cpu;

import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;

/**
 * Translates hot straight-line blocks of decoded instructions into JVM bytecode (one hidden class per
 * block, made with ASM), so that the JVM's JIT compiles guest code without the interpreter's fetch and
 * dispatch.
 *
 * <p>What a block does, per instruction: the instructions declared {@link Inline} run their kernel
 * (a static method of {@link Ops}) with their fields as constants, its bytecode copied into the block by
 * {@link KernelInliner} with the GRs and the condition code in JVM locals (read at entry, stored back at
 * exits, around handler calls and on the program-interruption path); every other translatable instruction calls
 * its {@link Handler} (a constant of the class), after setting the PSW address past it and the
 * instruction count, exactly as the interpreter loop does; if the handler moved the PSW address
 * (a branch), ended the slice, or stored into the block, the block stops there. Each instruction has
 * its own exception range: a program interruption is delivered with the instruction's address,
 * length and count ({@link #fault}), exactly as from the interpreter. Only the 64-bit addressing mode
 * is translated; storage is reached through the CPU's checked accessors (TLB and owner-tag check).
 */
final class Translator {
    private Translator() {
    }

    /** Dispatches of an instruction by the interpreter before a block starting there is translated. */
    static final int HOT = 64;
    /** Instructions per block at most. */
    static final int MAX = 64;

    private static final String CPU = Type.getInternalName(Cpu.class);
    private static final String BLOCK = Type.getInternalName(Block.class);
    private static final String PI = Type.getInternalName(ProgramInterruption.class);
    private static final String INSN_D = Type.getDescriptor(Insn.class);
    private static final String HANDLER = Type.getInternalName(Handler.class);
    private static final String CTOR_D = "(JII[" + INSN_D + ")V";
    private static final String NAME = "org/pvsim/machine/cpu/TranslatedBlock";
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    private static final int THIS = 0;
    private static final int C = 1;
    private static final int BASE = 2;
    /** GR k in locals GRS + 2k, then the condition code, then the fault path's two and the kernels' temporaries. */
    private static final int GRS = 4;

    /**
     * Translates the block starting at {@code address} (whose decoded instruction is {@code head}, in
     * {@code page}) and attaches it to {@code head}; marks {@code head} as never to translate if
     * there is no block of at least two instructions there.
     */
    static void translate(Machine machine, CodeCache.Page page, long address, Insn head) {
        head.heat = -1;
        int off = (int) (address & Storage.PAGE_MASK);
        List<Insn> insns = new ArrayList<>();
        int end = off;
        while (insns.size() < MAX && end < Storage.PAGE_SIZE) {
            Insn in = decoded(machine, page, end);
            if (in == null || !in.translatable) {
                break;
            }
            insns.add(in);
            end += in.length;
            if (in.branches) {
                break;
            }
        }
        if (insns.size() < 2) {
            return;
        }
        try {
            // the same code translated before (a machine booted again, say): its class, without generating it again
            MethodHandle ctor = CLASSES.get(new Key(address, java.util.Arrays.copyOfRange(page.bytes, off, end)));
            if (ctor == null) {
                byte[] code = generate(address, insns);
                while (code == null) {
                    insns = insns.subList(0, insns.size() / 2);
                    code = generate(address, insns);
                }
                end = off;
                for (Insn in : insns) {
                    end += in.length;
                }
                Key key = new Key(address, java.util.Arrays.copyOfRange(page.bytes, off, end));
                ctor = CLASSES.get(key);
                if (ctor == null) {
                    Handler[] handlers = insns.stream().map(in -> in.handler).toArray(Handler[]::new);
                    MethodHandles.Lookup l = LOOKUP.defineHiddenClassWithClassData(code, handlers, true);
                    ctor = l.findConstructor(l.lookupClass(), MethodType.methodType(void.class, long.class, int.class,
                            int.class, Insn[].class));
                    if (CLASSES.size() < MAX_CLASSES) {
                        CLASSES.put(key, ctor);
                    }
                }
            }
            Block b = (Block) ctor.invoke(address, off, end, insns.toArray(new Insn[0]));
            page.addBlock(head, b);
        } catch (Throwable e) {
            throw new IllegalStateException("translating the block at 0x" + Long.toHexString(address) + ": " + e, e);
        }
    }

    /** A block's code depends only on its address and bytes: the same guest code reuses the class and its JIT code. */
    private record Key(long address, byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.address == address && java.util.Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(address) * 31 + java.util.Arrays.hashCode(bytes);
        }
    }

    private static final int MAX_CLASSES = 1 << 14;
    private static final java.util.Map<Key, MethodHandle> CLASSES = new java.util.concurrent.ConcurrentHashMap<>();

    /** The decoded instruction at {@code off} of the page (decoding it now), or null if it is not valid. */
    private static Insn decoded(Machine machine, CodeCache.Page page, int off) {
        Insn in = page.slots[off >>> 1];
        if (in != null) {
            return in;
        }
        int len = Decoder.length(page.bytes[off] & 0xff);
        if (off + len > Storage.PAGE_SIZE) {
            return null;
        }
        long bits = 0;
        for (int i = 0; i < len; i++) {
            bits |= (long) (page.bytes[off + i] & 0xff) << (56 - 8 * i);
        }
        try {
            in = machine.decoder().decode(bits);
        } catch (ProgramInterruption e) {
            return null;
        }
        page.slots[off >>> 1] = in;
        return in;
    }

    /** A program interruption inside a block: delivered as the interpreter delivers it. */
    static void fault(ProgramInterruption pi, Cpu c, long count, long address, Insn in, boolean setIa) {
        c.insnCount = count;
        if (setIa) {
            c.ia = address + in.length;
        }
        Interruptions.program(c, pi, address, in);
        c.insnCount = count + 1;
    }

    /**
     * A program interruption from an inlined kernel: the instruction is number {@code done} of the run
     * (counting the passes before this one), {@code done} modulo the block's length in the block.
     */
    static void fault(ProgramInterruption pi, Cpu c, long base, int done, Block b) {
        int k = done % b.length;
        long address = b.start;
        for (int i = 0; i < k; i++) {
            address += b.insns[i].length;
        }
        fault(pi, c, base + done, address, b.insns[k], true);
    }

    // ---- code generation ----------------------------------------------------------------------------

    /**
     * Bytes of code a run method may have at most: HotSpot does not compile a larger method at all
     * (HugeMethodLimit, 8000), so such a block would run slower than the interpreter.
     */
    static final int MAX_CODE = 7900;

    /** The block's class, or null if its code would be larger than {@link #MAX_CODE}. */
    private static byte[] generate(long start, List<Insn> insns) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object";
            }
        };
        cw.visit(V17, ACC_FINAL | ACC_SUPER, NAME, null, BLOCK, null);
        MethodVisitor init = cw.visitMethod(0, "<init>", CTOR_D, null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitVarInsn(LLOAD, 1);
        init.visitVarInsn(ILOAD, 3);
        init.visitVarInsn(ILOAD, 4);
        init.visitVarInsn(ALOAD, 5);
        init.visitMethodInsn(INVOKESPECIAL, BLOCK, "<init>", CTOR_D, false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        handlerConstants(cw, insns);

        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "run", "(L" + CPU + ";)V", null, null);
        new Body(mv, start, insns).emit();
        Label codeEnd = new Label();
        mv.visitLabel(codeEnd);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        byte[] bytes = cw.toByteArray();
        return codeEnd.getOffset() > MAX_CODE && insns.size() >= 4 ? null : bytes;
    }

    /**
     * One static final field per handler-called instruction, set from the class data (the handlers in
     * block order): the JIT treats it as a constant, so the call is direct and may be inlined instead of
     * an interface call through the {@link Insn}. Bytes decode to the same handler whatever the block
     * instance (one decoder table), so the class may be shared by blocks of equal bytes.
     */
    private static void handlerConstants(ClassWriter cw, List<Insn> insns) {
        MethodVisitor mv = cw.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
        mv.visitCode();
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup",
                "()Ljava/lang/invoke/MethodHandles$Lookup;", false);
        mv.visitLdcInsn("_");
        mv.visitLdcInsn(Type.getType("[L" + HANDLER + ";"));
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "classData",
                "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;)Ljava/lang/Object;", false);
        mv.visitTypeInsn(CHECKCAST, "[L" + HANDLER + ";");
        for (int k = 0; k < insns.size(); k++) {
            if (!generic(insns.get(k))) {
                continue;
            }
            cw.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, "h" + k, "L" + HANDLER + ";", null, null).visitEnd();
            mv.visitInsn(DUP);
            mv.visitLdcInsn(k);
            mv.visitInsn(AALOAD);
            mv.visitFieldInsn(PUTSTATIC, NAME, "h" + k, "L" + HANDLER + ";");
        }
        mv.visitInsn(POP);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** Runs through its handler in a block (not an {@link Inline} kernel called directly). */
    private static boolean generic(Insn in) {
        Inline op = in.opcode.inline();
        return op == null || op.kind() == Inline.Kind.REGISTER_BRANCH;
    }

    /** Instructions in the unrolled copies of a block that loops on itself, at most. */
    static final int UNROLLED = 32;
    /**
     * Only loops of at most this many instructions are unrolled: measured, the 3-instruction loop gains
     * about 6% and the 8-instruction CRC-32 loop loses about as much (more code for the JIT to inline
     * and allocate registers in, for a loop test that is already a small part of a pass).
     */
    static final int UNROLL_UP_TO = 4;

    /**
     * The bytecode of one block's run method. A block whose last instruction branches back to its start
     * is emitted twice: once as it is (a pass, repeated while one more pass fits), and once unrolled,
     * {@code copies} passes in a row, entered when all of them fit in the slice. The JIT then runs the
     * loop test once per {@code copies} passes and shares the work the passes have in common (register
     * and TLB reads). Counts, exits and program interruptions are those of the pass and instruction.
     */
    private static final class Body {
        final MethodVisitor mv;
        final long start;
        final List<Insn> insns;
        final int n;
        final boolean loops;
        final int copies;
        final Label loop = new Label();
        final List<Runnable> handlers = new ArrayList<>();
        /** Instructions of the passes before the one being emitted (0 outside the unrolled copies). */
        int offset;
        /** The copy being emitted (0..copies-1), or -1 for the single pass. */
        int copy = -1;
        /** Where each unrolled copy starts. */
        Label[] copyStart;
        /** The block's GRs and condition code in locals: the ones its inlined kernels use. */
        final KernelInliner.Locals locals = new KernelInliner.Locals(GRS);
        /** Locals of the shared program-interruption path: the interruption and the instruction's number. */
        final int faultPi = locals.temp(1);
        final int faultDone = locals.temp(1);
        final int temps = locals.next;
        /** Whether instruction k's kernel is inlined on the locals (else it is called on c.gr). */
        final boolean[] inlined;
        /** The registers (and bit {@link KernelInliner.Locals#CC}) some inlined kernel assigns. */
        int written;
        /** Of those, the ones assigned since the locals were last stored into the CPU, where known. */
        int dirty;
        final Label faultTail = new Label();
        boolean inlineFaults;

        Body(MethodVisitor mv, long start, List<Insn> insns) {
            this.mv = mv;
            this.start = start;
            this.insns = insns;
            this.n = insns.size();
            Insn last = insns.get(n - 1);
            long lastAddress = start;
            for (int k = 0; k < n - 1; k++) {
                lastAddress += insns.get(k).length;
            }
            Inline op = last.opcode.inline();
            this.loops = op != null && op.kind() == Inline.Kind.RELATIVE_BRANCH && lastAddress + 2 * last.i2 == start;
            this.copies = loops && n <= UNROLL_UP_TO ? Math.min(8, UNROLLED / n) : 1;
            // a trial run of each kernel finds what it cannot inline and which registers the block needs
            this.inlined = new boolean[n];
            MethodVisitor none = new MethodVisitor(ASM9) { };
            long a = start;
            for (int k = 0; k < n; k++) {
                Insn in = insns.get(k);
                if (!Translator.generic(in)) {
                    try {
                        inline(none, in, a);
                        inlined[k] = true;
                    } catch (KernelInliner.Unsupported e) {
                        // called on c.gr
                    }
                }
                a += in.length;
            }
        }

        /** Emits instruction {@code in}'s kernel on the locals; notes what it assigns in {@link #dirty}. */
        void inline(MethodVisitor to, Insn in, long a) {
            Inline op = in.opcode.inline();
            KernelInliner.Binding[] args = new KernelInliner.Binding[op.operands().size() + 1];
            args[0] = KernelInliner.CPU_ARG;
            for (int i = 1; i < args.length; i++) {
                args[i] = new KernelInliner.Const(op.operands().get(i - 1).constant(in, a));
            }
            locals.next = temps;
            locals.written = 0;
            new KernelInliner(to, C, locals).inline(op.owner(), op.name(), op.descriptor(), args);
            written |= locals.written;
            dirty |= locals.written;
        }

        /** Stores the locals in {@code mask} into the CPU. */
        void writeBack(int mask) {
            for (int r = 0; r < 16; r++) {
                if ((mask & 1 << r) != 0) {
                    mv.visitVarInsn(ALOAD, C);
                    mv.visitFieldInsn(GETFIELD, CPU, "gr", "[J");
                    mv.visitLdcInsn(r);
                    mv.visitVarInsn(LLOAD, locals.gr(r));
                    mv.visitInsn(LASTORE);
                }
            }
            if ((mask & 1 << KernelInliner.Locals.CC) != 0) {
                mv.visitVarInsn(ALOAD, C);
                KernelInliner.pushCc(mv, locals);
                mv.visitFieldInsn(PUTFIELD, CPU, "cc", "I");
            }
        }

        /** Before a call that uses c.gr: the CPU gets the assigned locals. */
        void sync() {
            writeBack(dirty);
            dirty = 0;
        }

        /** After a call that may have changed c.gr (or at entry): the locals get the CPU's values. */
        void reload() {
            for (int r = 0; r < 16; r++) {
                if ((locals.used & 1 << r) != 0) {
                    mv.visitVarInsn(ALOAD, C);
                    mv.visitFieldInsn(GETFIELD, CPU, "gr", "[J");
                    mv.visitLdcInsn(r);
                    mv.visitInsn(LALOAD);
                    mv.visitVarInsn(LSTORE, locals.gr(r));
                }
            }
            if ((locals.used & 1 << KernelInliner.Locals.CC) != 0) {
                mv.visitVarInsn(ALOAD, C);
                mv.visitFieldInsn(GETFIELD, CPU, "cc", "I");
                mv.visitVarInsn(ISTORE, locals.cc);
                mv.visitInsn(ICONST_0);
                mv.visitVarInsn(ISTORE, locals.ccKind);
            }
        }

        void emit() {
            mv.visitCode();
            mv.visitInsn(LCONST_0);
            mv.visitVarInsn(LSTORE, locals.ccArg);
            mv.visitInsn(LCONST_0);
            mv.visitVarInsn(LSTORE, locals.ccArg2);
            reload();
            mv.visitVarInsn(ALOAD, C);
            mv.visitFieldInsn(GETFIELD, CPU, "insnCount", "J");
            mv.visitVarInsn(LSTORE, BASE);
            mv.visitLabel(loop);
            dirty = written; // what a pass before this one assigned
            Label single = new Label();
            if (copies > 1) {
                copyStart = new Label[copies];
                for (int j = 0; j < copies; j++) {
                    copyStart[j] = new Label();
                }
                roomFor(copies * n, single);
                for (int j = 0; j < copies; j++) {
                    copy = j;
                    offset = j * n;
                    mv.visitLabel(copyStart[j]);
                    pass();
                }
                copy = -1;
                offset = 0;
            }
            mv.visitLabel(single);
            dirty = written;
            pass();
            for (Runnable h : handlers) {
                h.run();
            }
            if (inlineFaults) {
                // the locals hold the registers' values at every instruction that runs on them
                mv.visitLabel(faultTail);
                writeBack(written);
                mv.visitVarInsn(ALOAD, faultPi);
                mv.visitVarInsn(ALOAD, C);
                mv.visitVarInsn(LLOAD, BASE);
                mv.visitVarInsn(ILOAD, faultDone);
                mv.visitVarInsn(ALOAD, THIS);
                mv.visitMethodInsn(INVOKESTATIC, Type.getInternalName(Translator.class), "fault",
                        "(L" + PI + ";L" + CPU + ";JIL" + BLOCK + ";)V", false);
                mv.visitInsn(RETURN);
            }
        }

        /** Jumps to {@code no} unless base + offset + count <= limit. */
        void roomFor(int count, Label no) {
            mv.visitVarInsn(LLOAD, BASE);
            mv.visitLdcInsn((long) offset + count);
            mv.visitInsn(LADD);
            mv.visitVarInsn(ALOAD, C);
            mv.visitFieldInsn(GETFIELD, CPU, "limit", "J");
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFGT, no);
        }

        /** One pass over the instructions. */
        void pass() {
            long a = start;
            for (int k = 0; k < n; k++) {
                Insn in = insns.get(k);
                instruction(k, a, in);
                a += in.length;
            }
            // fell off the end: the last instruction did not branch
            exit(n, a);
        }

        /** c.ia = address; c.insnCount = base + offset + done; return. */
        void exit(int done, long address) {
            writeBack(dirty);
            mv.visitVarInsn(ALOAD, C);
            mv.visitLdcInsn(address);
            mv.visitFieldInsn(PUTFIELD, CPU, "ia", "J");
            setCount(done);
            mv.visitInsn(RETURN);
        }

        void setCount(int done) {
            mv.visitVarInsn(ALOAD, C);
            mv.visitVarInsn(LLOAD, BASE);
            mv.visitLdcInsn((long) offset + done);
            mv.visitInsn(LADD);
            mv.visitFieldInsn(PUTFIELD, CPU, "insnCount", "J");
        }

        void pushInsn(int k) {
            mv.visitVarInsn(ALOAD, THIS);
            mv.visitFieldInsn(GETFIELD, BLOCK, "insns", "[" + INSN_D);
            mv.visitLdcInsn(k);
            mv.visitInsn(AALOAD);
        }

        /** Opens the exception range of instruction k; returns the label that closes it. */
        Label protect(int k, long address, boolean setIa) {
            Label from = new Label();
            Label to = new Label();
            Label handler = new Label();
            mv.visitTryCatchBlock(from, to, handler, PI);
            mv.visitLabel(from);
            long count = (long) offset + k;
            handlers.add(() -> {
                mv.visitLabel(handler);
                // stack: the ProgramInterruption
                mv.visitVarInsn(ALOAD, C);
                mv.visitVarInsn(LLOAD, BASE);
                mv.visitLdcInsn(count);
                mv.visitInsn(LADD);
                mv.visitLdcInsn(address);
                pushInsn(k);
                mv.visitInsn(setIa ? ICONST_1 : ICONST_0);
                mv.visitMethodInsn(INVOKESTATIC, Type.getInternalName(Translator.class), "fault",
                        "(L" + PI + ";L" + CPU + ";JJ" + INSN_D + "Z)V", false);
                mv.visitInsn(RETURN);
            });
            return to;
        }

        /** Opens the exception range of inlined instruction k, whose interruption takes the shared path. */
        Label protectInline(int k) {
            Label from = new Label();
            Label to = new Label();
            Label handler = new Label();
            mv.visitTryCatchBlock(from, to, handler, PI);
            mv.visitLabel(from);
            int done = offset + k;
            inlineFaults = true;
            handlers.add(() -> {
                mv.visitLabel(handler);
                mv.visitVarInsn(ASTORE, faultPi);
                mv.visitLdcInsn(done);
                mv.visitVarInsn(ISTORE, faultDone);
                mv.visitJumpInsn(GOTO, faultTail);
            });
            return to;
        }

        /** Stops after instruction k if the block's bytes were stored into. */
        void checkValid(int k, long next) {
            Label ok = new Label();
            mv.visitVarInsn(ALOAD, THIS);
            mv.visitFieldInsn(GETFIELD, BLOCK, "valid", "Z");
            mv.visitJumpInsn(IFNE, ok);
            exit(k + 1, next);
            mv.visitLabel(ok);
        }

        /**
         * Instruction k at address a: an {@link Inline} instruction calls its kernel with its operands as
         * constants (then checks the block after a store, or branches on the kernel's answer); any other
         * instruction calls its handler.
         */
        void instruction(int k, long a, Insn in) {
            long next = a + in.length;
            Inline op = in.opcode.inline();
            if (Translator.generic(in)) {
                generic(k, a, next);
                return;
            }
            Label to;
            if (inlined[k]) {
                to = protectInline(k);
                inline(mv, in, a);
                mv.visitLabel(to);
            } else {
                sync();
                to = protect(k, a, true);
                mv.visitVarInsn(ALOAD, C);
                for (Inline.Operand o : op.operands()) {
                    mv.visitLdcInsn(o.constant(in, a));
                }
                op.call(mv);
                mv.visitLabel(to);
                reload();
            }
            switch (op.kind()) {
                case STORE -> checkValid(k, next);
                case RELATIVE_BRANCH -> {
                    Label notTaken = new Label();
                    mv.visitJumpInsn(IFEQ, notTaken);
                    taken(k, a + 2 * in.i2);
                    mv.visitLabel(notTaken);
                }
                default -> { }
            }
        }

        /** A taken branch of instruction k to a constant target: repeat the block, or leave. */
        void taken(int k, long target) {
            if (target == start && k == n - 1) {
                if (copy >= 0 && copy < copies - 1) {
                    // the room for this copy was checked before the first, and only a store ends it early
                    mv.visitJumpInsn(GOTO, copyStart[copy + 1]);
                    return;
                }
                repeatIfRoom(false);
            }
            exit(k + 1, target);
        }

        /** Jumps to {@code to} unless the PSW address is {@code ia} and the slice limit is above base + offset + k. */
        void jumpUnlessAtWithRoom(long ia, int k, Label to) {
            mv.visitVarInsn(ALOAD, C);
            mv.visitFieldInsn(GETFIELD, CPU, "ia", "J");
            mv.visitLdcInsn(ia);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFNE, to);
            mv.visitVarInsn(ALOAD, C);
            mv.visitFieldInsn(GETFIELD, CPU, "limit", "J");
            mv.visitVarInsn(LLOAD, BASE);
            mv.visitLdcInsn((long) offset + k);
            mv.visitInsn(LADD);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFLE, to);
        }

        /**
         * With the PSW address at the block's start: base += offset + n and run again if a whole pass fits
         * (with {@code reload}, after a handler call, reading the registers into the locals first).
         */
        void repeatIfRoom(boolean reload) {
            Label no = new Label();
            mv.visitVarInsn(ALOAD, THIS);
            mv.visitFieldInsn(GETFIELD, BLOCK, "valid", "Z");
            mv.visitJumpInsn(IFEQ, no);
            roomFor(2 * n, no);
            mv.visitVarInsn(LLOAD, BASE);
            mv.visitLdcInsn((long) offset + n);
            mv.visitInsn(LADD);
            mv.visitVarInsn(LSTORE, BASE);
            if (reload) {
                reload();
            }
            mv.visitJumpInsn(GOTO, loop);
            mv.visitLabel(no);
        }

        /** Any other instruction: through its handler, as the interpreter loop runs it. */
        void generic(int k, long a, long next) {
            sync();
            mv.visitVarInsn(ALOAD, C);
            mv.visitLdcInsn(next);
            mv.visitFieldInsn(PUTFIELD, CPU, "ia", "J");
            setCount(k);
            Label to = protect(k, a, false);
            mv.visitFieldInsn(GETSTATIC, NAME, "h" + k, "L" + HANDLER + ";");
            mv.visitVarInsn(ALOAD, C);
            pushInsn(k);
            mv.visitMethodInsn(INVOKEINTERFACE, HANDLER, "exec", "(L" + CPU + ";" + INSN_D + ")V", true);
            mv.visitLabel(to);
            // leave if the handler branched, ended the slice or stored into the block
            Label leave = new Label();
            Label stay = new Label();
            jumpUnlessAtWithRoom(next, k, leave);
            mv.visitVarInsn(ALOAD, THIS);
            mv.visitFieldInsn(GETFIELD, BLOCK, "valid", "Z");
            mv.visitJumpInsn(IFNE, stay);
            mv.visitLabel(leave);
            if (k == n - 1) {
                Label away = new Label();
                jumpUnlessAtWithRoom(start, k, away); // away also when the handler ended the slice
                repeatIfRoom(true);
                mv.visitLabel(away);
            }
            setCount(k + 1);
            mv.visitInsn(RETURN);
            mv.visitLabel(stay);
            reload();
        }
    }
}
