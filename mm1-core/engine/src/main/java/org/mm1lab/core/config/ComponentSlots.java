package org.mm1lab.core.config;

import org.mm1lab.api.Family;

/** Where in a run file each family's component section lives. */
public final class ComponentSlots {

  private ComponentSlots() {}

  /** The section path of a family, for example {@code mm1.model.connector}. */
  public static String pathOf(Family family) {
    return switch (family) {
      case ENCODER -> "mm1.model.encoder";
      case CONNECTOR -> "mm1.model.connector";
      case DECODER -> "mm1.model.decoder";
      case MIXER -> "mm1.data.mix";
      default -> throw new IllegalArgumentException("no section for " + family);
    };
  }

  /** The family whose section contains {@code path}, if any. */
  public static Family familyAt(String path) {
    for (Family family : Family.values()) {
      String section = pathOf(family);
      if (path.equals(section) || path.startsWith(section + ".")) {
        return family;
      }
    }
    return null;
  }
}
