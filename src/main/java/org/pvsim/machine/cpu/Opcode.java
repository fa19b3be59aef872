package org.pvsim.machine.cpu;

/** One entry of the opcode table: mnemonic, format and handler, keyed by the (extended) opcode. */
public record Opcode(int code, String mnemonic, Format format, Handler handler) {
}
