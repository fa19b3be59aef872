/**
 * The service-call logical processor (SCLP) behind SERVC: SCCB commands (read SCP/CPU info, event
 * masks, event data) and the console (ASCII console and line-mode message events) written to a sink.
 */
package org.pvsim.machine.sclp;
