package org.mm1lab.plugins.data;

/**
 * The checkpoint form of a counter-based mixer's position: {@code <mixer name>:<examples drawn>},
 * for example {@code weighted:1200}. Tagging the state with the mixer's name lets a resumed run
 * that changed {@code mm1.data.mix.type} fail with a clear message instead of silently continuing
 * from a position that means something else.
 */
final class MixerState {

  private MixerState() {}

  /** The state of a mixer of kind {@code type} that has drawn {@code position} examples. */
  static String format(String type, long position) {
    return type + ":" + position;
  }

  /**
   * The position in a state written by {@link #format} for the same {@code type}.
   *
   * @throws IllegalArgumentException when the state is malformed or was written by another mixer
   */
  static long parse(String type, String state) {
    String expected = "expected '" + type + ":<examples drawn>', for example '" + type + ":0'";
    if (state == null) {
      throw new IllegalArgumentException("no mixer state to restore; " + expected);
    }
    int colon = state.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("mixer state '" + state + "' is malformed; " + expected);
    }
    String writer = state.substring(0, colon);
    if (!writer.equals(type)) {
      throw new IllegalArgumentException(
          "mixer state '"
              + state
              + "' was saved by the '"
              + writer
              + "' mixer, but this run uses '"
              + type
              + "'; resume with the mixer the checkpoint was written with, or start a new run");
    }
    long position;
    try {
      position = Long.parseLong(state.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "mixer state '"
              + state
              + "' is malformed: the position is not a whole number; "
              + expected);
    }
    if (position < 0) {
      throw new IllegalArgumentException(
          "mixer state '" + state + "' is malformed: the position is negative; " + expected);
    }
    return position;
  }
}
