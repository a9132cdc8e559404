package org.mm1lab.toolkit.weights;

import ai.djl.ndarray.NDManager;

/**
 * A component that can hand out its parameters in a layout published outside MM1 Lab (Hugging
 * Face's Llama, timm's ViT, LLaVA's projector), so that {@code mm1 export} can write files other
 * tools load. The tensor names come from the same {@link ParameterMapping} tables the component's
 * own checkpoint loading reads, so that export is the exact inverse of import.
 *
 * <p>The host finds it by {@code instanceof} on the component: the built-in plugins implement it; a
 * plugin loaded from its own folder sees its own copy of the toolkit, so the host cannot export it
 * and says so.
 */
public interface PublishedLayout {

  /**
   * This component's parameters under the layout's tensor names, with the layout's configuration
   * fields.
   *
   * @param manager owns the arrays made for the export (a fused or reshaped tensor); the
   *     parameters' own arrays are returned as they are
   * @throws LayoutUnavailableException when the component, as configured, cannot be represented in
   *     the layout exactly; its message is one sentence saying why
   */
  LayoutExport publishedLayout(NDManager manager);
}
