package org.mm1lab.api;

/**
 * Creates {@link VLConnector}s; return it from {@link Mm1Plugin} to add one of the vision-language
 * connectors.
 *
 * @since 1.0
 */
public interface VLConnectorFactory extends ComponentFactory<VLConnector, ConnectorContext> {}
