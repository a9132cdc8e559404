/**
 * From a run file to wired components: {@link org.mm1lab.core.assembly.Assembly} discovers the
 * plugins, loads the run file strictly against their declared options ({@link
 * org.mm1lab.core.assembly.RunConfigLoader}), and has Guice build the encoder, connector, decoder,
 * data mixer and tokenizer the run selects ({@link org.mm1lab.core.assembly.Components}). The only
 * package that knows both the configuration and the plugin registry.
 */
package org.mm1lab.core.assembly;
