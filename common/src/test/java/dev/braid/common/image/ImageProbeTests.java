package dev.braid.common.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageProbeTests {

    @TempDir
    Path temp;

    @AfterEach
    void restoreImageIoCache() {
        ImageIO.setCacheDirectory(null);
    }

    /**
     * ImageIO's stream helpers would copy an image into a temporary file: its plaintext on disk before ingestion
     * encrypts it. With the cache directory gone, any such copy fails, so probing and decoding must not make one.
     */
    @Test
    void shouldProbeAndDecodeWithoutWritingTheImageToDisk() throws Exception {
        byte[] png = png(37, 21);
        byte[] jpeg = encode(image(16, 9), "jpeg");
        Path cache = Files.createDirectory(temp.resolve("imageio-cache"));
        ImageIO.setCacheDirectory(cache.toFile());
        Files.delete(cache);

        assertThat(ImageProbe.check(png, 10_000)).isEqualTo(37 * 21);
        assertThat(ImageProbe.check(jpeg, 10_000)).isEqualTo(16 * 9);
        BufferedImage decoded = ImageProbe.decode(png, 10_000);
        assertThat(decoded.getWidth()).isEqualTo(37);
        assertThat(decoded.getRGB(5, 7)).isEqualTo(image(37, 21).getRGB(5, 7));
        assertThat(cache).doesNotExist();
    }

    @Test
    void shouldRefuseAnImageDeclaringMorePixelsThanAllowed() throws Exception {
        byte[] png = png(101, 100);

        assertThat(ImageProbe.check(png, 101 * 100)).isEqualTo(10_100);
        assertThatThrownBy(() -> ImageProbe.check(png, 101 * 100 - 1)).isInstanceOf(ImageProbe.InvalidImage.class)
                .hasMessageContaining("10100 pixels");
    }

    @Test
    void shouldRefuseBytesThatAreNotAnImageOrACutOneWithoutDecoding() throws Exception {
        byte[] png = png(40, 40);
        byte[] header = java.util.Arrays.copyOf(png, 12);

        assertThatThrownBy(() -> ImageProbe.check("not an image".getBytes(), 100)).isInstanceOf(ImageProbe.InvalidImage.class)
                .hasMessageContaining("not a PNG or JPEG");
        assertThatThrownBy(() -> ImageProbe.check(header, 10_000)).isInstanceOf(ImageProbe.InvalidImage.class)
                .hasMessageContaining("corrupt");
    }

    private static byte[] png(int width, int height) throws IOException {
        return encode(image(width, height), "png");
    }

    private static BufferedImage image(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 7 + y * 13) << 8 | x * y & 0xff);
            }
        }
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }
}
