package org.mm1lab.plugins.data;

import java.util.List;
import org.mm1lab.api.MixerContext;
import org.mm1lab.api.Options;
import org.mm1lab.api.Suggestions;

/**
 * Checks that a name a user wrote is one of the run's data sources, with a "did you mean" hint for
 * typos.
 */
final class SourceNames {

  private SourceNames() {}

  /**
   * Throws unless {@code name} is in {@link MixerContext#sourceNames()}.
   *
   * @param options for {@link Options#invalid}
   * @param key the option to blame, relative to the section (for example {@code sources.captiond},
   *     so that the host points at the offending line)
   */
  static void requireKnown(Options options, String key, String name, MixerContext context) {
    List<String> known = context.sourceNames();
    if (known.contains(name)) {
      return;
    }
    String closest = Suggestions.closest(name, known).orElse(null);
    throw options.invalid(
        key,
        "'"
            + name
            + "' is not a data source of this run"
            + (closest == null ? "" : "; did you mean " + closest + "?")
            + " Known sources: "
            + (known.isEmpty() ? "none (mm1.data.sources is empty)" : String.join(", ", known))
            + " (set in mm1.data.sources)");
  }
}
