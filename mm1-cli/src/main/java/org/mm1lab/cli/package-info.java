/**
 * The {@code mm1} command line (picocli): one class per command, each a thin driver over the core
 * modules. Commands parse and check their arguments, hand the work to the core, and turn a {@link
 * org.mm1lab.core.UserException} into one line on standard error and exit status 2. This is also
 * where diagnostics are routed: the libraries log through SLF4J, and the CLI decides where that
 * goes.
 */
package org.mm1lab.cli;
