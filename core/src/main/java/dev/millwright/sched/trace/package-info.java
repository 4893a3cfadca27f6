/**
 * Readers of cluster traces for scheduler replay, one per format. Each turns a text stream into plain records,
 * checks every cell, and reports the first bad one as a {@link dev.millwright.sched.trace.TraceException} naming
 * the file, the line and the column. Opening files is the caller's job: these classes only parse.
 */
package dev.millwright.sched.trace;
