/**
 * The built-in vision-language connectors the MM1 paper compared: {@code linear}, {@code mlp}
 * (LLaVA), {@code avg-pool}, {@code attention-pool} (learned queries) and {@code c-abstractor}
 * (Honeybee's convolutional abstractor). Each maps the encoder's patch grid to a fixed number of
 * image tokens of the decoder's width.
 */
package org.mm1lab.plugins.connectors;
