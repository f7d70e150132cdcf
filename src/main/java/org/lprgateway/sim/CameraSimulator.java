package org.lprgateway.sim;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import javax.imageio.ImageIO;

/**
 * Stands in for the camera application in the demo: produces detection and health rows shaped as
 * the camera writes them, and a small real JPEG per detection.
 */
public class CameraSimulator {

    private static final List<String> THAI_LETTERS = List.of("กข", "กท", "ขง", "ฆฆ", "งจ", "ชฉ", "ญม", "ทห", "นข", "บพ");
    private static final List<String> PROVINCES = List.of("กรุงเทพมหานคร", "เชียงใหม่", "ขอนแก่น", "ชลบุรี", "ภูเก็ต");
    private static final List<String> TYPES = List.of("car", "pickup", "motorcycle", "truck", "van");
    private static final List<String> COLORS = List.of("white", "black", "silver", "red", "blue", "grey");
    private static final List<String> COMPONENTS = List.of("camera", "detector", "storage", "network");

    private final AtomicLong counter = new AtomicLong();
    private String imageDir = "data/images";
    private String checkpointId = "CP001";
    private String hostname = "aicamera-sim";
    private int imageWidth = 320;
    private int imageHeight = 240;

    public void setImageDir(String imageDir) {
        this.imageDir = imageDir;
    }

    public void setCheckpointId(String checkpointId) {
        this.checkpointId = checkpointId;
    }

    public void setHostname(String hostname) {
        this.hostname = hostname;
    }

    public void setImageWidth(int imageWidth) {
        this.imageWidth = imageWidth;
    }

    public void setImageHeight(int imageHeight) {
        this.imageHeight = imageHeight;
    }

    /** One detection row (seed 003 columns); its JPEG is written under the image folder. */
    public Map<String, Object> detection() throws IOException {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String plate = r.nextInt(3) == 0
                ? String.format("%s%03d%s", (char) ('A' + r.nextInt(26)), r.nextInt(1000), "" + (char) ('A' + r.nextInt(26)) + (char) ('A' + r.nextInt(26)))
                : THAI_LETTERS.get(r.nextInt(THAI_LETTERS.size())) + " " + (1000 + r.nextInt(9000)) + " "
                        + PROVINCES.get(r.nextInt(PROVINCES.size()));
        LocalDateTime now = LocalDateTime.now().truncatedTo(ChronoUnit.MILLIS);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("license_plate", plate);
        row.put("confidence", Math.round((70 + r.nextDouble() * 29.9) * 10) / 10.0);
        row.put("checkpoint_id", checkpointId);
        row.put("timestamp", now.toString());
        row.put("hostname", hostname);
        row.put("vehicle_type", TYPES.get(r.nextInt(TYPES.size())));
        row.put("vehicle_color", COLORS.get(r.nextInt(COLORS.size())));
        row.put("latitude", 13.7563 + r.nextDouble() / 100);
        row.put("longitude", 100.5018 + r.nextDouble() / 100);
        row.put("image_path", writeImage(now, plate).toString());
        row.put("exposure_time", 0.033);
        row.put("analog_gain", 1.0 + r.nextInt(8));
        row.put("lux", (double) (50 + r.nextInt(950)));
        return row;
    }

    /** One health-check row as the camera application writes it. */
    public Map<String, Object> health() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String component = COMPONENTS.get(r.nextInt(COMPONENTS.size()));
        boolean pass = r.nextInt(10) != 0;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("checkpoint_id", checkpointId);
        row.put("hostname", hostname);
        row.put("timestamp", LocalDateTime.now().truncatedTo(ChronoUnit.MILLIS).toString());
        row.put("component", component);
        row.put("status", pass ? "PASS" : "FAIL");
        row.put("message", pass ? component + " working normally" : component + " check failed");
        row.put("system_info", String.format("{\"platform\":\"linux\",\"cpu_usage\":\"%d%%\",\"memory_usage\":\"%d%%\"}",
                r.nextInt(100), r.nextInt(100)));
        return row;
    }

    private Path writeImage(LocalDateTime now, String plate) throws IOException {
        BufferedImage img = new BufferedImage(imageWidth, imageHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            g.setColor(new Color(r.nextInt(80), r.nextInt(80), r.nextInt(80)));
            g.fillRect(0, 0, imageWidth, imageHeight);
            g.setColor(Color.WHITE);
            g.fillRect(imageWidth / 4, imageHeight / 3, imageWidth / 2, imageHeight / 4);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, imageHeight / 12)));
            g.drawString(plate, imageWidth / 4 + 6, imageHeight / 3 + imageHeight / 6);
        } finally {
            g.dispose();
        }
        Path dir = Path.of(imageDir, now.format(DateTimeFormatter.ISO_LOCAL_DATE));
        Files.createDirectories(dir);
        Path file = dir.resolve("sim_" + now.format(DateTimeFormatter.ofPattern("HHmmssSSS")) + "_"
                + counter.incrementAndGet() + ".jpg");
        if (!ImageIO.write(img, "jpg", file.toFile())) {
            throw new IOException("no JPEG writer available");
        }
        return file;
    }
}
