/**
 * Linear probes of a trained model's stages ({@code mm1 probe}): what the encoder's features and
 * the connector's image tokens make readable about the shapes, colours, sizes, positions and words
 * of the synthetic world's images.
 */
package org.mm1lab.core.eval.probe;
