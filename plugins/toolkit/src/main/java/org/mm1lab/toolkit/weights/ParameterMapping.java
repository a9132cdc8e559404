package org.mm1lab.toolkit.weights;

import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which checkpoint tensor goes into which {@link Parameter}: the layout of a published checkpoint
 * (such as Llama's {@code model.layers.0.self_attn.q_proj.weight}) mapped onto a block's
 * parameters, plus patterns of tensors a checkpoint may hold that the block does not need (such as
 * precomputed rotary tables). Built by a component that knows both layouts; applied by {@link
 * WeightLoader}.
 */
public final class ParameterMapping {

  private final Map<String, Parameter> parameters;
  private final List<Pattern> ignored;

  private ParameterMapping(Map<String, Parameter> parameters, List<Pattern> ignored) {
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    this.ignored = List.copyOf(ignored);
  }

  /** A new, empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Tensor name to parameter, in the order they were added. */
  public Map<String, Parameter> parameters() {
    return parameters;
  }

  /** Whether a checkpoint tensor of that name, absent from the mapping, may be skipped silently. */
  public boolean ignores(String tensorName) {
    for (Pattern p : ignored) {
      if (p.matcher(tensorName).matches()) {
        return true;
      }
    }
    return false;
  }

  /** Collects a {@link ParameterMapping}. */
  public static final class Builder {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final List<Pattern> ignored = new ArrayList<>();

    private Builder() {}

    /**
     * Maps {@code tensorName} to {@code parameter}.
     *
     * @throws IllegalArgumentException when the name is mapped already
     */
    public Builder put(String tensorName, Parameter parameter) {
      if (parameters.putIfAbsent(tensorName, parameter) != null) {
        throw new IllegalArgumentException("tensor \"" + tensorName + "\" is mapped twice");
      }
      return this;
    }

    /** Lets checkpoint tensors whose whole name matches {@code regex} go unused without error. */
    public Builder ignore(String regex) {
      ignored.add(Pattern.compile(regex));
      return this;
    }

    /** The mapping. */
    public ParameterMapping build() {
      return new ParameterMapping(parameters, ignored);
    }
  }
}
