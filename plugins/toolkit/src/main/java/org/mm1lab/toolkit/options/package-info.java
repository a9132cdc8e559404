/**
 * The implementation of {@link org.mm1lab.api.Options} over a Typesafe Config section, shared by
 * the host, which hands it to every factory it calls, and the test kit, whose contract tests must
 * apply the same rules: one copy of what counts as a missing key, a wrong type, an unknown enum
 * value or an option nobody read.
 */
package org.mm1lab.toolkit.options;
