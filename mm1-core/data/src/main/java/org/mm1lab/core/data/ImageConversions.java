package org.mm1lab.core.data;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the images whose decoding changed their colours or layout on the way to 8-bit sRGB, by
 * kind, so that a run or an inspection can say what it did to the data. Thread-safe: the pipeline's
 * workers decode in parallel.
 */
public final class ImageConversions {

  /** What decoding may do to an image beyond reading it. */
  public enum Kind {
    /** A four-channel JPEG (Adobe CMYK or YCCK) turned into RGB. */
    CMYK("CMYK/YCCK JPEG converted to RGB"),
    /** An image in a colour space other than sRGB (an embedded ICC profile) converted to sRGB. */
    COLOUR_SPACE("converted from another colour space to sRGB"),
    /** Samples of more than 8 bits (16-bit PNG) reduced to 8 bits. */
    DEEP("16-bit samples reduced to 8 bits"),
    /** Transparent pixels: the alpha channel is dropped, the stored colours are kept. */
    ALPHA("transparency dropped (stored colours kept)"),
    /** The EXIF orientation tag applied: the image is turned as a viewer shows it. */
    ORIENTED("turned upright by their EXIF orientation");

    private final String description;

    Kind(String description) {
      this.description = description;
    }

    /** How the kind reads in a summary. */
    public String description() {
      return description;
    }
  }

  // Filled once here and never changed: the map is read by many threads, only its adders grow.
  private final Map<Kind, LongAdder> counts = new EnumMap<>(Kind.class);

  /** Nothing counted yet. */
  public ImageConversions() {
    for (Kind kind : Kind.values()) {
      counts.put(kind, new LongAdder());
    }
  }

  /** Counts one image's conversions. */
  public void record(Set<Kind> kinds) {
    for (Kind kind : kinds) {
      counts.get(kind).increment();
    }
  }

  /** Images converted in this way so far. */
  public long count(Kind kind) {
    return counts.get(kind).sum();
  }

  /** The kinds seen so far. */
  public Set<Kind> seen() {
    EnumSet<Kind> seen = EnumSet.noneOf(Kind.class);
    for (Kind kind : Kind.values()) {
      if (count(kind) > 0) {
        seen.add(kind);
      }
    }
    return seen;
  }

  /** One line per kind seen, e.g. {@code 3 images: CMYK/YCCK JPEG converted to RGB}. */
  public List<String> summary() {
    List<String> lines = new ArrayList<>();
    for (Kind kind : seen()) {
      long n = count(kind);
      lines.add(n + (n == 1 ? " image: " : " images: ") + kind.description());
    }
    return lines;
  }

  @Override
  public String toString() {
    List<String> lines = summary();
    return lines.isEmpty() ? "no image converted" : String.join("; ", lines);
  }
}
