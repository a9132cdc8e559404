package org.mm1lab.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.mm1lab.core.data.ImageConversions.Kind;

/**
 * Each image shape scraped data holds, built here, decoded and compared pixel by pixel with the
 * values a viewer shows.
 */
class ImageDecoderTest {

  /** JPEG is lossy: flat 8x8 blocks come back within a few levels. */
  private static final int JPEG_TOLERANCE = 6;

  @Test
  void cmykJpegHasTheColoursOfItsInk() throws Exception {
    // Photoshop stores Adobe CMYK inverted (255 = no ink). Blocks: red ink (M+Y), 50% black,
    // red ink at 50% black, no ink.
    byte[] jpeg =
        fourChannelJpeg(
            new int[][] {
              {255, 0, 0, 255}, {255, 255, 255, 127}, {255, 0, 0, 127}, {255, 255, 255, 255}
            },
            0);
    ImageDecoder.Decoded decoded = ImageDecoder.decode(jpeg);
    assertEquals(Set.of(Kind.CMYK), decoded.conversions());
    assertBlocks(
        decoded.image(),
        new int[][] {{255, 0, 0}, {127, 127, 127}, {127, 0, 0}, {255, 255, 255}},
        JPEG_TOLERANCE);
  }

  @Test
  void ycckJpegHasTheColoursOfItsInk() throws Exception {
    // Adobe YCCK: the ink values C, M, Y are taken as R, G, B and stored as YCbCr; K inverted.
    int[][] inks = {{0, 255, 255, 0}, {0, 0, 0, 128}, {0, 255, 255, 128}, {0, 0, 0, 0}};
    int[][] stored = new int[4][];
    for (int i = 0; i < 4; i++) {
      double r = inks[i][0];
      double g = inks[i][1];
      double b = inks[i][2];
      stored[i] =
          new int[] {
            (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b),
            (int) Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b),
            (int) Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b),
            255 - inks[i][3]
          };
    }
    ImageDecoder.Decoded decoded = ImageDecoder.decode(fourChannelJpeg(stored, 2));
    assertEquals(Set.of(Kind.CMYK), decoded.conversions());
    assertBlocks(
        decoded.image(),
        new int[][] {{255, 0, 0}, {127, 127, 127}, {127, 0, 0}, {255, 255, 255}},
        JPEG_TOLERANCE);
  }

  @Test
  void anEmbeddedColourProfileIsConvertedToSrgbAndCounted() throws Exception {
    // A JPEG whose APP2 segment carries a linear-light RGB profile: stored 128 is sRGB 188.
    BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        grey.setRGB(x, y, 0x808080);
      }
    }
    byte[] profile = java.awt.color.ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
    int length = 2 + 12 + 2 + profile.length;
    ByteArrayOutputStream segment = new ByteArrayOutputStream();
    segment.write(new byte[] {(byte) 0xff, (byte) 0xe2, (byte) (length >> 8), (byte) length});
    segment.write("ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    segment.write(new byte[] {1, 1});
    segment.write(profile);
    ImageDecoder.Decoded decoded = ImageDecoder.decode(afterSoi(jpeg(grey), segment.toByteArray()));
    assertEquals(Set.of(Kind.COLOUR_SPACE), decoded.conversions());
    assertClose(new int[] {188, 188, 188}, decoded.image().getRGB(4, 4), JPEG_TOLERANCE);
  }

  @Test
  void greyWithAlphaKeepsItsGreyValues() throws Exception {
    // The JDK treats grey as linear light: 128 would come back as 188.
    BufferedImage image =
        new BufferedImage(
            new ComponentColorModel(
                ColorSpace.getInstance(ColorSpace.CS_GRAY),
                true,
                false,
                java.awt.Transparency.TRANSLUCENT,
                DataBuffer.TYPE_BYTE),
            Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 2, 1, 2, null),
            false,
            null);
    image.getRaster().setPixel(0, 0, new int[] {128, 255});
    image.getRaster().setPixel(1, 0, new int[] {60, 100});
    ImageDecoder.Decoded decoded = ImageDecoder.decode(png(image));
    assertEquals(Set.of(Kind.ALPHA), decoded.conversions());
    assertEquals(0x808080, decoded.image().getRGB(0, 0) & 0xffffff);
    assertEquals(0x3c3c3c, decoded.image().getRGB(1, 0) & 0xffffff);
    assertEquals(BufferedImage.TYPE_INT_RGB, decoded.image().getType());
  }

  @Test
  void plainGreyIsNotBrightened() throws Exception {
    BufferedImage image = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setSample(0, 0, 0, 128);
    ImageDecoder.Decoded decoded = ImageDecoder.decode(png(image));
    assertEquals(Set.of(), decoded.conversions());
    assertEquals(0x808080, decoded.image().getRGB(0, 0) & 0xffffff);
  }

  @Test
  void sixteenBitGreyAndColourRoundToEightBits() throws Exception {
    BufferedImage grey = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
    grey.getRaster().setSample(0, 0, 0, 0x8080);
    ImageDecoder.Decoded decodedGrey = ImageDecoder.decode(png(grey));
    assertEquals(Set.of(Kind.DEEP), decodedGrey.conversions());
    assertEquals(0x808080, decodedGrey.image().getRGB(0, 0) & 0xffffff);

    ComponentColorModel model =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            java.awt.Transparency.OPAQUE,
            DataBuffer.TYPE_USHORT);
    WritableRaster raster = model.createCompatibleWritableRaster(1, 1);
    raster.setPixel(0, 0, new int[] {65535, 0x8080, 0});
    ImageDecoder.Decoded decodedColour =
        ImageDecoder.decode(png(new BufferedImage(model, raster, false, null)));
    assertEquals(Set.of(Kind.DEEP), decodedColour.conversions());
    assertEquals(0xff8000, decodedColour.image().getRGB(0, 0) & 0xffffff);
  }

  @Test
  void paletteIsExpandedAndATransparentEntryCounted() throws Exception {
    byte[] r = {(byte) 255, 0, 0, 10};
    byte[] g = {0, (byte) 200, 0, 20};
    byte[] b = {0, 0, (byte) 255, 30};
    IndexColorModel opaque = new IndexColorModel(2, 4, r, g, b);
    BufferedImage image = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_INDEXED, opaque);
    for (int x = 0; x < 4; x++) {
      image.getRaster().setSample(x, 0, 0, x);
    }
    ImageDecoder.Decoded decoded = ImageDecoder.decode(png(image));
    assertEquals(Set.of(), decoded.conversions());
    int[] expected = {0xff0000, 0x00c800, 0x0000ff, 0x0a141e};
    for (int x = 0; x < 4; x++) {
      assertEquals(expected[x], decoded.image().getRGB(x, 0) & 0xffffff, "entry " + x);
    }

    IndexColorModel withTransparent = new IndexColorModel(2, 4, r, g, b, 3);
    BufferedImage transparent =
        new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_INDEXED, withTransparent);
    transparent.setData(image.getRaster());
    ImageDecoder.Decoded decodedTransparent = ImageDecoder.decode(png(transparent));
    assertEquals(Set.of(Kind.ALPHA), decodedTransparent.conversions());
    assertEquals(0x0a141e, decodedTransparent.image().getRGB(3, 0) & 0xffffff);
  }

  @Test
  void exifOrientationTurnsTheImageUpright() throws Exception {
    // Stored 16x8, left half red, right half blue; orientation 6 says "turn 90 degrees clockwise
    // to view", so the viewer shows 8x16 with red on top.
    BufferedImage image = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 16; x++) {
        image.setRGB(x, y, x < 8 ? 0xff0000 : 0x0000ff);
      }
    }
    for (boolean littleEndian : new boolean[] {true, false}) {
      byte[] jpeg = withExifOrientation(jpeg(image), 6, littleEndian);
      assertEquals(6, ImageDecoder.exifOrientation(jpeg));
      ImageDecoder.Decoded decoded = ImageDecoder.decode(jpeg);
      assertEquals(Set.of(Kind.ORIENTED), decoded.conversions());
      assertEquals(8, decoded.image().getWidth());
      assertEquals(16, decoded.image().getHeight());
      assertClose(new int[] {255, 0, 0}, decoded.image().getRGB(4, 3), JPEG_TOLERANCE + 10);
      assertClose(new int[] {0, 0, 255}, decoded.image().getRGB(4, 12), JPEG_TOLERANCE + 10);
    }
    // Without EXIF nothing turns.
    ImageDecoder.Decoded plain = ImageDecoder.decode(jpeg(image));
    assertEquals(16, plain.image().getWidth());
    assertEquals(Set.of(), plain.conversions());
  }

  @Test
  void everyOrientationMapsTheCornersAsAViewerDoes() {
    // A 3x2 image whose top-left pixel A is marked: where A ends up, per EXIF orientation.
    BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 0xaaaaaa);
    int[][] cornerOfA = {{2, 0}, {2, 1}, {0, 1}, {0, 0}, {1, 0}, {1, 2}, {0, 2}};
    for (int orientation = 2; orientation <= 8; orientation++) {
      BufferedImage turned = ImageDecoder.orient(image, orientation);
      int[] at = cornerOfA[orientation - 2];
      assertEquals(0xaaaaaa, turned.getRGB(at[0], at[1]) & 0xffffff, "orientation " + orientation);
    }
  }

  @Test
  void webpLosslessAndLossyAreRead() throws Exception {
    // No WebP writer in Java: these are the bytes libwebp's cwebp 1.2.4 writes for a 4x4 image
    // of four 2x2 quadrants (red, green 200, blue, (250, 240, 10)) with -lossless, and for a
    // 16x16 image of (200, 100, 50) with -q 100, as img2dataset's encoder does.
    byte[] lossless =
        java.util.Base64.getDecoder()
            .decode(
                "UklGRjYAAABXRUJQVlA4TCoAAAAvA8AAAB8gEEjyJxxjHDVtGzC5yp/vFNoQU/1/q2r+A3dspeCg9RH9jwE=");
    ImageDecoder.Decoded decoded = ImageDecoder.decode(lossless);
    assertEquals(Set.of(), decoded.conversions());
    assertEquals(4, decoded.image().getWidth());
    int[][] quadrants = {{0, 0, 0xff0000}, {2, 0, 0x00c800}, {0, 2, 0x0000ff}, {3, 3, 0xfaf00a}};
    for (int[] q : quadrants) {
      assertEquals(q[2], decoded.image().getRGB(q[0], q[1]) & 0xffffff, q[0] + "," + q[1]);
    }
    byte[] lossy =
        java.util.Base64.getDecoder()
            .decode(
                "UklGRkIAAABXRUJQVlA4IDYAAABQAgCdASoQABAAAAAAJaACdLoB+AH6AfwAB5AA/u3O3/+SD15PPz/yQj/+"
                    + "1J+vMHK/+0yAAAA=");
    BufferedImage flat = ImageDecoder.decode(lossy).image();
    assertEquals(16, flat.getWidth());
    assertClose(new int[] {200, 100, 50}, flat.getRGB(8, 8), JPEG_TOLERANCE);
  }

  @Test
  void unsupportedFormatsSayWhatTheyAre() {
    byte[] avif = {0, 0, 0, 28, 'f', 't', 'y', 'p', 'a', 'v', 'i', 'f', 0, 0, 0, 0};
    IOException e = assertThrows(IOException.class, () -> ImageDecoder.decode(avif));
    assertEquals(
        "AVIF images are not supported (16 bytes); supported: JPEG, PNG, GIF, BMP, WebP",
        e.getMessage());
    IOException noise =
        assertThrows(IOException.class, () -> ImageDecoder.decode(new byte[] {1, 2, 3}));
    assertTrue(noise.getMessage().startsWith("not a readable image (3 bytes"), noise.getMessage());
  }

  @Test
  void conversionsAreCountedBySources() throws Exception {
    ImageConversions conversions = new ImageConversions();
    byte[] cmyk = fourChannelJpeg(new int[][] {{255, 0, 0, 255}}, 0);
    ImageSource.ofBytes(cmyk).decode(0, conversions);
    ImageSource.ofBytes(cmyk).decode(0, conversions);
    assertEquals(2, conversions.count(Kind.CMYK));
    assertEquals(
        java.util.List.of("2 images: CMYK/YCCK JPEG converted to RGB"), conversions.summary());
  }

  /** Blocks of 8x8 pixels side by side, one per entry of {@code expected}. */
  private static void assertBlocks(BufferedImage image, int[][] expected, int tolerance) {
    for (int i = 0; i < expected.length; i++) {
      assertClose(expected[i], image.getRGB(8 * i + 4, 4), tolerance);
    }
  }

  private static void assertClose(int[] expected, int rgb, int tolerance) {
    int[] actual = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
    for (int c = 0; c < 3; c++) {
      assertTrue(
          Math.abs(actual[c] - expected[c]) <= tolerance,
          "expected "
              + java.util.Arrays.toString(expected)
              + " but got "
              + java.util.Arrays.toString(actual));
    }
  }

  private static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, "png", out));
    return out.toByteArray();
  }

  private static ImageWriter jdkJpegWriter() {
    for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
      ImageWriter writer = it.next();
      if (writer.getClass().getName().startsWith("com.sun.")) {
        return writer;
      }
    }
    throw new IllegalStateException("no JDK JPEG writer");
  }

  private static byte[] jpeg(Object imageOrRaster) throws IOException {
    ImageWriter writer = jdkJpegWriter();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(1f);
      IIOImage image =
          imageOrRaster instanceof Raster raster
              ? new IIOImage(raster, null, null)
              : new IIOImage((BufferedImage) imageOrRaster, null, null);
      writer.write(null, image, param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /**
   * A four-channel JPEG as Photoshop writes one: the JDK writes the raster's samples as they are,
   * and an Adobe APP14 segment after SOI says how to read them (transform 0: CMYK, 2: YCCK).
   */
  private static byte[] fourChannelJpeg(int[][] blocks, int transform) throws IOException {
    WritableRaster raster =
        Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 8 * blocks.length, 8, 4, null);
    for (int i = 0; i < blocks.length; i++) {
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          raster.setPixel(8 * i + x, y, blocks[i]);
        }
      }
    }
    byte[] adobe = {
      (byte) 0xff, (byte) 0xee, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform
    };
    return afterSoi(jpeg(raster), adobe);
  }

  /** Adds an EXIF APP1 segment with only the orientation tag. */
  private static byte[] withExifOrientation(byte[] jpeg, int orientation, boolean little) {
    byte[] tiff = new byte[8 + 2 + 12 + 4];
    tiff[0] = tiff[1] = (byte) (little ? 'I' : 'M');
    put(tiff, 2, 2, 42, little);
    put(tiff, 4, 4, 8, little);
    put(tiff, 8, 2, 1, little);
    put(tiff, 10, 2, 0x0112, little);
    put(tiff, 12, 2, 3, little);
    put(tiff, 14, 4, 1, little);
    put(tiff, 18, 2, orientation, little);
    int length = 2 + 6 + tiff.length;
    byte[] segment = new byte[2 + length];
    segment[0] = (byte) 0xff;
    segment[1] = (byte) 0xe1;
    segment[2] = (byte) (length >> 8);
    segment[3] = (byte) length;
    System.arraycopy(
        "Exif\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, segment, 4, 6);
    System.arraycopy(tiff, 0, segment, 10, tiff.length);
    return afterSoi(jpeg, segment);
  }

  private static void put(byte[] b, int offset, int length, int value, boolean little) {
    for (int i = 0; i < length; i++) {
      int shift = 8 * (little ? i : length - 1 - i);
      b[offset + i] = (byte) (value >> shift);
    }
  }

  private static byte[] afterSoi(byte[] jpeg, byte[] segment) {
    byte[] out = new byte[jpeg.length + segment.length];
    System.arraycopy(jpeg, 0, out, 0, 2);
    System.arraycopy(segment, 0, out, 2, segment.length);
    System.arraycopy(jpeg, 2, out, 2 + segment.length, jpeg.length - 2);
    return out;
  }
}
