package org.mm1lab.toolkit.weights;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * The safetensors data types this package reads and writes, with their size in bytes and the DJL
 * type an array of them is read as. {@code BF16} has no DJL counterpart that every engine supports
 * (the PyTorch engine lacks it), so it is widened to float32 on reading; it is never written.
 */
public enum SafetensorsDataType {
  /** 64-bit IEEE float. */
  F64(8, DataType.FLOAT64),
  /** 32-bit IEEE float. */
  F32(4, DataType.FLOAT32),
  /** 16-bit IEEE float. */
  F16(2, DataType.FLOAT16),
  /** bfloat16 (the upper half of a float32), read as float32. */
  BF16(2, DataType.FLOAT32),
  /** 64-bit signed integer. */
  I64(8, DataType.INT64),
  /** 32-bit signed integer. */
  I32(4, DataType.INT32),
  /** 8-bit signed integer. */
  I8(1, DataType.INT8),
  /** 8-bit unsigned integer. */
  U8(1, DataType.UINT8),
  /** Boolean, one byte each. */
  BOOL(1, DataType.BOOLEAN);

  private final int bytes;
  private final DataType readAs;

  SafetensorsDataType(int bytes, DataType readAs) {
    this.bytes = bytes;
    this.readAs = readAs;
  }

  /** Bytes per element in the file. */
  public int bytes() {
    return bytes;
  }

  /** The DJL type {@link SafetensorsReader#read} returns for this file type. */
  public DataType readAs() {
    return readAs;
  }

  /**
   * The file type for a DJL type, for writing.
   *
   * @throws IllegalArgumentException for a type safetensors cannot hold or this writer does not
   *     write
   */
  public static SafetensorsDataType of(DataType type) {
    return switch (type) {
      case FLOAT64 -> F64;
      case FLOAT32 -> F32;
      case FLOAT16 -> F16;
      case INT64 -> I64;
      case INT32 -> I32;
      case INT8 -> I8;
      case UINT8 -> U8;
      case BOOLEAN -> BOOL;
      default ->
          throw new IllegalArgumentException(
              "cannot write " + type + " to safetensors; convert to float32 or float16 first");
    };
  }

  /** The type named in a header ({@code "F32"}), or {@code null} when unknown. */
  static SafetensorsDataType parse(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
