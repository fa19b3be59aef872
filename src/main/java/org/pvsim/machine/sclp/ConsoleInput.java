package org.pvsim.machine.sclp;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Bytes typed at the operator's console, waiting for the program's READ EVENT DATA. A stream source
 * (stdin) is read on a daemon thread, and only from the first time the program asks for input: a
 * program that never reads its console never takes bytes from the stream. A test injects bytes and
 * the end of input itself.
 *
 * <p>Thread safety: the reader thread and injectors add, the machine's thread takes; one lock guards
 * the buffer. The reader thread reads ahead of the program by at most {@link #LIMIT} bytes; injected
 * bytes are never refused.
 */
public final class ConsoleInput {
    /** How far the reader thread may read ahead of the program. */
    static final int LIMIT = 64 * 1024;

    private final InputStream source;
    private final Object lock = new Object();
    private byte[] buffer = new byte[256];
    private int length;
    private boolean end;
    private boolean started;
    private long arrivals;

    private ConsoleInput(InputStream source) {
        this.source = source;
    }

    /** Input read from {@code in} (stdin), from the first time the program asks for it. */
    public static ConsoleInput of(InputStream in) {
        return new ConsoleInput(in);
    }

    /** Input that only {@link #inject} and {@link #end} provide. */
    public static ConsoleInput injected() {
        return new ConsoleInput(null);
    }

    /** Adds bytes, as if typed. */
    public void inject(byte[] bytes) {
        synchronized (lock) {
            if (end) {
                return;
            }
            if (length + bytes.length > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, length + bytes.length));
            }
            System.arraycopy(bytes, 0, buffer, length, bytes.length);
            length += bytes.length;
            if (bytes.length > 0) {
                arrivals++;
            }
            lock.notifyAll();
        }
    }

    /** No more input will come (end of file). */
    public void end() {
        synchronized (lock) {
            end = true;
            lock.notifyAll();
        }
    }

    /** The program wants input: start reading the stream, once. */
    void demand() {
        synchronized (lock) {
            if (source == null || started) {
                return;
            }
            started = true;
        }
        Thread t = new Thread(this::readSource, "console-input");
        t.setDaemon(true);
        t.start();
    }

    private void readSource() {
        byte[] chunk = new byte[4096];
        try {
            for (int n; roomToReadAhead() && (n = source.read(chunk)) >= 0; ) {
                inject(Arrays.copyOf(chunk, n));
            }
        } catch (IOException e) {
            // a broken input is an ended one
        }
        end();
    }

    /** Waits until the program has taken enough for another chunk; false once input has ended. */
    private boolean roomToReadAhead() {
        synchronized (lock) {
            while (length >= LIMIT && !end) {
                waitQuietly(0);
            }
            return !end;
        }
    }

    /** Bytes waiting. */
    public int available() {
        synchronized (lock) {
            return length;
        }
    }

    /** Takes up to {@code max} waiting bytes (none if nothing waits). */
    byte[] take(int max) {
        synchronized (lock) {
            int n = Math.min(max, length);
            byte[] out = Arrays.copyOf(buffer, n);
            System.arraycopy(buffer, n, buffer, 0, length - n);
            length -= n;
            lock.notifyAll();
            return out;
        }
    }

    /** Whether input has ended and every byte of it has been taken. */
    public boolean exhausted() {
        synchronized (lock) {
            return end && length == 0;
        }
    }

    /** How many times bytes arrived: the SCLP raises one attention per arrival. */
    long arrivals() {
        synchronized (lock) {
            return arrivals;
        }
    }

    /** Waits up to {@code nanos} for bytes or the end of input. */
    void await(long nanos) {
        long until = System.nanoTime() + nanos;
        synchronized (lock) {
            for (long left = nanos; length == 0 && !end && left > 0; left = until - System.nanoTime()) {
                waitQuietly(Math.max(1, left / 1_000_000));
            }
        }
    }

    private void waitQuietly(long millis) {
        try {
            lock.wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end = true;
        }
    }
}
