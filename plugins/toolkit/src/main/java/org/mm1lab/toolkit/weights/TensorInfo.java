package org.mm1lab.toolkit.weights;

import ai.djl.ndarray.types.Shape;

/**
 * One tensor's entry in a safetensors header.
 *
 * @param name the tensor's name
 * @param dataType its type in the file
 * @param shape its shape ({@code ()} for a scalar)
 * @param begin the first byte of its data, relative to the data buffer
 * @param end one past its last byte, relative to the data buffer
 */
public record TensorInfo(
    String name, SafetensorsDataType dataType, Shape shape, long begin, long end) {

  /** The number of bytes its data takes. */
  public long byteSize() {
    return end - begin;
  }
}
