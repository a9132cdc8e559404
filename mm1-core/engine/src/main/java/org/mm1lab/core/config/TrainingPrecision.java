package org.mm1lab.core.config;

/**
 * The arithmetic of training ({@code mm1.train.precision}).
 *
 * <p>{@code fp32}: every parameter, activation and gradient in float32.
 *
 * <p>{@code fp16-mixed}: the forward and backward passes in float16 on float16 copies of the
 * float32 master weights, which the optimizer updates with float32 gradients and float32 moments;
 * norms, softmax and the loss in float32; the loss multiplied by a dynamic scale before the
 * backward pass so that small gradients do not vanish in float16, and a step whose gradients
 * overflow skipped. Meant for GPUs: on the CPU, PyTorch's float16 kernels are slower than its
 * float32 ones.
 */
public enum TrainingPrecision {
  /** Float32 throughout. */
  FP32,
  /** Float16 compute, float32 master weights and optimizer state, dynamic loss scaling. */
  FP16_MIXED
}
