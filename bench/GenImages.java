import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.Random;

import javax.imageio.ImageIO;

/** Writes n camera-like JPEGs (1280x960, some texture) into a folder: java bench/GenImages.java DIR N */
public class GenImages {
    public static void main(String[] args) throws Exception {
        File dir = new File(args[0]);
        dir.mkdirs();
        int n = Integer.parseInt(args[1]);
        Random r = new Random(42);
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(1280, 960, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            for (int k = 0; k < 400; k++) {
                g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
                g.fillRect(r.nextInt(1280), r.nextInt(960), 20 + r.nextInt(120), 20 + r.nextInt(90));
            }
            g.setColor(Color.WHITE);
            g.drawString("BENCH " + i, 600, 480);
            g.dispose();
            ImageIO.write(img, "jpg", new File(dir, "img_" + i + ".jpg"));
        }
    }
}
