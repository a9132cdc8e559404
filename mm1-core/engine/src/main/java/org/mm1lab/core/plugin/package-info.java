/**
 * Plugin discovery: factories from the class path and from plugin folders through {@link
 * java.util.ServiceLoader}, each folder plugin in a class loader of its own that shares only the
 * SPI, DJL and SLF4J with the host; the registry of factories by family and name; and every load
 * problem (a missing class, a broken {@code reference.conf}, two factories with one name) as one
 * line that names the jar.
 */
package org.mm1lab.core.plugin;
