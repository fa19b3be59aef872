package org.pvsim.machine.uv.trace;

/** Receives an event for every UV call, after the UV answered it. */
@FunctionalInterface
public interface UvCallListener {
    void onCall(UvCallEvent event);
}
