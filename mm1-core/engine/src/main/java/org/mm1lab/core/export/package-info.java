/**
 * {@code mm1 export}: a trained model written in layouts other tools load (Hugging Face's Llama,
 * timm's ViT, LLaVA's projector), with the configuration files those tools read.
 */
package org.mm1lab.core.export;
