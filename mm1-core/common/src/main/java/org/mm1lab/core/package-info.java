/**
 * The root of the host: {@link org.mm1lab.core.UserException}, the one exception type for anything
 * a user can get wrong (a configuration, data, a plugin jar, a checkpoint, a command-line value),
 * which the command line prints as one line per problem with exit status 2. The host's capabilities
 * live in sub-packages, one module each (see docs/architecture.md).
 */
package org.mm1lab.core;
