package org.mm1lab.api;

/**
 * Creates one kind of component from its configuration section.
 *
 * <p>A factory is stateless and cheap to construct; the host may call {@link #create} several times
 * (for example once to validate a run file and once to run it). {@code create} must only build the
 * component and check its options: it must not allocate native arrays, read data, or touch the
 * engine, so that {@code mm1 config validate} stays fast and side-effect free. Parameter arrays are
 * allocated later, when the host initialises the component's {@link ai.djl.nn.Block}; the host
 * seeds the engine's random generator from the run's seed before it does, so parameter
 * initialisation is repeatable without the component touching the engine.
 *
 * @param <T> the component type
 * @param <C> the context type: sizes of neighbouring components and the run's seed
 * @since 1.0
 */
public interface ComponentFactory<T, C> {

  /**
   * The stable, kebab-case name a run file selects this factory with ({@code type = <name>}). It is
   * also the key of the defaults section {@code mm1-plugin-defaults.<family>.<name>}.
   */
  String name();

  /** One sentence for {@code mm1 plugins}. */
  default String description() {
    return "";
  }

  /**
   * Builds the component.
   *
   * @param options the component's section of the run file merged over this factory's defaults;
   *     every key must be read, since keys that no factory reads are rejected as unused
   * @param context sizes of the neighbouring components and the run's seed
   * @return the component, not yet initialised
   * @throws InvalidOptionException when an option is out of range or does not fit the context; the
   *     message should say what to change
   */
  T create(Options options, C context);
}
