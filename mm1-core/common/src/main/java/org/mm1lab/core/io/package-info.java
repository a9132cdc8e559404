/**
 * Files every module writes the same way: atomic replacement of a file (written beside it, then
 * renamed, so that a crash leaves the old or the new file, never half of one), the JSON Lines
 * metrics log of a run, and the progress line a long task redraws on a terminal or prints plainly
 * otherwise.
 */
package org.mm1lab.core.io;
