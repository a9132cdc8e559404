package org.mm1lab.core.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes encoded images (JPEG, PNG, GIF, BMP, WebP) into 8-bit sRGB ({@link
 * BufferedImage#TYPE_INT_RGB}), the form every consumer of the pipeline expects, the way the image
 * looks in a viewer:
 *
 * <ul>
 *   <li>CMYK and YCCK JPEGs (common in scraped data) are read by the TwelveMonkeys JPEG plugin,
 *       which converts them to RGB; the JDK's own reader ignores the Adobe colour transform and
 *       returns wrong colours without a word.
 *   <li>Grey images (with or without alpha, 8 or 16 bits) keep their grey values: the JDK treats
 *       grey as linear light and makes it brighter when converting to sRGB; PNG grey is encoded as
 *       sRGB is.
 *   <li>16-bit samples are rounded to 8 bits; a palette is expanded; alpha is dropped and the
 *       stored colours kept, as PIL's {@code convert("RGB")} does for the usual CLIP preprocessing.
 *   <li>An embedded RGB colour profile other than sRGB is converted to sRGB.
 *   <li>A JPEG's EXIF orientation is applied.
 * </ul>
 *
 * Every change beyond reading is reported as {@link ImageConversions.Kind}s, for counting.
 */
public final class ImageDecoder {

  /** A decoded image and what decoding did to it. */
  public record Decoded(BufferedImage image, Set<ImageConversions.Kind> conversions) {}

  private ImageDecoder() {}

  /**
   * Decodes one encoded image.
   *
   * @throws IOException when the bytes are no image a reader here knows, or a damaged one; the
   *     message names the format the bytes look like
   */
  public static Decoded decode(byte[] encoded) throws IOException {
    Set<ImageConversions.Kind> conversions = EnumSet.noneOf(ImageConversions.Kind.class);
    BufferedImage image;
    String format;
    boolean fourChannel;
    // An in-memory stream: ImageIO's default one may spill to temporary files.
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IOException(unreadable(encoded));
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, false);
        format = reader.getFormatName().toLowerCase(java.util.Locale.ROOT);
        ImageTypeSpecifier raw = reader.getRawImageType(0);
        ColorSpace rawSpace = raw == null ? null : raw.getColorModel().getColorSpace();
        fourChannel = rawSpace != null && rawSpace.getType() == ColorSpace.TYPE_CMYK;
        // An embedded RGB profile (Adobe RGB, Display P3) the reader converts to sRGB itself.
        if (rawSpace != null
            && rawSpace.getType() == ColorSpace.TYPE_RGB
            && !rawSpace.isCS_sRGB()) {
          conversions.add(ImageConversions.Kind.COLOUR_SPACE);
        }
        image = reader.read(0);
      } catch (IOException | RuntimeException e) {
        throw new IOException(
            "damaged or unsupported " + looksLike(encoded) + " image: " + e.getMessage(), e);
      } finally {
        reader.dispose();
      }
    }
    if (fourChannel) {
      conversions.add(ImageConversions.Kind.CMYK);
    }
    BufferedImage rgb = toRgb(image, conversions, fourChannel);
    if (format.equals("jpeg") || format.equals("jpg")) {
      int orientation = exifOrientation(encoded);
      if (orientation > 1) {
        rgb = orient(rgb, orientation);
        conversions.add(ImageConversions.Kind.ORIENTED);
      }
    }
    return new Decoded(rgb, Collections.unmodifiableSet(conversions));
  }

  /** Any decoded image as 8-bit sRGB, its grey kept as grey values. */
  static BufferedImage toRgb(
      BufferedImage image, Set<ImageConversions.Kind> conversions, boolean alreadyConverted) {
    int w = image.getWidth();
    int h = image.getHeight();
    ColorModel model = image.getColorModel();
    ColorSpace space = model.getColorSpace();
    if (model.hasAlpha() && hasTransparency(image)) {
      conversions.add(ImageConversions.Kind.ALPHA);
    }
    boolean indexed = model instanceof IndexColorModel;
    if (!indexed && model.getComponentSize(0) > 8) {
      conversions.add(ImageConversions.Kind.DEEP);
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w];
    if (!indexed && space.getType() == ColorSpace.TYPE_GRAY) {
      Raster raster = image.getRaster();
      int max = (1 << model.getComponentSize(0)) - 1;
      int[] samples = new int[w];
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, samples);
        for (int x = 0; x < w; x++) {
          int v = max == 255 ? samples[x] : (int) ((samples[x] * 255L + max / 2) / max);
          row[x] = (v << 16) | (v << 8) | v;
        }
        out.setRGB(0, y, w, 1, row, 0, w);
      }
      return out;
    }
    if (!indexed && !space.isCS_sRGB()) {
      // An ICC profile the reader kept (Adobe RGB, ProPhoto, a CMYK one): converted to sRGB. A
      // CMYK JPEG the plugin already turned into RGB is counted as CMYK only.
      if (!alreadyConverted) {
        conversions.add(ImageConversions.Kind.COLOUR_SPACE);
      }
      BufferedImage converted = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      new ColorConvertOp(space, ColorSpace.getInstance(ColorSpace.CS_sRGB), null)
          .filter(
              image.getRaster().getNumBands() == space.getNumComponents()
                  ? image
                  : dropAlpha(image),
              converted);
      return converted;
    }
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        row[x] &= 0xffffff;
      }
      out.setRGB(0, y, w, 1, row, 0, w);
    }
    return out;
  }

  private static BufferedImage dropAlpha(BufferedImage image) {
    ColorModel model = image.getColorModel();
    int colours = model.getColorSpace().getNumComponents();
    int[] bands = new int[colours];
    for (int i = 0; i < colours; i++) {
      bands[i] = i;
    }
    java.awt.image.WritableRaster opaque =
        image
            .getRaster()
            .createWritableChild(0, 0, image.getWidth(), image.getHeight(), 0, 0, bands);
    ColorModel opaqueModel =
        new java.awt.image.ComponentColorModel(
            model.getColorSpace(),
            false,
            false,
            java.awt.Transparency.OPAQUE,
            opaque.getDataBuffer().getDataType());
    return new BufferedImage(opaqueModel, opaque, false, null);
  }

  private static boolean hasTransparency(BufferedImage image) {
    Raster alpha = image.getAlphaRaster();
    if (alpha == null) {
      // An indexed image with a transparent palette entry has no alpha raster.
      int[] row = new int[image.getWidth()];
      for (int y = 0; y < image.getHeight(); y++) {
        image.getRGB(0, y, row.length, 1, row, 0, row.length);
        for (int p : row) {
          if ((p >>> 24) != 0xff) {
            return true;
          }
        }
      }
      return false;
    }
    ColorModel model = image.getColorModel();
    int max = (1 << model.getComponentSize(model.getNumComponents() - 1)) - 1;
    int[] samples = new int[alpha.getWidth()];
    for (int y = 0; y < alpha.getHeight(); y++) {
      alpha.getSamples(0, y, alpha.getWidth(), 1, 0, samples);
      for (int a : samples) {
        if (a != max) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The EXIF orientation (1 to 8) of a JPEG, or 1 when it has none or it cannot be read: a damaged
   * EXIF block never makes the image unreadable.
   */
  static int exifOrientation(byte[] jpeg) {
    int pos = 2;
    while (pos + 4 <= jpeg.length) {
      if ((jpeg[pos] & 0xff) != 0xff) {
        return 1;
      }
      int marker = jpeg[pos + 1] & 0xff;
      if (marker == 0xff) {
        pos++;
        continue;
      }
      if (marker == 0xda || marker == 0xd9) {
        return 1;
      }
      int length = ((jpeg[pos + 2] & 0xff) << 8) | (jpeg[pos + 3] & 0xff);
      int start = pos + 4;
      int end = pos + 2 + length;
      if (length < 2 || end > jpeg.length) {
        return 1;
      }
      if (marker == 0xe1
          && end - start > 14
          && new String(jpeg, start, 6, StandardCharsets.ISO_8859_1).equals("Exif\0\0")) {
        return tiffOrientation(jpeg, start + 6, end);
      }
      pos = end;
    }
    return 1;
  }

  private static int tiffOrientation(byte[] b, int tiff, int end) {
    boolean little;
    if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
      little = true;
    } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
      little = false;
    } else {
      return 1;
    }
    long ifd = tiff + unsigned(b, tiff + 4, 4, little);
    if (ifd + 2 > end) {
      return 1;
    }
    int entries = (int) unsigned(b, (int) ifd, 2, little);
    for (int i = 0; i < entries; i++) {
      int entry = (int) ifd + 2 + 12 * i;
      if (entry + 12 > end) {
        return 1;
      }
      if (unsigned(b, entry, 2, little) == 0x0112 && unsigned(b, entry + 2, 2, little) == 3) {
        int value = (int) unsigned(b, entry + 8, 2, little);
        return value >= 1 && value <= 8 ? value : 1;
      }
    }
    return 1;
  }

  private static long unsigned(byte[] b, int offset, int length, boolean little) {
    long value = 0;
    for (int i = 0; i < length; i++) {
      int index = little ? offset + length - 1 - i : offset + i;
      value = (value << 8) | (b[index] & 0xff);
    }
    return value;
  }

  /** Turns an image as a viewer does for an EXIF orientation from 2 to 8. */
  static BufferedImage orient(BufferedImage image, int orientation) {
    int w = image.getWidth();
    int h = image.getHeight();
    boolean swap = orientation >= 5;
    BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = image.getRGB(x, y);
        switch (orientation) {
          case 2 -> out.setRGB(w - 1 - x, y, p);
          case 3 -> out.setRGB(w - 1 - x, h - 1 - y, p);
          case 4 -> out.setRGB(x, h - 1 - y, p);
          case 5 -> out.setRGB(y, x, p);
          case 6 -> out.setRGB(h - 1 - y, x, p);
          case 7 -> out.setRGB(h - 1 - y, w - 1 - x, p);
          default -> out.setRGB(y, w - 1 - x, p);
        }
      }
    }
    return out;
  }

  /** The message for bytes no reader takes: what they look like, and what is supported. */
  private static String unreadable(byte[] encoded) {
    String kind = looksLike(encoded);
    String supported = "supported: JPEG, PNG, GIF, BMP, WebP";
    if (kind.equals("unknown")) {
      return "not a readable image ("
          + encoded.length
          + " bytes of no known image format); "
          + supported;
    }
    return kind + " images are not supported (" + encoded.length + " bytes); " + supported;
  }

  /** The format the first bytes announce, for messages. */
  static String looksLike(byte[] b) {
    if (startsWith(b, 0, 0xff, 0xd8, 0xff)) {
      return "JPEG";
    }
    if (startsWith(b, 0, 0x89, 'P', 'N', 'G')) {
      return "PNG";
    }
    if (startsWith(b, 0, 'G', 'I', 'F', '8')) {
      return "GIF";
    }
    if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
      return "WebP";
    }
    if (startsWith(b, 0, 'B', 'M')) {
      return "BMP";
    }
    if (startsWith(b, 0, 'I', 'I', 42, 0) || startsWith(b, 0, 'M', 'M', 0, 42)) {
      return "TIFF";
    }
    if (startsWith(b, 4, 'f', 't', 'y', 'p')) {
      if (startsWith(b, 8, 'a', 'v', 'i', 'f') || startsWith(b, 8, 'a', 'v', 'i', 's')) {
        return "AVIF";
      }
      if (startsWith(b, 8, 'h', 'e', 'i') || startsWith(b, 8, 'm', 'i', 'f', '1')) {
        return "HEIC";
      }
    }
    if (startsWith(b, 0, 0xff, 0x0a) || startsWith(b, 4, 'J', 'X', 'L', ' ')) {
      return "JPEG XL";
    }
    return "unknown";
  }

  private static boolean startsWith(byte[] b, int offset, int... expected) {
    if (b.length < offset + expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if ((b[offset + i] & 0xff) != expected[i]) {
        return false;
      }
    }
    return true;
  }
}
