/**
 * Contract tests every plugin passes, built-in or third-party: a plugin author extends the contract
 * of the family ({@link org.mm1lab.testkit.ImageEncoderContract}, {@link
 * org.mm1lab.testkit.VLConnectorContract}, {@link org.mm1lab.testkit.DecoderContract}, {@link
 * org.mm1lab.testkit.DataMixerContract}) and gets tests of shapes, gradients, defaults, determinism
 * and parameter round trips on the real engine.
 */
package org.mm1lab.testkit;
