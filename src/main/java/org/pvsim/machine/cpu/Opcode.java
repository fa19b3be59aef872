package org.pvsim.machine.cpu;

import java.util.Set;

/**
 * One instruction, everything about it in one place: (extended) opcode, mnemonic, format, attributes,
 * and its semantics: the {@link Handler} the interpreter calls and, for the instructions the run loop
 * and translated blocks execute inline, the {@link Inline} kernel that handler, {@link FastPath} and
 * {@link Translator} all derive from. {@code fast} is that kernel's case in the fast path (0: none).
 */
public record Opcode(int code, String mnemonic, Format format, Set<Attribute> attributes, Handler handler,
        Inline inline, int fast) {

    public Opcode {
        attributes = Set.copyOf(attributes);
    }

    public boolean has(Attribute a) {
        return attributes.contains(a);
    }

    /** May be part of a translated block: everything but control instructions and the few marked interpreted. */
    public boolean translatable() {
        return !has(Attribute.CONTROL) && !has(Attribute.INTERPRETED);
    }

    /** A translated block ends with this instruction. */
    public boolean branches() {
        return has(Attribute.BRANCHES);
    }
}
