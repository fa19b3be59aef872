package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

class KernelInlinerTest {
    /** Every kernel a block runs directly is inlined on locals: one that is not would be called on c.gr, slower. */
    @Test
    void everyInlineKernelInlinesOnLocals() {
        List<String> failed = new ArrayList<>();
        int tried = 0;
        for (Opcode o : Decoder.standard().opcodes()) {
            Inline op = o.inline();
            if (op == null || op.kind() == Inline.Kind.REGISTER_BRANCH) {
                continue;
            }
            for (int r : new int[] {0, 1, 15}) {
                KernelInliner.Binding[] args = new KernelInliner.Binding[op.operands().size() + 1];
                args[0] = KernelInliner.CPU_ARG;
                for (int i = 1; i < args.length; i++) {
                    Inline.Operand p = op.operands().get(i - 1);
                    args[i] = new KernelInliner.Const(p.type.getSize() == 2 ? (Object) (long) (r * 8) : (Object) r);
                }
                KernelInliner.Locals locals = new KernelInliner.Locals(4);
                try {
                    new KernelInliner(new MethodVisitor(Opcodes.ASM9) { }, 1, locals)
                            .inline(op.owner(), op.name(), op.descriptor(), args);
                } catch (KernelInliner.Unsupported e) {
                    failed.add(o.mnemonic() + " (registers " + r + "): " + e.getMessage());
                }
                tried++;
            }
        }
        assertThat(tried).isGreaterThan(100);
        assertThat(failed).isEmpty();
    }
}
