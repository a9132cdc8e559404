/**
 * The plugin toolkit: code that plugins may share beyond the SPI of {@code org.mm1lab.api}. Unlike
 * the API it is an ordinary library: the host uses its own copy, and a plugin loaded from a folder
 * bundles the toolkit jar beside its own.
 */
package org.mm1lab.toolkit;
