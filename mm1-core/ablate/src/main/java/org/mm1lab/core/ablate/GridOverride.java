package org.mm1lab.core.ablate;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.Objects;
import org.mm1lab.core.config.Origins;

/**
 * One change a variant makes to the base run: the value at a config path. The value replaces what
 * the base has there; a section value ({@code { ... }}) replaces the whole section, as rewriting
 * that section of the run file would (unlike {@code --set}, which merges sections). The value keeps
 * its origin in the grid file, so that a problem with it is reported at {@code file:line}.
 *
 * @param path the config path, e.g. {@code mm1.model.connector.tokens}
 * @param value the value, with its origin
 */
public record GridOverride(String path, ConfigValue value) {

  /** Checks the fields. */
  public GridOverride {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(value, "value");
  }

  /** The value as compact HOCON (JSON), e.g. {@code "c-abstractor"} or {@code 64}. */
  public String renderedValue() {
    return value.render(ConfigRenderOptions.concise());
  }

  /** {@code path=value}, for people and for records of the ablation. */
  public String describe() {
    return path + "=" + renderedValue();
  }

  /** Where the value came from, as {@code file:line}. */
  public String origin() {
    return Origins.describe(value.origin());
  }

  /** The number of path elements: sections are applied before the settings inside them. */
  int depth() {
    return ConfigUtil.splitPath(path).size();
  }
}
